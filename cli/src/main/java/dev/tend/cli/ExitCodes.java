package dev.tend.cli;

/**
 * The exit codes of every tend command, documented in docs/cli.md.
 */
public final class ExitCodes {
    /** Success. */
    public static final int OK = 0;
    /** A runtime failure: a worker was given up, an action failed. */
    public static final int FAILURE = 1;
    /** Wrong usage or an invalid configuration: nothing was started. */
    public static final int USAGE = 2;
    /** What was asked for does not exist: no running instance, no such worker, slot or key. */
    public static final int NOT_FOUND = 3;
    /** A wait timed out. */
    public static final int TIMEOUT = 4;

    private ExitCodes() {}
}
