package dev.tend.engine;

import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Cuts a byte stream into lines, as bytes: what a worker wrote between two newlines, unchanged (no
 * decoding, nothing removed). A final line without a newline is emitted at end of stream. A line longer
 * than the limit is either split into pieces of about the limit's size, cut between UTF-8 characters
 * (worker output: split, not lost), or refused whole (the fd-3 protocol, where a piece of a snapshot is
 * garbage): its bytes are discarded up to the next newline and its length reported once.
 */
public final class LineAssembler {
    /** Longest piece of an output line emitted at once, in bytes. */
    public static final int MAX_OUTPUT_LINE = 16 * 1024;

    /** First size of the buffer of a line that spans reads: a daemon holds three assemblers per worker. */
    static final int INITIAL_CAPACITY = 128;

    private static final byte[] EMPTY = new byte[0];

    private final int limit;
    private final Consumer<byte[]> lines;
    /** Null when long lines are split; else told the length of each refused line. */
    private final LongConsumer refused;
    // Only a line that spans reads is copied here; the buffer grows on demand and is let go after a line
    // that made it grow, so an idle worker costs a few bytes, not a megabyte left from one big snapshot.
    private byte[] pending = EMPTY;
    private int length;
    private boolean continued;
    private long discarding = -1;

    private LineAssembler(int limit, Consumer<byte[]> lines, LongConsumer refused) {
        this.limit = limit;
        this.lines = lines;
        this.refused = refused;
    }

    /** Emits lines longer than {@code limit} bytes in pieces. */
    public static LineAssembler splitting(int limit, Consumer<byte[]> lines) {
        return new LineAssembler(limit, lines, null);
    }

    /** Emits lines up to {@code limit} bytes whole; reports the length of each longer one to {@code refused}. */
    public static LineAssembler refusing(int limit, Consumer<byte[]> lines, LongConsumer refused) {
        return new LineAssembler(limit, lines, refused);
    }

    /** Feeds bytes just read. */
    public void feed(byte[] bytes, int offset, int count) {
        int i = offset;
        int end = offset + count;
        while (i < end) {
            int newline = indexOfNewline(bytes, i, end);
            int stop = newline < 0 ? end : newline;
            if (discarding < 0 && length == 0 && !continued && newline >= 0 && stop - i <= limit) {
                // The common case: a whole line inside one read, copied once.
                lines.accept(Arrays.copyOfRange(bytes, i, stop));
                i = newline + 1;
                continue;
            }
            if (discarding >= 0) {
                discarding += stop - i;
            } else {
                append(bytes, i, stop);
            }
            if (newline >= 0) {
                endOfLine();
                i = newline + 1;
            } else {
                i = end;
            }
        }
    }

    private static int indexOfNewline(byte[] bytes, int from, int end) {
        for (int i = from; i < end; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void append(byte[] bytes, int from, int stop) {
        int i = from;
        if (refused != null) {
            if ((long) length + (stop - from) > limit) {
                discarding = (long) length + (stop - from);
                release();
                return;
            }
            copy(bytes, i, stop - i);
            return;
        }
        while (i < stop) {
            if (length == limit) {
                split();
            }
            int n = Math.min(stop - i, limit - length);
            copy(bytes, i, n);
            i += n;
        }
    }

    private void copy(byte[] bytes, int from, int n) {
        int needed = length + n;
        if (needed > pending.length) {
            int grown = (int) Math.min(limit, Math.max((long) needed, Math.max(INITIAL_CAPACITY, 2L * pending.length)));
            pending = Arrays.copyOf(pending, grown);
        }
        System.arraycopy(bytes, from, pending, length, n);
        length = needed;
    }

    private void endOfLine() {
        if (discarding >= 0) {
            refused.accept(discarding);
            discarding = -1;
        } else if (length > 0 || !continued) {
            lines.accept(Arrays.copyOf(pending, length));
        }
        release();
        continued = false;
    }

    /** Emits what is left without a newline: the stream ended. */
    public void finish() {
        if (discarding >= 0 || length > 0) {
            endOfLine();
        }
        continued = false;
    }

    private void release() {
        length = 0;
        if (pending.length > INITIAL_CAPACITY) {
            pending = EMPTY;
        }
    }

    private void split() {
        int cut = length;
        // Keep an incomplete UTF-8 sequence at the end for the next piece, so no character is cut in two.
        int lead = length - 1;
        while (lead > length - 4 && lead > 0 && (pending[lead] & 0xC0) == 0x80) {
            lead--;
        }
        int b = pending[lead] & 0xFF;
        int expected = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
        if (lead + expected > length) {
            cut = lead;
        }
        lines.accept(Arrays.copyOf(pending, cut));
        System.arraycopy(pending, cut, pending, 0, length - cut);
        length -= cut;
        continued = true;
    }
}
