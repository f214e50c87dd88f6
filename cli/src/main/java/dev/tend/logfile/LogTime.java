package dev.tend.logfile;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Time stamps as tend writes them: ISO-8601 local time with milliseconds and the UTC offset,
 * {@code 2026-12-04T10:00:00.123+01:00}. One instance per thread: it keeps the text of the last second.
 */
public final class LogTime {
    private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
    private static final DateTimeFormatter OFFSET = DateTimeFormatter.ofPattern("xxx");

    private final ZoneId zone;
    // A flood writes thousands of lines a second: the date and offset are worked out once per second.
    private long second = Long.MIN_VALUE;
    private String head = "";
    private String offset = "";

    public LogTime(ZoneId zone) {
        this.zone = zone;
    }

    /** Of the system's time zone. */
    public LogTime() {
        this(ZoneId.systemDefault());
    }

    public String format(long epochMillis) {
        long s = Math.floorDiv(epochMillis, 1000);
        if (s != second) {
            ZonedDateTime t = Instant.ofEpochSecond(s).atZone(zone);
            head = SECOND.format(t);
            offset = OFFSET.format(t);
            second = s;
        }
        int millis = (int) Math.floorMod(epochMillis, 1000);
        StringBuilder b = new StringBuilder(29).append(head).append('.');
        if (millis < 100) {
            b.append('0');
        }
        if (millis < 10) {
            b.append('0');
        }
        return b.append(millis).append(offset).toString();
    }

    /** Reads a time stamp written by {@link #format}; throws {@link DateTimeParseException} if it is not one. */
    public static long parse(CharSequence text) {
        return OffsetDateTime.parse(text).toInstant().toEpochMilli();
    }

    /**
     * Reads the time stamps of a file's lines, which change their second and offset rarely: those are parsed
     * once per second, the milliseconds read as digits. One thread.
     */
    public static final class Reader {
        // "2026-12-04T10:00:00" of the last stamp parsed, its offset and its second as epoch milliseconds.
        private String second = "";
        private String offset = "";
        private long secondMillis;

        /** Epoch milliseconds of the stamp {@code text}; throws {@link DateTimeParseException} if it is not one. */
        public long parse(String text) {
            // yyyy-MM-ddTHH:mm:ss.SSS then the offset: the common case is the second of the line before.
            if (text.length() > 23 && text.charAt(19) == '.' && text.regionMatches(0, second, 0, 19)
                    && text.regionMatches(23, offset, 0, offset.length()) && text.length() == 23 + offset.length()) {
                int millis = digit(text, 20) * 100 + digit(text, 21) * 10 + digit(text, 22);
                if (millis >= 0) {
                    return secondMillis + millis;
                }
            }
            long parsed = LogTime.parse(text);
            if (text.length() > 23 && text.charAt(19) == '.') {
                second = text.substring(0, 19);
                offset = text.substring(23);
                secondMillis = parsed - Math.floorMod(parsed, 1000);
            }
            return parsed;
        }

        private static int digit(String text, int at) {
            char c = text.charAt(at);
            return c >= '0' && c <= '9' ? c - '0' : -1000;
        }
    }
}
