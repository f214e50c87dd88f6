package dev.tend.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FdsTest {
    @Test
    void shouldReadAndWriteFromTheBufferPositionAndAdvanceIt() {
        Fds.Pipe pipe = Fds.pipe();
        try {
            ByteBuffer out = ByteBuffer.allocateDirect(16).put("..hello".getBytes(StandardCharsets.US_ASCII));
            out.flip().position(2);
            assertEquals(5, Fds.write(pipe.writeFd(), out));
            assertEquals(7, out.position());

            ByteBuffer in = ByteBuffer.allocate(16).position(3).limit(6);
            assertEquals(3, Fds.read(pipe.readFd(), in), "at most up to the limit");
            assertEquals(6, in.position());
            assertEquals("hel", new String(in.array(), 3, 3, StandardCharsets.US_ASCII));
            assertEquals(0, Fds.read(pipe.readFd(), in), "no room left reads nothing");
            assertEquals(2, Fds.read(pipe.readFd(), in.clear()));

            Fds.setNonBlocking(pipe.readFd());
            assertEquals(Fds.AGAIN, Fds.read(pipe.readFd(), in.clear()));
            Fds.close(pipe.writeFd());
            assertEquals(0, Fds.read(pipe.readFd(), in.clear()), "end of file");
        } finally {
            Fds.close(pipe.readFd());
            Fds.close(pipe.writeFd());
        }
    }

    @Test
    void shouldReportAFullPipeAndAGoneReader() {
        Fds.Pipe pipe = Fds.pipe();
        try {
            Fds.setNonBlocking(pipe.writeFd());
            ByteBuffer chunk = ByteBuffer.allocateDirect(64 * 1024);
            int n;
            while ((n = Fds.write(pipe.writeFd(), chunk.clear())) > 0) {
                // fill the pipe
            }
            assertEquals(Fds.AGAIN, n);
            Fds.close(pipe.readFd());
            NativeException e = assertThrows(NativeException.class, () -> Fds.write(pipe.writeFd(), chunk.clear()));
            assertEquals(Errno.EPIPE, e.errno());
        } finally {
            Fds.close(pipe.readFd());
            Fds.close(pipe.writeFd());
        }
    }
}
