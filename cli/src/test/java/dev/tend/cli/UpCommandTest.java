package dev.tend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.os.Signal;
import dev.tend.testing.Await;
import dev.tend.testing.Processes;
import dev.tend.testing.TendProcess;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tend up} as a separate process, driven the way a user drives it. */
class UpCommandTest {
    @TempDir
    Path dir;

    @Test
    void shouldPrefixOutputAndStopGracefullyOnSigterm() throws Exception {
        Files.writeString(dir.resolve("tend.toml"), """
                [pool.queue]
                command = "echo ready $TEND_WORKER; while read line; do :; done; echo draining $TEND_WORKER"
                count = 2
                """);
        try (TendProcess tend = TendProcess.start(dir, "up")) {
            tend.awaitLine("queue.1 output", l -> l.equals("queue.1 | ready queue.1"));
            tend.awaitLine("queue.2 output", l -> l.equals("queue.2 | ready queue.2"));
            long worker = tend.awaitWorkerPid("queue.2");
            tend.signal(Signal.TERM);
            assertEquals(0, tend.awaitExit(), tend.stdout());
            assertTrue(tend.lines().contains("queue.1 | draining queue.1"), tend.stdout());
            assertTrue(tend.lines().contains("queue.2 | draining queue.2"), tend.stdout());
            assertTrue(tend.stdout().contains("tend    | SIGTERM received; stopping 2 workers"), tend.stdout());
            assertFalse(Processes.alive(worker));
        }
    }

    @Test
    void shouldKillAtOnceOnSecondInterrupt() throws Exception {
        Files.writeString(dir.resolve("tend.toml"), """
                [pool.stubborn]
                command = ["sleep", "1000"]
                grace = "1m"
                """);
        try (TendProcess tend = TendProcess.start(dir, "up")) {
            long worker = tend.awaitWorkerPid("stubborn.1");
            tend.signal(Signal.INT);
            tend.awaitLine("graceful stop", l -> l.contains("SIGINT received; stopping 1 worker"));
            tend.signal(Signal.INT);
            assertEquals(0, tend.awaitExit(), tend.stdout());
            assertTrue(tend.stdout().contains("SIGINT again: killing the remaining workers"), tend.stdout());
            assertFalse(Processes.alive(worker));
        }
    }

