package dev.tend.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as written in {@code tend.toml}: a number and a unit, possibly several ({@code "1m30s"}).
 * Units: {@code ms}, {@code s}, {@code m}, {@code h}. Fractions are allowed ({@code "1.5s"}).
 */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    private Durations() {}

    /**
     * Parses a duration.
     *
     * @throws IllegalArgumentException saying what is wrong, with the accepted forms.
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
            nanos += Math.round(value * unit);
            at = m.end();
        }
        return Duration.ofNanos(nanos);
    }
}
