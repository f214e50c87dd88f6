package dev.tend.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotifySocketTest {
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    @TempDir
    Path dir;

    @Test
    void shouldReceiveFromSdNotifyWithSenderCredentials() {
        try (NotifySocket socket = NotifySocket.bind(dir.resolve("notify"));
             SdNotify sender = SdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", socket.address())).orElseThrow()) {
            assertEquals(Optional.empty(), socket.receive(), "nothing queued yet");
            assertTrue(sender.send("READY=1\nSTATUS=all good\n"));
            // A Unix datagram is queued at the receiver before sendto returns.
            NotifyMessage m = socket.receive().orElseThrow();
            assertTrue(m.isReady());
            assertEquals(Optional.of("all good"), m.status());
            assertEquals("READY=1\nSTATUS=all good\n", m.text());
            assertFalse(m.truncated());
            assertEquals(LibC.getpid(), m.pid());
            assertEquals(LibC.getuid(), m.uid());
            assertEquals(LibC.getgid(), m.gid());
            assertEquals(Optional.empty(), socket.receive());
        }
    }

    @Test
    void shouldReleaseSystemdNotifyBarrier() throws IOException {
        Path tool = Path.of("/usr/bin/systemd-notify");
        Assumptions.assumeTrue(Files.isExecutable(tool), "systemd-notify is not installed");
        try (NotifySocket socket = NotifySocket.bind(dir.resolve("notify"));
             ChildProcess child = Spawner.spawn(new SpawnRequest(tool,
                     List.of("systemd-notify", "--ready", "--status=hello"), Path.of("/"),
                     Map.of("NOTIFY_SOCKET", socket.address(), "PATH", "/usr/bin:/bin"), 0, -1))) {
            List<NotifyMessage> received = new ArrayList<>();
            ExitStatus status = collectUntilExit(socket, child, received);
            // Exit 0 proves the barrier descriptor was closed: systemd-notify fails after a timeout otherwise.
            assertEquals(new ExitStatus.Exited(0), status, "systemd-notify; received " + received);
            NotifyMessage ready = received.stream().filter(NotifyMessage::isReady).findFirst()
                    .orElseThrow(() -> new AssertionError("no READY=1 in " + received));
            assertEquals(Optional.of("hello"), ready.status());
            assertTrue(received.stream().anyMatch(m -> "1".equals(m.assignments().get("BARRIER"))),
                    "barrier message in " + received);
            // As root, systemd-notify claims its parent's pid for the READY message.
            assertTrue(ready.pid() == child.pid() || ready.pid() == LibC.getpid(), "sender pid " + ready.pid());
            assertEquals(LibC.getuid(), ready.uid());
        }
    }

    @Test
    void shouldCloseDescriptorsPassedWithMessage() throws IOException {
        Path python;
        try {
            python = Executables.resolve("python3", System.getenv("PATH"), Path.of("/"));
        } catch (Executables.NotExecutableException e) {
            Assumptions.abort("python3 is not installed");
            return;
        }
        // Sends two copies of a pipe's write end, drops its own, then waits (bounded) for end of file on the
        // read end: that comes only once the receiver has closed both copies.
        String script = String.join("\n",
                "import array, os, select, socket, sys",
                "r, w = os.pipe()",
                "w2 = os.dup(w)",
                "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)",
                "s.sendmsg([b'FDSTORE=1\\nFDNAME=pipe'],",
                "          [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array('i', [w, w2]))], 0, sys.argv[1])",
                "os.close(w); os.close(w2)",
                "p = select.poll(); p.register(r, select.POLLIN)",
                "if not p.poll(20000): sys.exit(3)",
                "sys.exit(0 if os.read(r, 1) == b'' else 4)");
        Map<String, String> env = new HashMap<>(System.getenv());
        try (NotifySocket socket = NotifySocket.bind(dir.resolve("notify"));
             ChildProcess child = Spawner.spawn(new SpawnRequest(python,
                     List.of("python3", "-c", script, socket.address()), Path.of("/"), env, 0, -1))) {
            Set<String> fdsBefore = openFds();
            List<NotifyMessage> received = new ArrayList<>();
            ExitStatus status = collectUntilExit(socket, child, received);
            assertEquals(new ExitStatus.Exited(0), status, "python (3 = descriptor never closed); received "
                    + received + "; stderr: " + readAvailable(child.stderr()));
            assertEquals(1, received.size(), received.toString());
            NotifyMessage m = received.get(0);
            assertEquals(Map.of("FDSTORE", "1", "FDNAME", "pipe"), m.assignments());
            assertEquals(child.pid(), m.pid());
            assertEquals(LibC.getuid(), m.uid());
            Set<String> leaked = openFds();
            leaked.removeAll(fdsBefore);
            assertEquals(Set.of(), leaked, "descriptors left open by receive()");
        }
    }

    @Test
    void shouldReportTruncatedDatagram() {
        try (NotifySocket socket = NotifySocket.bind(dir.resolve("notify"));
             SdNotify sender = SdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", socket.address())).orElseThrow()) {
            String big = "READY=1\nSTATUS=" + "x".repeat(NotifySocket.MAX_MESSAGE_BYTES);
            assertTrue(sender.send(big));
            assertTrue(sender.send("STATUS=small"));
            NotifyMessage cut = socket.receive().orElseThrow();
            assertTrue(cut.truncated());
            assertEquals(NotifySocket.MAX_MESSAGE_BYTES, cut.text().length());
            assertEquals(big.substring(0, NotifySocket.MAX_MESSAGE_BYTES), cut.text());
            assertFalse(cut.isReady(), "a truncated message is not interpreted");
            assertEquals(LibC.getpid(), cut.pid());
            NotifyMessage next = socket.receive().orElseThrow();
            assertFalse(next.truncated());
            assertEquals(Optional.of("small"), next.status());
        }
    }

    @Test
    void shouldAcceptMessageOfExactlyBufferSize() {
        try (NotifySocket socket = NotifySocket.bind(dir.resolve("notify"));
             SdNotify sender = SdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", socket.address())).orElseThrow()) {
            String full = "STATUS=" + "y".repeat(NotifySocket.MAX_MESSAGE_BYTES - "STATUS=".length());
            assertTrue(sender.send(full));
            NotifyMessage m = socket.receive().orElseThrow();
            assertFalse(m.truncated());
            assertEquals(full.substring("STATUS=".length()), m.status().orElseThrow());
        }
    }

    @Test
    void shouldCreateOwnerOnlySocketFileAndRemoveItOnClose() throws IOException {
        Path path = dir.resolve("notify");
        NotifySocket socket = NotifySocket.bind(path);
        try {
            assertEquals(Optional.of(path), socket.path());
            assertEquals(path.toString(), socket.address());
            int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            assertEquals(S_IFSOCK, mode & S_IFMT, "a socket file");
            assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                    Files.getPosixFilePermissions(path));
        } finally {
            socket.close();
        }
        assertFalse(Files.exists(path, LinkOption.NOFOLLOW_LINKS), "socket file removed by close");
        assertEquals(-1, socket.fd());
        socket.close();
        assertThrows(IllegalStateException.class, socket::receive);
    }

    @Test
    void shouldNotRemoveFileThatReplacedItsSocket() throws IOException {
        Path path = dir.resolve("notify");
        NotifySocket socket = NotifySocket.bind(path);
        Files.delete(path);
        Files.writeString(path, "someone else's");
        socket.close();
        assertEquals("someone else's", Files.readString(path));
    }

    @Test
    void shouldNameThePathWhenBindFails() throws IOException {
        Path taken = dir.resolve("taken");
        Files.writeString(taken, "");
        NativeException e = assertThrows(NativeException.class, () -> NotifySocket.bind(taken));
        assertEquals(Errno.EADDRINUSE, e.errno());
        assertTrue(e.getMessage().contains(taken.toString()), e.getMessage());
        assertEquals("", Files.readString(taken), "an existing file is left alone");

        Path missingDir = dir.resolve("missing/notify");
        NativeException missing = assertThrows(NativeException.class, () -> NotifySocket.bind(missingDir));
        assertEquals(Errno.ENOENT, missing.errno());
        assertTrue(missing.getMessage().contains(missingDir.toString()), missing.getMessage());
    }

    @Test
    void shouldRejectPathLongerThanSocketAddress() {
        String name = "n".repeat(107 - dir.toString().length());
        Path tooLong = dir.resolve(name);
        assertEquals(108, tooLong.toString().length());
        NativeException e = assertThrows(NativeException.class, () -> NotifySocket.bind(tooLong));
        assertEquals("ENAMETOOLONG", Errno.name(e.errno()));
        assertTrue(e.getMessage().contains(tooLong.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("108 bytes"), e.getMessage());

        Path longest = dir.resolve(name.substring(1));
        assertEquals(107, longest.toString().length());
        try (NotifySocket socket = NotifySocket.bind(longest);
             SdNotify sender = SdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", socket.address())).orElseThrow()) {
            assertTrue(sender.send("READY=1"));
            assertTrue(socket.receive().orElseThrow().isReady());
        }
    }

    @Test
    void shouldBindRelativePathAsAbsolute() {
        Path relative = Path.of("").toAbsolutePath().relativize(dir.resolve("rel"));
        try (NotifySocket socket = NotifySocket.bind(relative)) {
            assertTrue(socket.address().startsWith("/"), socket.address());
            assertEquals(dir.resolve("rel"), Path.of(socket.address()).normalize());
            assertTrue(Files.exists(dir.resolve("rel"), LinkOption.NOFOLLOW_LINKS));
        }
    }

    /**
     * Drains the socket on a {@link Reactor} until the child's pidfd reports its exit, then once more.
     *
     * @return the child's exit status.
     */
    static ExitStatus collectUntilExit(NotifySocket socket, ChildProcess child, List<NotifyMessage> received) {
        List<Throwable> errors = new ArrayList<>();
        ExitStatus[] status = new ExitStatus[1];
        try (Reactor reactor = new Reactor(errors::add)) {
            reactor.register(socket.fd(), Interest.READ, events -> drain(socket, received));
            reactor.register(child.pidfd(), Interest.READ, events -> {
                status[0] = child.tryReap().orElseThrow();
                reactor.stop();
            });
            reactor.schedule(30, TimeUnit.SECONDS, reactor::stop);
            reactor.run();
        }
        drain(socket, received);
        assertEquals(List.of(), errors, "errors in the reactor");
        if (status[0] == null) {
            child.signalGroup(Signal.KILL);
            fail("pid " + child.pid() + " did not exit within 30 s; received " + received);
        }
        return status[0];
    }

    private static void drain(NotifySocket socket, List<NotifyMessage> received) {
        for (Optional<NotifyMessage> m = socket.receive(); m.isPresent(); m = socket.receive()) {
            received.add(m.get());
        }
    }

    private static String readAvailable(int fd) {
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        int n = Fds.read(fd, buffer);
        return n > 0 ? new String(buffer.array(), 0, n, StandardCharsets.UTF_8) : "";
    }

    private static Set<String> openFds() throws IOException {
        try (var list = Files.list(Path.of("/proc/self/fd"))) {
            return list.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }
}
