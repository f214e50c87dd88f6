package dev.tend.engine;

import java.util.List;

/**
 * One run of a health probe under way on the event loop. It reports its {@link ProbeResult} once, unless it is
 * abandoned first.
 */
interface ProbeAttempt {
    /**
     * Ends it now without a result: a socket is closed; an exec probe's process group is killed (its exit is
     * still collected on the loop, so no zombie is left).
     */
    void abandon();

    /** What it has seen so far, for the report of a probe that timed out. */
    List<String> output();
}
