package dev.tend.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SpawnerTest {
    private static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin", "LC_ALL", "C");

    private static ChildProcess start(String... argv) {
        return Spawner.spawn(new SpawnRequest(Path.of(argv[0]), List.of(argv), Path.of("/"), ENV, 0, -1));
    }

    private static String readAll(int fd) {
        StringBuilder out = new StringBuilder();
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            int n = Fds.read(fd, buffer.clear());
            if (n == 0) {
                return out.toString();
            }
            if (n > 0) {
                out.append(new String(buffer.array(), 0, n, StandardCharsets.UTF_8));
            } else {
                Thread.onSpinWait();
            }
        }
        throw new AssertionError("no end of file on fd " + fd + "; read so far: " + out);
    }

    /** Reads until {@code count} bytes have come (within 10 s). */
    private static String readSome(int fd, int count) {
        ByteBuffer buffer = ByteBuffer.allocate(count);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (buffer.hasRemaining() && System.nanoTime() < deadline) {
            if (Fds.read(fd, buffer) == Fds.AGAIN) {
                Thread.onSpinWait();
            }
        }
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
    }

    /**
     * Waits until the child holds exactly descriptors 0, 1 and 2. posix_spawn returns once the exec is done, when
     * the dynamic loader of the new program may still hold fd 3 open for a moment (ld.so.cache, a library); a
     * descriptor leaked from this JVM never goes away, so the wait still fails on a leak.
     */
    private static void awaitOnly012(int pid) {
        Set<String> only012 = new TreeSet<>(Set.of("0", "1", "2"));
        AtomicReference<Set<String>> fds = new AtomicReference<>();
        try {
            Await.until(Duration.ofSeconds(5), "descriptors 0, 1, 2 only", () -> {
                fds.set(fdsOf(pid));
                return only012.equals(fds.get());
            });
        } catch (AssertionError timedOut) {
            assertEquals(only012, fds.get(), "the child's descriptors");
            throw timedOut;
        }
    }

    private static Set<String> fdsOf(int pid) {
        try (Stream<Path> list = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return list.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ExitStatus awaitExit(ChildProcess child) {
        ExitStatus[] status = new ExitStatus[1];
        Await.until(Duration.ofSeconds(10), "exit of pid " + child.pid(),
                () -> (status[0] = child.tryReap().orElse(null)) != null);
        return status[0];
    }

    private static String statusField(int pid, String field) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(l -> l.startsWith(field + ":"))
                .map(l -> l.substring(field.length() + 1).trim())
                .findFirst().orElseThrow();
    }

    @Test
    void shouldPipeOutputAndDecodeExitCode() {
        try (ChildProcess child = start("/bin/sh", "-c", "echo out; echo err >&2; exit 3")) {
            assertEquals("out\n", readAll(child.stdout()));
            assertEquals("err\n", readAll(child.stderr()));
            assertEquals(new ExitStatus.Exited(3), awaitExit(child));
        }
    }

    @Test
    void shouldStartChildInItsOwnSessionAndGroup() {
        try (ChildProcess child = start("/bin/cat")) {
            assertEquals(child.pid(), LibC.getpgid(child.pid()));
            assertEquals(child.pid(), LibC.getsid(child.pid()));
            child.closeStdin();
            assertEquals(new ExitStatus.Exited(0), awaitExit(child));
        }
    }

    @Test
    void shouldStopOnStdinEof() {
        try (ChildProcess child = start("/bin/sh", "-c", "while read line; do :; done; echo bye")) {
            assertTrue(child.tryReap().isEmpty());
            child.closeStdin();
            assertEquals("bye\n", readAll(child.stdout()));
            assertEquals(new ExitStatus.Exited(0), awaitExit(child));
        }
    }

    @Test
    void shouldGiveChildNoDescriptorBut012() throws IOException {
        // Open descriptors the JVM would leak without close-from: a plain file and a pipe without CLOEXEC.
        try (var leak = Files.newInputStream(Path.of("/proc/self/status"));
             ChildProcess child = start("/bin/cat")) {
            awaitOnly012(child.pid());
            child.closeStdin();
            awaitExit(child);
        }
    }

    @Test
    void shouldGiveExtraPipesAtFd3() {
        try (ChildProcess child = Spawner.spawn(new SpawnRequest(Path.of("/bin/sh"),
                List.of("sh", "-c", "echo extra >&3"), Path.of("/"), ENV, 1, -1))) {
            assertEquals("extra\n", readAll(child.extraOutput(0)));
            assertEquals(new ExitStatus.Exited(0), awaitExit(child));
        }
    }

    @Test
    void shouldResetSignalMaskAndIgnoredSignals() throws IOException {
        // Ignore HUP in this JVM, as nohup would: the child must not inherit it.
        sun.misc.SignalHandler previous = sun.misc.Signal.handle(new sun.misc.Signal("HUP"),
                sun.misc.SignalHandler.SIG_IGN);
        try (ChildProcess child = start("/bin/cat")) {
            long blocked = Long.parseUnsignedLong(statusField(child.pid(), "SigBlk"), 16);
            long ignored = Long.parseUnsignedLong(statusField(child.pid(), "SigIgn"), 16);
            assertEquals(0, blocked, "blocked signals in child");
            // Bits 0..30 are signals 1..31; glibc keeps its internal signals 32 and 33 ignored, which is harmless.
            assertEquals(0, ignored & 0x7FFF_FFFFL, "ignored standard signals in child");
            child.closeStdin();
            awaitExit(child);
        } finally {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), previous);
        }
    }

    @Test
    void shouldKillWholeProcessGroup() throws IOException {
        try (ChildProcess child = start("/bin/sh", "-c", "trap '' TERM; sleep 1000 & echo $!; wait")) {
            StringBuilder line = new StringBuilder();
            ByteBuffer buffer = ByteBuffer.allocate(64);
            Await.until(Duration.ofSeconds(10), "grandchild pid", () -> {
                int n = Fds.read(child.stdout(), buffer.clear());
                if (n > 0) {
                    line.append(new String(buffer.array(), 0, n, StandardCharsets.US_ASCII));
                }
                return line.indexOf("\n") > 0;
            });
            int grandchild = Integer.parseInt(line.toString().trim());
            assertTrue(Files.exists(Path.of("/proc/" + grandchild)));
            assertTrue(child.signalGroup(Signal.KILL));
            assertEquals(new ExitStatus.Killed(9, false), awaitExit(child));
            Await.until(Duration.ofSeconds(10), "grandchild gone",
                    () -> !Files.exists(Path.of("/proc/" + grandchild)) || isZombie(grandchild));
        }
    }

    private static boolean isZombie(int pid) {
        try {
            return statusField(pid, "State").startsWith("Z");
        } catch (IOException e) {
            return true;
        }
    }

    @Test
    void shouldReportSignalExit() {
        try (ChildProcess child = start("/bin/cat")) {
            assertTrue(child.signal(Signal.TERM));
            assertEquals(new ExitStatus.Killed(15, false), awaitExit(child));
            assertFalse(child.signalGroup(Signal.TERM), "group is gone after reap");
        }
    }

    @Test
    void shouldNameMissingExecutable() {
        NativeException e = assertThrows(NativeException.class, () -> start("/nonexistent/program"));
        assertEquals(Errno.ENOENT, e.errno());
        assertEquals("posix_spawn /nonexistent/program: ENOENT (No such file or directory)", e.getMessage());
    }

    @Test
    void shouldApplyRequestedNofileLimit() throws IOException {
        try (ChildProcess child = Spawner.spawn(new SpawnRequest(Path.of("/bin/cat"), List.of("cat"),
                Path.of("/"), ENV, 0, 1000))) {
            String limits = Files.readAllLines(Path.of("/proc/" + child.pid() + "/limits")).stream()
                    .filter(l -> l.startsWith("Max open files")).findFirst().orElseThrow();
            assertEquals("1000", limits.split("\\s+")[3], limits);
            child.closeStdin();
            awaitExit(child);
        }
    }

    @Test
    void shouldUseRequestedDirectoryAndEnvironment() {
        try (ChildProcess child = Spawner.spawn(new SpawnRequest(Path.of("/bin/sh"),
                List.of("sh", "-c", "pwd; echo $ONLY; env | wc -l"), Path.of("/tmp"),
                Map.of("ONLY", "this"), 0, -1))) {
            String[] lines = readAll(child.stdout()).split("\n");
            assertEquals("/tmp", lines[0]);
            assertEquals("this", lines[1]);
            awaitExit(child);
        }
    }

    @Test
    void shouldRunForegroundChildOnOurStdioAndProcessGroup() throws IOException {
        try (ChildProcess child = Spawner.spawn(new SpawnRequest(Path.of("/bin/sleep"), List.of("sleep", "30"),
                Path.of("/"), ENV, 0, -1, true))) {
            assertEquals(-1, child.stdout());
            assertEquals(LibC.getpgid(0), LibC.getpgid(child.pid()), "same process group as its parent");
            awaitOnly012(child.pid());
            assertEquals(Files.readSymbolicLink(Path.of("/proc/self/fd/1")),
                    Files.readSymbolicLink(Path.of("/proc/" + child.pid() + "/fd/1")), "our own stdout");
            assertTrue(child.signal(Signal.KILL));
            assertEquals(new ExitStatus.Killed(9, false), awaitExit(child));
        }
    }

    @Test
    void shouldPipeOnlyTheStdoutOfAForegroundChildWhenAsked() throws IOException {
        try (ChildProcess child = Spawner.spawn(new SpawnRequest(Path.of("/bin/sh"),
                List.of("sh", "-c", "echo piped; exec sleep 30"), Path.of("/"), ENV, 0, -1, true, true))) {
            assertTrue(child.stdout() >= 0);
            assertEquals(-1, child.stdin());
            assertEquals("piped\n", readSome(child.stdout(), "piped\n".length()));
            assertEquals(LibC.getpgid(0), LibC.getpgid(child.pid()), "same process group as its parent");
            awaitOnly012(child.pid());
            assertEquals(Files.readSymbolicLink(Path.of("/proc/self/fd/2")),
                    Files.readSymbolicLink(Path.of("/proc/" + child.pid() + "/fd/2")), "our own stderr");
            assertEquals(Files.readSymbolicLink(Path.of("/proc/self/fd/" + child.stdout())).toString()
                    .replace("pipe:", ""), Files.readSymbolicLink(Path.of("/proc/" + child.pid() + "/fd/1")).toString()
                    .replace("pipe:", ""), "stdout is the pipe we read");
            assertTrue(child.signal(Signal.KILL));
            assertEquals(new ExitStatus.Killed(9, false), awaitExit(child));
            assertEquals("", readAll(child.stdout()), "end of file once the child is gone");
        }
    }

    @Test
    void shouldRecogniseTheJournalStreamByDeviceAndInode() throws Exception {
        Fds.Pipe pipe = Fds.pipe();
        try {
            // DEVICE:INODE as systemd writes it, from coreutils' stat(1) rather than from the code under test.
            Process stat = new ProcessBuilder("stat", "-L", "--format=%d:%i",
                    "/proc/" + ProcessHandle.current().pid() + "/fd/" + pipe.writeFd()).start();
            String devIno = new String(stat.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertEquals(0, stat.waitFor());
            long ino = Long.parseLong(devIno.substring(devIno.indexOf(':') + 1));
            assertTrue(Fds.isJournalStream(pipe.writeFd(), devIno));
            assertFalse(Fds.isJournalStream(pipe.writeFd(), devIno.substring(0, devIno.indexOf(':') + 1) + (ino + 1)));
            assertFalse(Fds.isJournalStream(pipe.writeFd(), null));
            assertFalse(Fds.isJournalStream(pipe.writeFd(), "garbage"));
        } finally {
            Fds.close(pipe.readFd());
            Fds.close(pipe.writeFd());
        }
    }
}
