package dev.tend.os;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnixStreamSocketTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private int listenFd = -1;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);

    @AfterEach
    void closeListener() {
        Fds.close(listenFd);
    }

    private static SocketChannel connect(Path path) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(path));
        return channel;
    }

    private int acceptOne() {
        int[] fd = {UnixStreamSocket.AGAIN};
        Await.until(WAIT, "a pending connection", () -> (fd[0] = UnixStreamSocket.accept(listenFd)) >= 0);
        return fd[0];
    }

    @Test
    void shouldListenOnASocketFileWithMode0600() throws IOException {
        Path path = dir.resolve("control.sock");
        listenFd = UnixStreamSocket.listen(path, 16);

        int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        assertEquals(0140000, mode & 0170000, "file type is S_IFSOCK");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
        assertEquals(LibC.O_NONBLOCK, LibC.fcntl(listenFd, LibC.F_GETFL, 0) & LibC.O_NONBLOCK);
        assertEquals(LibC.FD_CLOEXEC, LibC.fcntl(listenFd, LibC.F_GETFD, 0) & LibC.FD_CLOEXEC);
    }

    @Test
    void shouldAcceptNonBlockingCloseOnExecConnectionsAndReportAgainWhenNonePending() throws IOException {
        Path path = dir.resolve("s");
        listenFd = UnixStreamSocket.listen(path, 16);
        assertEquals(UnixStreamSocket.AGAIN, UnixStreamSocket.accept(listenFd));

        try (SocketChannel client = connect(path)) {
            int fd = acceptOne();
            try {
                assertEquals(LibC.O_NONBLOCK, LibC.fcntl(fd, LibC.F_GETFL, 0) & LibC.O_NONBLOCK);
                assertEquals(LibC.FD_CLOEXEC, LibC.fcntl(fd, LibC.F_GETFD, 0) & LibC.FD_CLOEXEC);
                assertEquals(UnixStreamSocket.AGAIN, UnixStreamSocket.accept(listenFd), "only one was pending");
            } finally {
                Fds.close(fd);
            }
        }
    }

    @Test
    void shouldReportThePeersPidUidAndGid() throws IOException {
        Path path = dir.resolve("s");
        listenFd = UnixStreamSocket.listen(path, 16);
        // A separate process connects, so the pid cannot be mistaken for our own.
        String script = "import socket,sys\n"
                + "s=socket.socket(socket.AF_UNIX,socket.SOCK_STREAM)\n"
                + "s.connect(sys.argv[1])\n"
                + "s.sendall(b'x')\n"
                + "sys.stdin.read()\n";
        SpawnRequest request = new SpawnRequest(Path.of("/usr/bin/python3"),
                List.of("python3", "-c", script, path.toString()), Path.of("/"),
                Map.of("PATH", "/usr/bin:/bin"), 0, -1);
        try (ChildProcess child = Spawner.spawn(request)) {
            int fd = acceptOne();
            try {
                UnixStreamSocket.PeerCredentials peer = UnixStreamSocket.peerCredentials(fd);
                assertEquals(child.pid(), peer.pid());
                assertEquals(LibC.geteuid(), peer.uid());
                assertEquals(effectiveGid(), peer.gid());
            } finally {
                Fds.close(fd);
                child.closeStdin();
                Await.until(WAIT, "python to exit", () -> child.tryReap().isPresent());
            }
        }
    }

    private static int effectiveGid() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Gid:")) {
                return Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
            }
        }
        throw new AssertionError("no Gid line in /proc/self/status");
    }

    @Test
    void shouldReadDataThenAgainThenEndOfStream() throws IOException {
        Path path = dir.resolve("s");
        listenFd = UnixStreamSocket.listen(path, 16);
        SocketChannel client = connect(path);
        int fd = acceptOne();
        try {
            assertEquals(UnixStreamSocket.AGAIN, UnixStreamSocket.read(fd, buffer.clear().limit(100)));
            client.write(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)));
            int[] n = {UnixStreamSocket.AGAIN};
            Await.until(WAIT, "data", () -> (n[0] = UnixStreamSocket.read(fd, buffer.clear().limit(100))) != UnixStreamSocket.AGAIN);
            assertEquals(5, n[0]);
            assertEquals(5, buffer.position(), "the position moves past what was read");
            byte[] hello = new byte[5];
            buffer.get(0, hello);
            assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), hello);
            assertEquals(UnixStreamSocket.AGAIN, UnixStreamSocket.read(fd, buffer.clear().limit(100)));

            client.close();
            assertEquals(0, UnixStreamSocket.read(fd, buffer.clear().limit(100)), "end of stream once the peer closed");
        } finally {
            Fds.close(fd);
            client.close();
        }
    }

    @Test
    void shouldReportAgainWhenTheBufferIsFullAndClosedOnceThePeerHasGone() throws IOException {
        Path path = dir.resolve("s");
        listenFd = UnixStreamSocket.listen(path, 16);
        SocketChannel client = connect(path);
        int fd = acceptOne();
        try {
            long written = 0;
            int n;
            // The client reads nothing; the kernel buffers fill up and the write must not block.
            while ((n = UnixStreamSocket.write(fd, buffer.clear())) > 0) {
                written += n;
                assertTrue(written < 64L * 1024 * 1024, "socket buffers cannot hold 64 MiB");
            }
            assertEquals(UnixStreamSocket.AGAIN, n);
            assertTrue(written > 0);

            client.close();
            // EPIPE (or ECONNRESET, data of ours being unread) instead of SIGPIPE.
            assertEquals(UnixStreamSocket.CLOSED, UnixStreamSocket.write(fd, buffer.clear().limit(10)));
            assertEquals(UnixStreamSocket.CLOSED, UnixStreamSocket.write(fd, buffer.clear().limit(10)));
        } finally {
            Fds.close(fd);
            client.close();
        }
    }

    @Test
    void shouldNameThePathWhenAFileIsAlreadyThere() throws IOException {
        Path path = dir.resolve("taken.sock");
        listenFd = UnixStreamSocket.listen(path, 16);

        NativeException e = assertThrows(NativeException.class, () -> UnixStreamSocket.listen(path, 16));
        assertEquals(Errno.EADDRINUSE, e.errno());
        assertEquals("bind " + path + ": EADDRINUSE (Address already in use)", e.getMessage());
    }

    @Test
    void shouldRejectPathsLongerThan107Bytes() {
        Path exact = pathOfLength(107);
        listenFd = UnixStreamSocket.listen(exact, 16);
        assertTrue(Files.exists(exact));

        Path tooLong = pathOfLength(108);
        NativeException e = assertThrows(NativeException.class, () -> UnixStreamSocket.listen(tooLong, 16));
        assertEquals(36, e.errno());
        assertEquals("bind " + tooLong + " (108 bytes; a Unix socket path holds at most 107): ENAMETOOLONG"
                + " (File name too long)", e.getMessage());
        assertFalse(Files.exists(tooLong));
    }

    private Path pathOfLength(int bytes) {
        String prefix = dir.toString() + "/";
        return Path.of(prefix + "x".repeat(bytes - prefix.length()));
    }

    @Test
    void shouldDeleteAStaleSocketFileButNothingElse() throws IOException {
        Path path = dir.resolve("stale.sock");
        Fds.close(UnixStreamSocket.listen(path, 16));
        // Its owner "died" without removing it: binding again fails until the file is removed.
        assertThrows(NativeException.class, () -> UnixStreamSocket.listen(path, 16));

        assertTrue(UnixStreamSocket.deleteStale(path));
        assertFalse(UnixStreamSocket.deleteStale(path), "nothing left to delete");
        listenFd = UnixStreamSocket.listen(path, 16);

        Path regular = Files.writeString(dir.resolve("notes.txt"), "keep me");
        IOException e = assertThrows(IOException.class, () -> UnixStreamSocket.deleteStale(regular));
        assertEquals("not removing " + regular + ": it is not a socket", e.getMessage());
        assertEquals("keep me", Files.readString(regular));
    }
}
