package dev.tend.engine;

/**
 * One line of output: from a worker's stdout or stderr, or one of tend's own messages.
 *
 * @param sequence    increases by one for every line of the instance: orders lines of different workers.
 * @param epochMillis when tend read it.
 * @param source      the worker name, or {@code tend} for tend's own messages.
 * @param channel     where it came from.
 * @param text        the line, without its newline.
 */
public record LogLine(long sequence, long epochMillis, String source, Channel channel, String text) {

    /** Where a line came from; the last three are tend's own messages, by severity. */
    public enum Channel {
        STDOUT, STDERR, NOTICE, WARNING, ERROR;

        /** Whether the line is one of tend's own messages. */
        public boolean fromTend() {
            return ordinal() >= NOTICE.ordinal();
        }
    }
}
