package dev.tend.state;

import java.util.Locale;

/**
 * What the supervisor last said about the process that owns a slot. The codes are part of the file
 * format ({@code ownerState}, u32); readers map codes they do not know to {@link #UNKNOWN}.
 */
public enum OwnerState {
    /** Never started. */
    NONE(0),
    /** Spawned, not yet ready. */
    STARTING(1),
    /** Running. */
    RUNNING(2),
    /** Asked to stop, not yet gone. */
    STOPPING(3),
    /** Exited unexpectedly; waiting before the next restart. */
    BACKOFF(4),
    /** Exited and will not be restarted by itself. */
    EXITED(5),
    /** Stopped on request. */
    STOPPED(6),
    /** Gave up restarting after too many failures. */
    FAILED(7),
    /** Removed from the configuration; pool-name lookups skip it. */
    REMOVED(8),
    /** A code this reader does not know (written by a newer supervisor). */
    UNKNOWN(-1);

    private static final OwnerState[] BY_CODE = {NONE, STARTING, RUNNING, STOPPING, BACKOFF, EXITED, STOPPED,
        FAILED, REMOVED};

    private final int code;

    OwnerState(int code) {
        this.code = code;
    }

    /** The value stored in the file. */
    public int code() {
        return code;
    }

    /** The state with this code, {@link #UNKNOWN} for any other. */
    public static OwnerState ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : UNKNOWN;
    }

    /** Lower-case name used in JSON and messages, e.g. {@code backoff}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
