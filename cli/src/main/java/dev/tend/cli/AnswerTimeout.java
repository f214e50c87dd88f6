package dev.tend.cli;

import dev.tend.config.Durations;
import dev.tend.protocol.ExitCode;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * {@code --timeout} of the client commands: how long tend may stay silent (to accept the connection, then
 * between messages) before the command gives up. A busy tend keeps sending heartbeats, so this does not limit
 * how long an operation may take; a stopped or stuck tend is reported after it.
 */
final class AnswerTimeout {
    /** The wait when neither {@code --timeout} nor {@value #ENV} says otherwise. */
    static final Duration DEFAULT = Duration.ofSeconds(10);
    /** Environment variable with the default of {@code --timeout}. */
    static final String ENV = "TEND_TIMEOUT";

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long tend may take to answer: to accept the connection, then between messages "
                    + "(default: 10s, or $TEND_TIMEOUT; 0 waits forever). A busy tend keeps answering; a stopped or stuck one does not.")
    Duration timeout;

    /** The wait in force: {@code --timeout}, else {@value #ENV}, else {@link #DEFAULT}; null for no limit (0). */
    Duration resolve() {
        Duration wait = timeout != null ? timeout : fromEnvironment();
        return wait.isZero() ? null : wait;
    }

    private static Duration fromEnvironment() {
        String value = System.getenv(ENV);
        if (value == null || value.isBlank()) {
            return DEFAULT;
        }
        try {
            return Durations.parse(value.trim());
        } catch (IllegalArgumentException e) {
            throw new UserException(ExitCode.USAGE, ENV + "=" + value + ": " + e.getMessage());
        }
    }
}
