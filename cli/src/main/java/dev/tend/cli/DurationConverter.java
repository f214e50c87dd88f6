package dev.tend.cli;

import dev.tend.config.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads every duration option ({@code --timeout 30s}) the way {@code tend.toml} writes durations. A bad
 * value is reported by {@link ErrorReporter} as {@code tend: error: --timeout: bad duration …} (exit 2).
 */
final class DurationConverter implements ITypeConverter<Duration> {
    /** A value that is not a duration; the message says what is accepted. */
    static final class BadDuration extends TypeConversionException {
        private static final long serialVersionUID = 1L;

        BadDuration(String message) {
            super(message);
        }
    }

    @Override
    public Duration convert(String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new BadDuration(e.getMessage());
        }
    }
}
