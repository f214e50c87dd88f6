package dev.tend.protocol;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of output, as {@code logs} streams it before its final message.
 *
 * @param sequence    the line's number in the instance; it orders lines of different sources.
 * @param epochMillis when tend read the line, in milliseconds since the Unix epoch.
 * @param source      the worker's name, or {@code tend}.
 * @param channel     {@code stdout} or {@code stderr} for a worker's lines; {@code notice}, {@code warning}
 *                    or {@code error} for tend's.
 * @param text        the line, without its newline.
 */
public record LogEvent(long sequence, long epochMillis, String source, String channel, String text) {
    /** The {@code event} member of a log line. */
    public static final String NAME = "log";

    /** The event message. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(Protocol.EVENT, NAME);
        m.put(Protocol.SEQ, sequence);
        m.put(Protocol.TIME_MS, epochMillis);
        m.put(Protocol.SOURCE, source);
        m.put(Protocol.CHANNEL, channel);
        m.put(Protocol.TEXT, text);
        return m;
    }

    /** A log event read from a reply. */
    public static LogEvent fromJson(Map<String, ?> json) {
        return new LogEvent(Members.number(json, Protocol.SEQ), Members.number(json, Protocol.TIME_MS),
                Members.text(json, Protocol.SOURCE), Members.text(json, Protocol.CHANNEL),
                Members.text(json, Protocol.TEXT));
    }
}
