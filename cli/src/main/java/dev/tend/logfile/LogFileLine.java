package dev.tend.logfile;

import dev.tend.engine.LogLine;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * One line of a log file: {@code 2026-12-04T10:00:00.123+00:00 web.1 stdout | text}, the time tend read the
 * line, the worker, the stream, then the line's bytes as the worker wrote them.
 */
public final class LogFileLine {
    private static final String BAR = " | ";

    private LogFileLine() {}

    /** The line as written to a file, with its newline. */
    public static byte[] format(LogLine line, LogTime time) {
        return line.framed(time.format(line.epochMillis()) + " " + line.source() + " " + stream(line.channel()) + BAR,
                "");
    }

    /** The stream's name in a file: {@code stdout}, {@code stderr} (and tend's channels by their names). */
    public static String stream(LogLine.Channel channel) {
        return channel.name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads one line of a file (without its newline); empty when it is not in the format above (a line
     * written by something else, or cut short by a full disk).
     */
    public static Optional<LogLine> parse(byte[] bytes, int length) {
        return parse(bytes, 0, length, new LogTime.Reader());
    }

    /** The same, for the line at {@code bytes[from, to)}, its time read by {@code time}. */
    public static Optional<LogLine> parse(byte[] bytes, int from, int to, LogTime.Reader time) {
        int length = to;
        int first = indexOf(bytes, from, length);
        int second = first < 0 ? -1 : indexOf(bytes, first + 1, length);
        int third = second < 0 ? -1 : indexOf(bytes, second + 1, length);
        if (third < 0 || third + 2 >= length || bytes[third + 1] != '|' || bytes[third + 2] != ' ') {
            return Optional.empty();
        }
        long millis;
        LogLine.Channel channel;
        try {
            millis = time.parse(new String(bytes, from, first - from, StandardCharsets.US_ASCII));
            channel = LogLine.Channel.valueOf(new String(bytes, second + 1, third - second - 1, StandardCharsets.US_ASCII)
                    .toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException | IllegalArgumentException e) {
            return Optional.empty();
        }
        String source = new String(bytes, first + 1, second - first - 1, StandardCharsets.UTF_8);
        return Optional.of(new LogLine(0, millis, source, channel, Arrays.copyOfRange(bytes, third + 3, length)));
    }

    private static int indexOf(byte[] bytes, int from, int length) {
        for (int i = from; i < length; i++) {
            if (bytes[i] == ' ') {
                return i;
            }
        }
        return -1;
    }
}
