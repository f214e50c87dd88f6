package dev.tend.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as written in {@code tend.toml} and in duration flags ({@code --timeout}): a number and a unit,
 * possibly several ({@code "1m30s"}). Units: {@code ms}, {@code s}, {@code m}, {@code h}. Fractions are
 * allowed ({@code "1.5s"}). At most {@link #LONGEST}.
 */
public final class Durations {
    /**
     * The longest duration tend takes anywhere. Deadlines are instants on the monotonic clock in nanoseconds,
     * so a duration near {@code Long.MAX_VALUE} nanoseconds would overflow to the past and fire at once; a year
     * is longer than any grace, backoff or wait needs to be and far from that edge.
     */
    public static final Duration LONGEST = Duration.ofDays(365);
    /** {@link #LONGEST} as written in a message. */
    public static final String LONGEST_TEXT = "8760h (365 days)";

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    private Durations() {}

    /**
     * Parses a duration.
     *
     * @throws IllegalArgumentException saying what is wrong, with the accepted forms and range.
     */
    public static Duration parse(String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty duration; write e.g. \"250ms\", \"5s\", \"2m\" or \"1h\"");
        }
        Matcher m = PART.matcher(t);
        long nanos = 0;
        int at = 0;
        while (at < t.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException("bad duration \"" + text
                        + "\"; write a number and a unit (ms, s, m, h), e.g. \"250ms\", \"5s\", \"1m30s\"");
            }
            double value = Double.parseDouble(m.group(1));
            long unit = switch (m.group(2)) {
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            // Checked part by part, so that the sum never overflows however many parts there are.
            double part = value * unit;
            if (part > LONGEST.toNanos()) {
                throw tooLong(text);
            }
            nanos += Math.round(part);
            if (nanos > LONGEST.toNanos()) {
                throw tooLong(text);
            }
            at = m.end();
        }
        return Duration.ofNanos(nanos);
    }

    private static IllegalArgumentException tooLong(String text) {
        return new IllegalArgumentException("duration \"" + text + "\" is too long; durations are 0 to " + LONGEST_TEXT);
    }
}
