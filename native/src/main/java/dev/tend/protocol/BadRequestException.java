package dev.tend.protocol;

/**
 * A request that cannot be read as one of the protocol's operations: an unknown {@code op}, a member missing
 * or of the wrong type. Answered with {@link ExitCode#USAGE} before anything happens.
 */
public final class BadRequestException extends Exception {
    private static final long serialVersionUID = 1L;

    public BadRequestException(String message) {
        super(message);
    }
}
