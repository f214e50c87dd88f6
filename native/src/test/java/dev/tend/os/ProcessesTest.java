package dev.tend.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ProcessesTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static ChildProcess start(String... argv) {
        return Spawner.spawn(new SpawnRequest(Path.of(argv[0]), List.of(argv), Path.of("/"),
                Map.of("PATH", "/usr/bin:/bin"), 0, -1));
    }

    private static ExitStatus awaitExit(ChildProcess child) {
        ExitStatus[] status = new ExitStatus[1];
        Await.until(WAIT, "exit of pid " + child.pid(), () -> (status[0] = child.tryReap().orElse(null)) != null);
        return status[0];
    }

    private static int readPid(ChildProcess child) {
        StringBuilder line = new StringBuilder();
        ByteBuffer buffer = ByteBuffer.allocate(64);
        Await.until(WAIT, "a pid on stdout", () -> {
            int n = Fds.read(child.stdout(), buffer.clear());
            if (n > 0) {
                line.append(new String(buffer.array(), 0, n, StandardCharsets.US_ASCII));
            }
            return line.indexOf("\n") > 0;
        });
        return Integer.parseInt(line.toString().trim());
    }

    @Test
    void shouldSignalEveryProcessOfAGroup() {
        // The shell ignores TERM, so only the group signal's KILL ends it, and its background child with it.
        try (ChildProcess child = start("/bin/sh", "-c", "trap '' TERM; sleep 1000 & echo $!; wait")) {
            int member = readPid(child);
            assertEquals(child.pid(), ProcessInfo.processGroup(member).orElse(-1), "the sleep is in the group");

            assertTrue(Processes.signalGroup(child.pid(), Signal.KILL));
            assertEquals(new ExitStatus.Killed(9, false), awaitExit(child));
            Await.until(WAIT, "the member gone", () -> !ProcessInfo.isLive(member));
        }
    }

    @Test
    void shouldTellWhenNoProcessIsLeftInAGroup() {
        try (ChildProcess child = start("/bin/sleep", "1000")) {
            assertTrue(Processes.signalGroup(child.pid(), Signal.KILL));
            assertEquals(new ExitStatus.Killed(9, false), awaitExit(child));
            assertFalse(Processes.signalGroup(child.pid(), Signal.KILL), "its only member reaped (ESRCH)");
        }
    }

    @Test
    void shouldSignalOneProcessAndTellWhenItIsGone() {
        try (ChildProcess child = start("/bin/sleep", "1000")) {
            assertTrue(Processes.signal(child.pid(), Signal.TERM));
            assertEquals(new ExitStatus.Killed(15, false), awaitExit(child));
            assertFalse(Processes.signal(child.pid(), Signal.TERM), "reaped: no such process (ESRCH)");
        }
    }

    @Test
    void shouldRefuseNumbersThatKillGivesOtherMeanings() {
        // kill(0) is the caller's own group, kill(-1) every process it may signal: never what a caller means.
        assertThrows(IllegalArgumentException.class, () -> Processes.signal(0, Signal.TERM));
        assertThrows(IllegalArgumentException.class, () -> Processes.signal(-5, Signal.TERM));
        assertThrows(IllegalArgumentException.class, () -> Processes.signalGroup(1, Signal.TERM));
        assertThrows(IllegalArgumentException.class, () -> Processes.signalGroup(0, Signal.TERM));
    }

    @Test
    void shouldThrowWhenAProcessMayNotBeSignalled() throws Exception {
        int initOwner = (Integer) Files.getAttribute(Path.of("/proc/1"), "unix:uid", LinkOption.NOFOLLOW_LINKS);
        Assumptions.assumeTrue(CurrentProcess.effectiveUid() != 0 && initOwner != CurrentProcess.effectiveUid(),
                "needs a user who may not signal PID 1");
        NativeException e = assertThrows(NativeException.class, () -> Processes.signal(1, Signal.CONT));
        assertEquals(Errno.EPERM, e.errno());
        assertEquals("kill pid 1 with SIGCONT: EPERM (Operation not permitted)", e.getMessage());
    }

    @Test
    void shouldKnowWhoThisProcessIs() throws Exception {
        assertEquals(ProcessHandle.current().pid(), CurrentProcess.pid());
        // /proc/self/status: "Uid: real effective saved filesystem".
        String[] uids = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow().substring(4).trim().split("\\s+");
        assertEquals(Integer.parseInt(uids[0]), UserId.real());
        assertEquals(Integer.parseInt(uids[1]), CurrentProcess.effectiveUid());
    }
}
