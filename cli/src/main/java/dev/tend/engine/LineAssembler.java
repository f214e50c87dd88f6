package dev.tend.engine;

import java.nio.charset.StandardCharsets;
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

    private final byte[] pending = new byte[MAX_LINE];
    private int length;
    private boolean continued;
    private final Consumer<String> lines;

    public LineAssembler(Consumer<String> lines) {
        this.lines = lines;
    }

    /** Feeds bytes just read. */
    public void feed(byte[] bytes, int offset, int count) {
        for (int i = offset; i < offset + count; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                if (length > 0 || !continued) {
                    emit(length);
                }
                continued = false;
            } else {
                if (length == MAX_LINE) {
                    split();
                }
                pending[length++] = b;
            }
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
        byte[] carry = java.util.Arrays.copyOfRange(pending, cut, length);
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
