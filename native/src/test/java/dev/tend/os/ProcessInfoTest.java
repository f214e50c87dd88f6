package dev.tend.os;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessInfoTest {
    private static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin", "LC_ALL", "C");

    @TempDir
    Path dir;

    private static ChildProcess start(String... argv) {
        return Spawner.spawn(new SpawnRequest(Path.of(argv[0]), List.of(argv), Path.of("/"), ENV, 0, -1));
    }

    private static ExitStatus awaitExit(ChildProcess child) {
        ExitStatus[] status = new ExitStatus[1];
        Await.until(Duration.ofSeconds(10), "exit of pid " + child.pid(),
                () -> (status[0] = child.tryReap().orElse(null)) != null);
        return status[0];
    }

    /** Now, in the clock ticks (1/100 s) {@code starttime} is counted in; both count from boot. */
    private static long uptimeTicks() {
        try {
            String seconds = Files.readString(Path.of("/proc/uptime")).split(" ")[0];
            return Math.round(Double.parseDouble(seconds) * 100);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static char state(int pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.ISO_8859_1);
            return stat.charAt(stat.lastIndexOf(')') + 2);
        } catch (IOException e) {
            return '?';
        }
    }

    @Test
    void shouldKeepStartTimeOfLiveProcessAndDistinguishNewOne() {
        try (ChildProcess first = start("/bin/cat")) {
            long started = ProcessInfo.startTime(first.pid()).orElseThrow();
            assertEquals(OptionalLong.of(started), ProcessInfo.startTime(first.pid()));
            assertTrue(ProcessInfo.exists(first.pid(), started));
            assertFalse(ProcessInfo.exists(first.pid(), started + 1), "same pid, other start time");
            assertTrue(Math.abs(uptimeTicks() - started) < 100 * 60, "start time counts ticks since boot");
            // Start times have a resolution of one tick: the next process must start in a later one.
            Await.until(Duration.ofSeconds(5), "next clock tick", () -> uptimeTicks() > started + 1);
            try (ChildProcess second = start("/bin/cat")) {
                long secondStarted = ProcessInfo.startTime(second.pid()).orElseThrow();
                assertTrue(secondStarted > started, secondStarted + " after " + started);
                assertFalse(ProcessInfo.exists(second.pid(), started));
                second.closeStdin();
                awaitExit(second);
            }
            assertEquals(OptionalLong.of(started), ProcessInfo.startTime(first.pid()));
            first.closeStdin();
            awaitExit(first);
        }
    }

    @Test
    void shouldParseStatWhenCommHoldsSpacesAndParentheses() throws IOException {
        // Field values after a naive split at the first ')' would be " c) 7 8) S …", all shifted.
        String name = "a b) c) 7 8";
        Path sleep = dir.resolve(name);
        Files.createSymbolicLink(sleep, Path.of("/bin/sleep"));
        try (ChildProcess child = Spawner.spawn(new SpawnRequest(sleep, List.of(name, "1000"), Path.of("/"),
                ENV, 0, -1))) {
            assertEquals(name, Files.readString(Path.of("/proc/" + child.pid() + "/comm")).strip(),
                    "the kernel took the name of the link as comm");
            assertEquals(OptionalInt.of(LibC.getpid()), ProcessInfo.parentPid(child.pid()));
            assertEquals(OptionalInt.of(child.pid()), ProcessInfo.processGroup(child.pid()));
            long started = ProcessInfo.startTime(child.pid()).orElseThrow();
            assertTrue(ProcessInfo.exists(child.pid(), started));
            child.signal(Signal.KILL);
            awaitExit(child);
        }
    }

    @Test
    void shouldSplitFieldsAfterLastParenthesis() {
        StringBuilder line = new StringBuilder("123 (x) (y) 9) S 77 88 88");
        for (int field = 7; field <= 52; field++) {
            line.append(' ').append(field);
        }
        line.append('\n');
        String[] fields = ProcessInfo.fieldsAfterComm(line.toString());
        assertEquals("S", fields[0]);
        assertEquals("77", fields[1]);
        assertEquals("88", fields[2]);
        assertEquals("22", fields[22 - 3]);
        assertEquals("52", fields[fields.length - 1]);
        assertNull(ProcessInfo.fieldsAfterComm("123 (no closing parenthesis S 1 2"));
        assertNull(ProcessInfo.fieldsAfterComm("123 (short) S 1 2"));
        assertArrayEquals(fields, ProcessInfo.fieldsAfterComm(line.toString()));
    }

    @Test
    void shouldExistAsZombieAndNotAfterReap() {
        try (ChildProcess child = start("/bin/cat")) {
            int pid = child.pid();
            long started = ProcessInfo.startTime(pid).orElseThrow();
            child.closeStdin();
            Await.until(Duration.ofSeconds(10), "zombie", () -> state(pid) == 'Z');
            assertTrue(ProcessInfo.exists(pid, started), "a zombie still holds its pid");
            assertEquals(new ExitStatus.Exited(0), child.tryReap().orElseThrow());
            assertFalse(ProcessInfo.exists(pid, started));
            assertFalse(ProcessInfo.pidfdOpen(pid).isPresent(), "no process to open a pidfd for");
        }
    }

    @Test
    void shouldAnswerEmptyForNoProcess() {
        assertEquals(OptionalLong.empty(), ProcessInfo.startTime(0));
        assertEquals(OptionalInt.empty(), ProcessInfo.parentPid(-1));
        assertEquals(OptionalInt.empty(), ProcessInfo.processGroup(Integer.MAX_VALUE));
        assertFalse(ProcessInfo.exists(Integer.MAX_VALUE, 1));
        assertThrows(IllegalArgumentException.class, () -> ProcessInfo.pidfdOpen(0));
    }

    @Test
    void shouldWatchExitOfProcessThatIsNotOurChild() {
        try (ChildProcess shell = start("/bin/sh", "-c", "sleep 1000 & echo $!; wait $!")) {
            int grandchild = readPid(shell);
            assertEquals(OptionalInt.of(shell.pid()), ProcessInfo.parentPid(grandchild), "not our child");
            int pidfd = ProcessInfo.pidfdOpen(grandchild).orElseThrow();
            List<Throwable> errors = new ArrayList<>();
            boolean[] exited = new boolean[1];
            boolean[] readableBeforeKill = new boolean[1];
            try (Reactor reactor = new Reactor(errors::add)) {
                reactor.register(pidfd, Interest.READ, events -> {
                    exited[0] = true;
                    reactor.stop();
                });
                reactor.schedule(100, TimeUnit.MILLISECONDS, () -> {
                    readableBeforeKill[0] = exited[0];
                    assertEquals(0, LibC.kill(grandchild, Signal.KILL.number()));
                });
                reactor.schedule(20, TimeUnit.SECONDS, reactor::stop);
                reactor.run();
            } finally {
                Fds.close(pidfd);
            }
            assertEquals(List.of(), errors);
            assertFalse(readableBeforeKill[0], "pidfd readable while the process ran");
            assertTrue(exited[0], "pidfd never became readable");
            // The shell reaps the grandchild and passes its status on.
            assertEquals(new ExitStatus.Exited(128 + 9), awaitExit(shell));
        }
    }

    private static int readPid(ChildProcess child) {
        StringBuilder line = new StringBuilder();
        ByteBuffer buffer = ByteBuffer.allocate(64);
        Await.until(Duration.ofSeconds(10), "pid on stdout", () -> {
            int n = Fds.read(child.stdout(), buffer.clear());
            if (n > 0) {
                line.append(new String(buffer.array(), 0, n, StandardCharsets.US_ASCII));
            }
            return line.indexOf("\n") > 0;
        });
        return Integer.parseInt(line.toString().trim());
    }

    @Test
    void shouldReadStateThreadsAndStartTimeInOneGo() throws Exception {
        int self = LibC.getpid();
        ProcessInfo.Stat stat = ProcessInfo.readStat(self).orElseThrow();
        assertTrue(stat.threads() > 1, "a JVM runs many threads: " + stat);
        assertTrue("RS".indexOf(stat.state()) >= 0, stat.toString());
        assertEquals(ProcessInfo.startTime(self).getAsLong(), stat.startTime());
        assertEquals(LibC.getppid(), stat.parentPid());
        assertFalse(stat.exited());
        assertTrue(new ProcessInfo.Stat('Z', 1, 1, 1, 0).exited());
        assertFalse(new ProcessInfo.Stat('Z', 1, 1, 3, 0).exited(), "a zombie leader whose threads run on");
        assertTrue(ProcessInfo.readStat(Integer.MAX_VALUE - 1).isEmpty());
    }
}
