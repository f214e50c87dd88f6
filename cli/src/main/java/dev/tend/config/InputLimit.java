package dev.tend.config;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reading an input whole, up to a limit: a file that never ends ({@code /dev/zero}, a FIFO) or a huge one
 * is refused after {@code limit} bytes, instead of being read until memory runs out.
 */
public final class InputLimit {
    private InputLimit() {}

    /** An input longer than the limit. */
    public static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(int limit) {
            super("longer than " + limit + " bytes");
        }
    }

    /**
     * Every byte of {@code in}, at most {@code limit}.
     *
     * @throws TooLarge when there are more.
     */
    public static byte[] readAll(InputStream in, int limit) throws IOException {
        byte[] bytes = in.readNBytes(limit + 1);
        if (bytes.length > limit) {
            throw new TooLarge(limit);
        }
        return bytes;
    }
}
