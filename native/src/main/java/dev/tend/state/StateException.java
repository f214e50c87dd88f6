package dev.tend.state;

/**
 * A state-file operation that failed for a reason the caller may act on; {@link #reason()} says which.
 * Messages are complete sentences fit for an end user, e.g.
 * {@code snapshot of 2.1 MiB exceeds the state file's limit of 1 MiB (state.max_snapshot)}.
 */
public final class StateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why an operation failed. */
    public enum Reason {
        /** No slot answers to the name, or the key is absent. */
        NOT_FOUND,
        /** A pool name matched several live workers. */
        AMBIGUOUS,
        /** A name, key or snapshot exceeds a documented limit, or the file is full. */
        LIMIT,
        /** The publisher's epoch is not the slot's current owner epoch (a stale incarnation). */
        NOT_OWNER,
        /** Not a state file, an unknown major layout version, or a file not ready or already closed. */
        INCOMPATIBLE,
        /** The file holds something the protocol forbids: a writer or the file is broken. */
        CORRUPT,
        /** An I/O or system-call failure. */
        IO
    }

    private final Reason reason;

    /** An exception with a user-facing message. */
    public StateException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** An exception caused by a lower-level failure. */
    public StateException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** Why the operation failed. */
    public Reason reason() {
        return reason;
    }
}
