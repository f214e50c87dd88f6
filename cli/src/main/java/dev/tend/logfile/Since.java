package dev.tend.logfile;

import dev.tend.config.Durations;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * {@code tend logs --since}: a duration ago, or a time (local unless it gives its offset). Read by the JVM client
 * and, for the launcher, by tend answering through its command FIFO.
 */
public final class Since {
    private Since() {}

    /**
     * Epoch milliseconds; {@code now} is when the duration counts back from.
     *
     * @throws IllegalArgumentException when it is neither; the message is the client's error (a usage error).
     */
    public static long parse(String text, long now) {
        String t = text.trim();
        if (!t.isEmpty() && Character.isDigit(t.charAt(t.length() - 1)) || t.contains("-")) {
            String iso = t.replace(' ', 'T');
            try {
                return OffsetDateTime.parse(iso).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                // Not with an offset: local time, below.
            }
            try {
                return LocalDateTime.parse(iso).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                // Perhaps a day alone.
            }
            try {
                return LocalDate.parse(iso).atStartOfDay(ZoneId.systemDefault()).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                throw invalid(text);
            }
        }
        try {
            return now - Durations.parse(t).toMillis();
        } catch (IllegalArgumentException e) {
            throw invalid(text);
        }
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("--since: \"" + text + "\" is neither a duration (10m, 2h, 1h30m) nor a"
                + " time (2026-12-04T10:00, 2026-12-04 10:00:05, 2026-12-04, 2026-12-04T10:00+01:00)");
    }
}
