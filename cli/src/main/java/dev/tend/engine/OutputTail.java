package dev.tend.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The last lines of one worker's output, kept in memory for failure reports and {@code tend logs}.
 * Bounded both in lines and in bytes, so a worker printing huge lines cannot grow tend's memory; the byte
 * bound is the tail's share of the {@link LogBook}'s budget.
 */
public final class OutputTail {
    public static final int MAX_LINES = 500;
    /** The most bytes one tail keeps, when few sources share the budget. */
    public static final int MAX_BYTES = 256 * 1024;

    private final ArrayDeque<LogLine> lines = new ArrayDeque<>();
    private long bytes;

    /** Keeps a line, dropping the oldest ones beyond {@link #MAX_LINES} or {@code maxBytes}. */
    void add(LogLine line, long maxBytes) {
        lines.addLast(line);
        bytes += line.bytes().length;
        trim(maxBytes);
    }

    /** Drops the oldest lines until at most {@code maxBytes} are kept (the newest line stays, whatever its size). */
    void trim(long maxBytes) {
        while (lines.size() > MAX_LINES || (bytes > maxBytes && lines.size() > 1)) {
            bytes -= lines.removeFirst().bytes().length;
        }
    }

    /** All kept lines, oldest first. */
    public List<LogLine> lines() {
        return new ArrayList<>(lines);
    }

    /** The last {@code n} lines of a channel numbered {@code fromSequence} or later, oldest first. */
    public List<String> last(LogLine.Channel channel, int n, long fromSequence) {
        List<String> out = new ArrayList<>();
        var it = lines.descendingIterator();
        while (it.hasNext() && out.size() < n) {
            LogLine l = it.next();
            if (l.sequence() < fromSequence) {
                break;
            }
            if (l.channel() == channel) {
                out.add(0, l.text());
            }
        }
        return out;
    }
}
