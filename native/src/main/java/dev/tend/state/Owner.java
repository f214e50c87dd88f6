package dev.tend.state;

/**
 * The supervisor's view of a slot's owner at one moment.
 *
 * @param state        what the supervisor last recorded.
 * @param pid          the worker's pid, 0 if none was recorded.
 * @param epoch        the incarnation number publishers must present.
 * @param sinceMillis  when the owner entered {@code state}, milliseconds since the epoch (0 if never set).
 * @param running      {@code state} is {@link OwnerState#RUNNING} and the supervisor that recorded it is
 *                     still alive (otherwise nobody keeps {@code state} up to date).
 */
public record Owner(OwnerState state, int pid, long epoch, long sinceMillis, boolean running) {}
