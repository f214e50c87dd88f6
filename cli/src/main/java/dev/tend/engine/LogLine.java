package dev.tend.engine;

import java.nio.charset.StandardCharsets;

/**
 * One line of output: from a worker's stdout or stderr, or one of tend's own messages.
 *
 * @param sequence    increases by one for every line of the instance: orders lines of different workers.
 * @param epochMillis when tend read it.
 * @param source      the worker name, or {@code tend} for tend's own messages.
 * @param channel     where it came from.
 * @param bytes       the line as the worker wrote it, without its newline: any bytes, not necessarily UTF-8.
 *                    Never modified once the line is made (it is shared, not copied).
 */
public record LogLine(long sequence, long epochMillis, String source, Channel channel, byte[] bytes) {

    /** Where a line came from; the last three are tend's own messages, by severity. */
    public enum Channel {
        STDOUT, STDERR, NOTICE, WARNING, ERROR;

        /** Whether the line is one of tend's own messages. */
        public boolean fromTend() {
            return ordinal() >= NOTICE.ordinal();
        }
    }

    /** A line of text (tend's own messages, and lines a client received), stored as UTF-8. */
    public static LogLine ofText(long sequence, long epochMillis, String source, Channel channel, String text) {
        return new LogLine(sequence, epochMillis, source, channel, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The line as text, for places that must hold valid Unicode (JSON answers, failure reports): a byte
     * sequence that is not UTF-8 becomes U+FFFD there, and only there.
     */
    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** {@code head}, the line's bytes as they are, {@code tail} and a newline: the line as printed or filed. */
    public byte[] framed(String head, String tail) {
        byte[] h = head.getBytes(StandardCharsets.UTF_8);
        byte[] t = tail.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[h.length + bytes.length + t.length + 1];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(bytes, 0, out, h.length, bytes.length);
        System.arraycopy(t, 0, out, h.length + bytes.length, t.length);
        out[out.length - 1] = '\n';
        return out;
    }
}
