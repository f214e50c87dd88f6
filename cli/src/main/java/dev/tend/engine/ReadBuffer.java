package dev.tend.engine;

import dev.tend.os.Fds;
import java.nio.ByteBuffer;

/**
 * The one buffer the event loop reads every pipe into: a direct buffer for {@code read(2)} and a Java copy
 * for parsing. Reads are serial on the loop thread, so one buffer serves every worker.
 */
final class ReadBuffer {
    static final int SIZE = 64 * 1024;

    private final ByteBuffer direct = ByteBuffer.allocateDirect(SIZE);
    private final byte[] bytes = new byte[SIZE];

    /** Reads once; returns the count, 0 at end of file, -1 when nothing is available now. */
    int read(int fd) {
        int n = Fds.read(fd, direct.clear());
        if (n > 0) {
            direct.get(0, bytes, 0, n);
        }
        return n;
    }

    byte[] bytes() {
        return bytes;
    }
}
