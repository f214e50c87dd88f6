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
}
