package dev.tend.text;

import java.time.Duration;
import java.util.Locale;

/**
 * Durations and sizes as tend prints them to people, the same in every message, report and table:
 * {@code 250ms}, {@code 1.5s}, {@code 2m30s}, {@code 512 bytes}, {@code 1.5 MiB}.
 */
public final class Human {
    private static final String[] BINARY_UNITS = {"KiB", "MiB", "GiB"};

    private Human() {}

    /**
     * A duration, exactly, in the form {@code tend.toml} accepts: {@code 0s}, {@code 250ms}, {@code 5s},
     * {@code 1.5s}, {@code 1m30s}, {@code 2h}. Below a millisecond is dropped.
     */
    public static String duration(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms % 1000 != 0) {
            return ms / 1000.0 + "s";
        }
        long s = ms / 1000;
        StringBuilder b = new StringBuilder();
        if (s >= 3600) {
            b.append(s / 3600).append('h');
            s %= 3600;
        }
        if (s >= 60) {
            b.append(s / 60).append('m');
            s %= 60;
        }
        if (s > 0) {
            b.append(s).append('s');
        }
        return b.toString();
    }

    /**
     * How long something has been going on, rounded down to what a glance needs: milliseconds under a
     * second ({@code 850ms}), whole seconds under an hour ({@code 12s}, {@code 3m5s}), whole minutes from an
     * hour on ({@code 2h1m}).
     */
    public static String elapsed(Duration d) {
        long millis = d.toMillis();
        if (millis < 1000) {
            return millis + "ms";
        }
        long seconds = millis / 1000;
        if (seconds >= 3600) {
            seconds -= seconds % 60;
        }
        return duration(Duration.ofSeconds(seconds));
    }

    /** A size: {@code 1 byte}, {@code 1023 bytes}, {@code 1 KiB}, {@code 1.5 KiB}, {@code 64 MiB}, {@code 2 GiB}. */
    public static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + (bytes == 1 ? " byte" : " bytes");
        }
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < BINARY_UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        String text = String.format(Locale.ROOT, "%.1f", value);
        if (text.endsWith(".0")) {
            text = text.substring(0, text.length() - 2);
        }
        return text + " " + BINARY_UNITS[unit];
    }
}
