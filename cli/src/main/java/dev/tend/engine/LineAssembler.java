package dev.tend.engine;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Cuts a byte stream into lines. A line longer than the limit is emitted in pieces of about the limit's
 * size, cut between UTF-8 characters (split, not lost); a final line without a newline is emitted at end
 * of stream. Bytes that are not valid UTF-8 are replaced, never dropped with their line. A trailing
 * {@code \r} is removed.
 */
public final class LineAssembler {
    /** Longest piece of a line emitted at once, in bytes. */
    public static final int MAX_LINE = 16 * 1024;

    /** First size of the buffer: most workers write short lines, and a daemon holds three of these per worker. */
    static final int INITIAL_CAPACITY = 128;

    // Grows on demand up to MAX_LINE: a fixed MAX_LINE buffer cost 48 KiB per idle worker.
    private byte[] pending = new byte[INITIAL_CAPACITY];
    private int length;
    private boolean continued;
    private final Consumer<String> lines;

    public LineAssembler(Consumer<String> lines) {
        this.lines = lines;
    }

    /** Feeds bytes just read. */
    public void feed(byte[] bytes, int offset, int count) {
        int i = offset;
        int end = offset + count;
        while (i < end) {
            int newline = indexOfNewline(bytes, i, end);
            int stop = newline < 0 ? end : newline;
            while (i < stop) {
                if (length == MAX_LINE) {
                    split();
                }
                int n = Math.min(stop - i, MAX_LINE - length);
                ensureCapacity(length + n);
                System.arraycopy(bytes, i, pending, length, n);
                length += n;
                i += n;
            }
            if (newline >= 0) {
                if (length > 0 || !continued) {
                    emit(length);
                }
                continued = false;
                i = newline + 1;
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

    private void ensureCapacity(int needed) {
        if (needed > pending.length) {
            pending = Arrays.copyOf(pending, Math.min(MAX_LINE, Math.max(needed, 2 * pending.length)));
        }
    }

    /** Emits what is left without a newline: the stream ended. */
    public void finish() {
        if (length > 0) {
            emit(length);
        }
        continued = false;
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
        int rest = length - cut;
        byte[] carry = Arrays.copyOfRange(pending, cut, length);
        emit(cut);
        System.arraycopy(carry, 0, pending, 0, rest);
        length = rest;
        continued = true;
    }

    private void emit(int end) {
        int stop = end;
        if (stop > 0 && pending[stop - 1] == '\r') {
            stop--;
        }
        lines.accept(new String(pending, 0, stop, StandardCharsets.UTF_8));
        length = 0;
    }
}
