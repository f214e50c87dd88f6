package dev.tend.cli;

import dev.tend.protocol.ExitCode;

/**
 * A failure the user can act on, printed as {@code tend: error: MESSAGE} without a stack trace, ending the
 * command with the given exit code.
 */
public final class UserException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ExitCode exitCode;

    public UserException(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }
}
