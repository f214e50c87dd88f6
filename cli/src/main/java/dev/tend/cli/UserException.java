package dev.tend.cli;

/**
 * A failure the user can act on, printed as {@code tend: error: MESSAGE} without a stack trace, ending the
 * command with the given exit code.
 */
public final class UserException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    public UserException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
