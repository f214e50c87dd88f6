package dev.tend.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * The last lines of one source's output, kept in memory for failure reports and {@code tend logs}.
 * Bounded both in lines and in bytes, so a worker printing huge lines cannot grow tend's memory; the byte
 * bound is the tail's share of the {@link LogBook}'s budget.
 *
 * <p>The bytes of the kept lines are copied into one ring, their facts into parallel arrays: a kept line is
 * no object of its own. Lines live here far longer than a young collection, so as objects they were all
 * promoted, and the daemon's old generation grew by every line that passed through (it grows rather than
 * collects until its maximum). Both ring and arrays start small and grow up to the bounds.
 */
public final class OutputTail {
    public static final int MAX_LINES = 500;
    /** The most bytes one tail keeps, when few sources share the budget. */
    public static final int MAX_BYTES = 256 * 1024;

    private static final int FIRST_LINES = 8;
    private static final int FIRST_BYTES = 1024;
    private static final LogLine.Channel[] CHANNELS = LogLine.Channel.values();

    private final String source;
    private byte[] ring = new byte[0];
    private int start;
    private int used;
    // Line i (0 = oldest) is at index (first + i) % capacity of these arrays.
    private long[] sequences = new long[0];
    private long[] times = new long[0];
    private byte[] channels = new byte[0];
    private int[] lengths = new int[0];
    private int first;
    private int count;

    OutputTail(String source) {
        this.source = source;
    }

    /** Keeps a line, dropping the oldest ones beyond {@link #MAX_LINES} or {@code maxBytes}. */
    void add(LogLine line, long maxBytes) {
        byte[] bytes = line.bytes();
        while (count > 0 && (count == MAX_LINES || used + (long) bytes.length > maxBytes)) {
            dropOldest();
        }
        if (count == sequences.length) {
            growLines();
        }
        if (used + bytes.length > ring.length) {
            resizeRing(Math.max(used + bytes.length, (int) Math.min(maxBytes, Math.max(FIRST_BYTES, 2L * ring.length))));
        }
        if (bytes.length > 0) {
            int end = (start + used) % ring.length;
            int firstPart = Math.min(bytes.length, ring.length - end);
            System.arraycopy(bytes, 0, ring, end, firstPart);
            System.arraycopy(bytes, firstPart, ring, 0, bytes.length - firstPart);
            used += bytes.length;
        }
        int slot = (first + count) % sequences.length;
        sequences[slot] = line.sequence();
        times[slot] = line.epochMillis();
        channels[slot] = (byte) line.channel().ordinal();
        lengths[slot] = bytes.length;
        count++;
    }

    /** Drops the oldest lines until at most {@code maxBytes} are kept (the newest line stays, whatever its size). */
    void trim(long maxBytes) {
        while (count > 1 && used > maxBytes) {
            dropOldest();
        }
        // Only once the share has halved: each new worker shrinks the shares a little.
        if (ring.length > 2 * maxBytes) {
            resizeRing((int) Math.max(used, maxBytes));
        }
    }

    private void dropOldest() {
        int length = lengths[first];
        start = ring.length == 0 ? 0 : (start + length) % ring.length;
        used -= length;
        first = (first + 1) % sequences.length;
        count--;
        if (count == 0) {
            start = 0;
            first = 0;
        }
    }

    private void growLines() {
        int capacity = Math.min(MAX_LINES, Math.max(FIRST_LINES, 2 * sequences.length));
        long[] s = new long[capacity];
        long[] t = new long[capacity];
        byte[] c = new byte[capacity];
        int[] l = new int[capacity];
        for (int i = 0; i < count; i++) {
            int from = (first + i) % sequences.length;
            s[i] = sequences[from];
            t[i] = times[from];
            c[i] = channels[from];
            l[i] = lengths[from];
        }
        sequences = s;
        times = t;
        channels = c;
        lengths = l;
        first = 0;
    }

    private void resizeRing(int capacity) {
        byte[] bigger = new byte[capacity];
        copyOut(start, used, bigger);
        ring = bigger;
        start = 0;
    }

    /** Copies {@code length} bytes of the ring from {@code from} (wrapping) to the start of {@code to}. */
    private void copyOut(int from, int length, byte[] to) {
        int firstPart = Math.min(length, ring.length - from);
        if (firstPart > 0) {
            System.arraycopy(ring, from, to, 0, firstPart);
        }
        System.arraycopy(ring, 0, to, firstPart, length - firstPart);
    }

    /** All kept lines, oldest first. */
    public List<LogLine> lines() {
        List<LogLine> out = new ArrayList<>(count);
        int offset = start;
        for (int i = 0; i < count; i++) {
            int slot = (first + i) % sequences.length;
            byte[] bytes = new byte[lengths[slot]];
            copyOut(offset, bytes.length, bytes);
            offset = ring.length == 0 ? 0 : (offset + bytes.length) % ring.length;
            out.add(new LogLine(sequences[slot], times[slot], source, CHANNELS[channels[slot]], bytes));
        }
        return out;
    }

    /** The last {@code n} lines of a channel numbered {@code fromSequence} or later, oldest first. */
    public List<String> last(LogLine.Channel channel, int n, long fromSequence) {
        List<LogLine> all = lines();
        List<String> out = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0 && out.size() < n; i--) {
            LogLine l = all.get(i);
            if (l.sequence() < fromSequence) {
                break;
            }
            if (l.channel() == channel) {
                out.add(0, l.text());
            }
        }
        return out;
    }

    /** Bytes kept (for tests of the budget). */
    long bytes() {
        return used;
    }
}
