package dev.tend.protocol;

import java.util.Optional;

/**
 * tend's exit codes (docs/cli.md). A failed control reply carries one as its {@code code}
 * (docs/control-protocol.md), so that a client command can exit with it as it is.
 */
public enum ExitCode {
    /** Success. */
    OK(0, "success"),
    /** A runtime failure: a worker was given up, an action failed. */
    FAILURE(1, "runtime failure (a worker was given up, an action failed)"),
    /** Wrong usage or an invalid configuration: nothing was started. */
    USAGE(2, "usage or configuration error (nothing was started)"),
    /** What was asked for does not exist: no running instance, no such worker, slot or key. */
    NOT_FOUND(3, "not found (no running instance, no such worker, slot or key)"),
    /** A wait timed out. */
    TIMEOUT(4, "timed out");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    /** The number a process exits with, and a failed reply's {@code code}. */
    public int code() {
        return code;
    }

    /** What the code means, in a few words: {@code timed out}. */
    public String meaning() {
        return meaning;
    }

    /** The exit code with this number; empty for a number tend does not use. */
    public static Optional<ExitCode> of(long code) {
        for (ExitCode c : values()) {
            if (c.code == code) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