    @Test
    void shouldExitOneWhenAWorkerWasGivenUp() throws Exception {
        Files.writeString(dir.resolve("tend.toml"), """
                [pool.ok]
                command = "exit 0"
                [pool.broken]
                command = "echo boom >&2; exit 2"
                backoff_min = "10ms"
                max_failures = 2
                """);
        TendProcess.Result r = TendProcess.run(dir, "up");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.stdout().contains("broken.1 gave up after 2 consecutive failures"), r.toString());
        assertTrue(r.stdout().contains("every worker ended; some failed"), r.toString());
    }

    @Test
    void shouldExitZeroWhenEveryJobFinished() throws Exception {
        Files.writeString(dir.resolve("tend.toml"), """
                [pool.job]
                command = "echo job $TEND_INSTANCE done"
                count = 3
                """);
        TendProcess.Result r = TendProcess.run(dir, "up");
        assertEquals(0, r.exitCode(), r.toString());
        for (int i = 1; i <= 3; i++) {
            assertTrue(r.stdout().contains("job." + i + " | job " + i + " done"), r.toString());
        }
    }

    @Test
    void shouldStartWithoutPicocliAndStillReportItsUsageErrors() throws Exception {
        Files.writeString(dir.resolve("tend.toml"), """
                [pool.job]
                command = "echo job done"
                """);
        Path log = dir.resolve("classes.log");
        TendProcess.Result r = TendProcess.run(dir, Map.of("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + log),
                "up", "--log-format", "plain", "-c", "tend.toml");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.stdout().contains("job.1 | job done"), r.toString());
        List<String> loaded = Files.readAllLines(log);
        assertTrue(loaded.stream().anyMatch(l -> l.contains("dev.tend.cli.UpCommand ")), "the log works");
        assertEquals(List.of(), loaded.stream().filter(l -> l.contains(" picocli.")).toList());
        TendProcess.Result bad = TendProcess.run(dir, "up", "--log-format", "fancy");
        assertEquals(2, bad.exitCode(), bad.toString());
        assertTrue(bad.stderr().contains("--log-format"), bad.toString());
    }

    @Test
    void shouldLoadTheClassesOfAFirstRestartBeforeTheFirstWorkerStarts() throws Exception {
        Files.writeString(dir.resolve("tend.toml"), """
                [pool.sleeper]
                command = ["sleep", "1000"]
                stop_signal = "TERM"
                """);
        Path log = dir.resolve("classes.log");
        try (TendProcess tend = TendProcess.start(dir, Map.of("JAVA_TOOL_OPTIONS",
                "-Xlog:class+load=info:file=" + log), "up")) {
            tend.awaitWorkerPid("sleeper.1");
            // Stopped, never restarted: only the warm-up at start-up loads what a restart needs.
            tend.signal(Signal.TERM);
            assertEquals(0, tend.awaitExit(), tend.stdout());
        }
        List<String> loaded = Files.readAllLines(log);
        for (String name : List.of("dev.tend.engine.RestartPlanner ", "dev.tend.engine.RestartPlanner$Decision ")) {
            assertTrue(loaded.stream().anyMatch(l -> l.contains(name)), name + " is loaded");
        }
    }

    @Test
    void shouldLeaveNoEofHonoringWorkerBehindWhenKilledHard() throws Exception {
        Files.writeString(dir.resolve("tend.toml"), """
                [pool.reader]
                command = "while read line; do :; done"
                count = 3
                """);
        try (TendProcess tend = TendProcess.start(dir, "up")) {
            long[] workers = {tend.awaitWorkerPid("reader.1"), tend.awaitWorkerPid("reader.2"),
                    tend.awaitWorkerPid("reader.3")};
            for (long pid : workers) {
                assertTrue(Processes.alive(pid));
            }
            tend.signal(Signal.KILL);
            for (long pid : workers) {
                Await.until(TendProcess.WAIT, "worker " + pid + " to end after tend was killed",
                        () -> !Processes.alive(pid));
            }
        }
    }

    @Test
    void shouldRefuseInvalidConfigAndStartNothing() throws Exception {
        Path marker = dir.resolve("started");
        Files.writeString(dir.resolve("tend.toml"), """
                [pool.good]
                command = "touch started"
                [pool.bad]
                command = ["cat"]
                count = 0
                """);
        TendProcess.Result r = TendProcess.run(dir, "up");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.stderr().contains("tend.toml:5: pool.bad.count: must be between 1 and 10000 (got 0)"), r.toString());
        assertTrue(r.stderr().contains("1 error in the configuration; nothing was started"), r.toString());
        assertFalse(Files.exists(marker));
    }

    @Test
    void shouldSayWhyTheRuntimeDirectoryCannotBeUsed() throws Exception {
        Files.writeString(dir.resolve("tend.toml"), "[pool.a]\ncommand = [\"cat\"]\n");
        Path blocker = dir.resolve("not-a-directory");
        Files.writeString(blocker, "");
        TendProcess.Result r = TendProcess.run(dir, Map.of("TEND_RUNTIME_DIR", blocker.resolve("x").toString()),
                "up");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.stderr().contains("cannot create the runtime directory " + blocker.resolve("x") + " ("
                + blocker + " is in the way and is not a directory)"), r.toString());
        assertTrue(r.stderr().contains("set TEND_RUNTIME_DIR to a directory you can write"), r.toString());
    }

    @Test
    void shouldLeaveASharedBaseDirectoryAsItIsAndKeepItsOwnPrivate() throws Exception {
        Path shared = dir.resolve("shared");
        Files.createDirectory(shared);
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.writeString(dir.resolve("tend.toml"), "[pool.a]\ncommand = \"tend ps --name $TEND_NAME; exec cat\"\n");
        try (TendProcess tend = TendProcess.start(dir, Map.of("TEND_RUNTIME_DIR", shared.toString()), "up")) {
            tend.awaitLine("tend ps run by the worker itself", l -> l.startsWith("a.1  | a.1 "));
            assertEquals("rwxrwxrwx", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(shared)), "an existing base directory is not re-moded");
            assertEquals("rwx------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(shared.resolve(dir.getFileName().toString()))));
            tend.signal(Signal.TERM);
            assertEquals(0, tend.awaitExit());
        }
    }

    @Test
    void shouldWriteTheWorkersBytesToStdoutUnchanged() throws Exception {
        byte[] blob = new byte[5000];
        new Random(12).nextBytes(blob);
        for (int i = 0; i < blob.length; i++) {
            blob[i] = blob[i] == '\n' ? (byte) 0xFF : blob[i];
        }
        Files.write(dir.resolve("blob"), blob);
        Files.writeString(dir.resolve("tend.toml"), """
                [pool.bin]
                command = "cat blob; echo; cat blob >&2; echo >&2"
                """);
        try (TendProcess tend = TendProcess.start(dir, "up")) {
            assertEquals(0, tend.awaitExit(), tend.stdout());
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            expected.writeBytes("bin.1 | ".getBytes(StandardCharsets.US_ASCII));
            expected.writeBytes(blob);
            expected.write('\n');
            byte[] line = expected.toByteArray();
            byte[] out = tend.stdoutBytes();
            int first = indexOf(out, line, 0);
            assertTrue(first >= 0, "stdout and stderr lines as the worker wrote them, after tend's prefix");
            assertTrue(indexOf(out, line, first + line.length) >= 0, "the stderr line too");
        }
    }

    /** The daemon is not a client, but picocli's model of its command line would stay in its memory as long as it runs. */
    @Test
    void shouldRunWithoutPicocli() throws Exception {
        Files.writeString(dir.resolve("tend.toml"), """
                [pool.idle]
                command = ["sleep", "1000"]
                """);
        Path log = dir.resolve("classes.log");
        try (TendProcess tend = TendProcess.start(dir, Map.of("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + log),
                "up", "--log-format", "plain", "-c", "tend.toml")) {
            long worker = tend.awaitWorkerPid("idle.1");
            tend.signal(Signal.TERM);
            assertEquals(0, tend.awaitExit(), tend.stdout());
            assertFalse(Processes.alive(worker));
        }
        List<String> loaded = Files.readAllLines(log);
        assertTrue(loaded.size() > 100, "a class-loading log");
        assertEquals(List.of(), loaded.stream().filter(l -> l.contains(" picocli.")).toList());
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        for (int i = from; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }
}
