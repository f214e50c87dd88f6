package dev.tend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.os.Signal;
import dev.tend.testing.Await;
import dev.tend.testing.Processes;
import dev.tend.testing.TendProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tend run: services up, command, tear down, its exit code passed on. */
class RunCommandTest {
    @TempDir
    Path dir;

    @Test
    void shouldRunCommandOnceReadyAndPassItsExitCodeOn() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-notify")),
                "systemd-notify is missing");
        Files.writeString(dir.resolve("tend.toml"), """
                [pool.svc]
                command = "echo serving; systemd-notify --ready; while read l; do :; done; echo svc stopped cleanly"
                count = 2
                ready = "notify"
                """);
        TendProcess.Result r = TendProcess.run(dir, "run", "--", "sh", "-c",
                "tend_ps_ok=no; [ -S \"$TEND_SOCKET\" ] && tend_ps_ok=yes; echo socket=$tend_ps_ok;"
                        + " [ -f \"$TEND_STATE\" ] && echo state=yes; exit 7");
        assertEquals(7, r.exitCode(), r.toString());
        assertTrue(r.stdout().contains("socket=yes"), "the command has the instance's environment: " + r);
        assertTrue(r.stdout().contains("state=yes"), "the command can read the state file: " + r);
        assertTrue(r.stdout().contains("svc.1 | svc stopped cleanly"), r.toString());
        assertTrue(r.stdout().contains("svc.2 | svc stopped cleanly"), r.toString());
        int serving = r.stdout().indexOf("svc.2 | serving");
        int ran = r.stdout().indexOf("socket=yes");
        assertTrue(serving >= 0 && ran > serving, "the command ran after the workers were up: " + r);
        assertEquals(0, TendProcess.run(dir, "run", "--", "true").exitCode());
    }

    @Test
    void shouldKeepTheCommandsLastLineApartFromTendsNextOne() throws Exception {
        Files.writeString(dir.resolve("tend.toml"), "[pool.svc]\ncommand = [\"cat\"]\n");
        TendProcess.Result r = TendProcess.run(dir, "run", "--", "sh", "-c", "echo first; printf 'no newline'");
        assertEquals(0, r.exitCode(), r.toString());
        List<String> lines = r.stdout().lines().toList();
        int last = lines.indexOf("no newline");
        assertTrue(lines.indexOf("first") >= 0 && last > lines.indexOf("first"), r.toString());
        assertTrue(last + 1 < lines.size() && lines.get(last + 1).startsWith("tend"),
                "tend's next line starts a line of its own: " + r);
    }

    @Test
    void shouldFailFastWithReportWhenAWorkerIsGivenUp() throws Exception {
        Files.writeString(dir.resolve("tend.toml"), """
                [pool.ok]
                command = ["cat"]
                [pool.db]
                command = "echo cannot bind port 5432 >&2; exit 1"
                ready = "notify"
                backoff_min = "10ms"
                max_failures = 2
                """);
        long before = System.nanoTime();
        TendProcess.Result r = TendProcess.run(dir, "run", "--ready-timeout", "1m", "--", "touch", "ran");
        assertTrue(System.nanoTime() - before < 30_000_000_000L, "did not wait for the ready timeout");
        assertEquals(4, r.exitCode(), r.toString());
        assertFalse(Files.exists(dir.resolve("ran")), "the command must not run");
        assertTrue(r.stdout().contains("db.1 gave up after 2 consecutive failures (max_failures = 2); not running touch ran"),
                r.toString());
        assertTrue(r.stdout().contains("    cannot bind port 5432"), r.toString());
    }

    @Test
    void shouldTimeOutWithExitFour() throws Exception {
        Files.writeString(dir.resolve("tend.toml"), """
                [pool.never]
                command = ["cat"]
                ready = "notify"
                """);
        TendProcess.Result r = TendProcess.run(dir, "run", "--ready-timeout", "700ms", "--", "touch", "ran");
        assertEquals(4, r.exitCode(), r.toString());
        assertFalse(Files.exists(dir.resolve("ran")));
        assertTrue(r.stdout().contains("timed out after 700ms waiting for never.1 to be ready"), r.toString());
        assertTrue(r.stdout().contains("never.1 not ready after 700ms (state starting)"), r.toString());
    }

    @Test
    void shouldTearDownOnSigtermDuringTheCommand() throws Exception {
        Files.writeString(dir.resolve("tend.toml"), "[pool.svc]\ncommand = \"while read l; do :; done\"\n");
        try (TendProcess tend = TendProcess.start(dir, "run", "--", "sh", "-c", "echo command started; exec sleep 100")) {
            long worker = tend.awaitWorkerPid("svc.1");
            tend.awaitLine("the command", l -> l.equals("command started"));
            tend.signal(Signal.TERM);
            assertEquals(128 + 15, tend.awaitExit(), tend.stdout());
            assertFalse(Processes.alive(worker));
            Await.until(TendProcess.WAIT, "no sleep 100 left",
                    () -> ProcessHandle.allProcesses().noneMatch(p -> p.info().commandLine().orElse("")
                            .equals("sleep 100") && p.parent().map(pp -> pp.pid() == tend.pid()).orElse(false)));
        }
    }

    @Test
    void shouldEndWithoutRunningTheCommandWhenStoppedWhileWaiting() throws Exception {
        Files.writeString(dir.resolve("tend.toml"), "[pool.never]\ncommand = [\"cat\"]\nready = \"publish\"\n");
        try (TendProcess tend = TendProcess.start(dir, "run", "--ready-timeout", "10m", "--", "touch", "ran")) {
            long worker = tend.awaitWorkerPid("never.1");
            TendProcess.Result down = TendProcess.run(dir, "down");
            assertEquals(0, down.exitCode(), down.toString());
            assertEquals(4, tend.awaitExit(), "the command never ran: " + tend.stdout());
            assertFalse(Processes.alive(worker));
            assertFalse(Files.exists(dir.resolve("ran")));
            assertTrue(tend.stdout().contains("stopped before the workers were ready; not running touch ran"),
                    tend.stdout());
        }
    }

    @Test
    void shouldReportACommandThatCannotRun() throws Exception {
        Files.writeString(dir.resolve("tend.toml"), "[pool.svc]\ncommand = [\"cat\"]\n");
        TendProcess.Result r = TendProcess.run(dir, "run", "--", "no-such-command-anywhere");
        assertEquals(127, r.exitCode(), r.toString());
        assertTrue(r.stdout().contains("cannot run no-such-command-anywhere: command not found"), r.toString());
    }

    @Test
    void shouldEndWhenTheCommandIgnoresASignalSentToTendAlone() throws Exception {
        Files.writeString(dir.resolve("tend.toml"), "[pool.svc]\ncommand = [\"cat\"]\ngrace = \"1s\"\n");
        // sh waits for its child before acting on SIGINT; only tend's pid is signalled (no terminal here).
        try (TendProcess tend = TendProcess.start(dir, "run", "--", "sh", "-c", "echo waiting; sleep 100")) {
            tend.awaitLine("the command", l -> l.equals("waiting"));
            long before = System.nanoTime();
            tend.signal(Signal.INT);
            assertEquals(130, tend.awaitExit(), tend.stdout());
            assertTrue(System.nanoTime() - before < 15_000_000_000L, "killed after the grace, not after sleep 100");
        }
    }
    @Test
    void shouldNotRunTheCommandOverAWorkerWhoseCommandIsNotFound() throws Exception {
        Files.writeString(dir.resolve("tend.toml"), "[pool.w]\ncommand = \"no-such-command-anywhere\"\n");
        TendProcess.Result r = TendProcess.run(dir, "run", "--", "touch", "ran");
        assertEquals(4, r.exitCode(), r.toString());
        assertFalse(Files.exists(dir.resolve("ran")), "the command must not run");
        assertTrue(r.stdout().contains("w.1 gave up: the shell could not find the command (exit status 127);"
                + " not running touch ran"), r.toString());
        assertTrue(r.stdout().contains("  command:   no-such-command-anywhere"), r.toString());
        assertTrue(r.stdout().contains("  attempts:  1"), r.toString());
        assertTrue(r.stdout().contains("no-such-command-anywhere: not found"), "its last stderr lines: " + r);
    }

    @Test
    void shouldNotRunTheCommandOverAWorkerThatFailsAtOnce() throws Exception {
        Files.writeString(dir.resolve("tend.toml"), """
                [pool.w]
                command = ["sh", "-c", "exit 3"]
                backoff_min = "10ms"
                max_failures = 3
                """);
        TendProcess.Result r = TendProcess.run(dir, "run", "--", "touch", "ran");
        assertEquals(4, r.exitCode(), r.toString());
        assertFalse(Files.exists(dir.resolve("ran")), "the command must not run");
        assertTrue(r.stdout().contains("w.1 gave up after 3 consecutive failures (max_failures = 3)"), r.toString());
        assertTrue(r.stdout().contains("  last exit: exit status 3"), r.toString());
    }

    @Test
    void shouldFailARunWhoseCommandPassesWhileAWorkerIsGivenUp() throws Exception {
        // The worker is ready after its start window, then fails for good once the command has seen it running.
        Files.writeString(dir.resolve("tend.toml"), """
                [pool.flaky]
                command = "while [ ! -f break ]; do sleep 0.05; done; echo lost my connection >&2; exit 1"
                start_window = "100ms"
                max_failures = 1
                """);
        String command = "touch break; until tend ps | grep -q failed; do sleep 0.05; done; echo tests passed";
        TendProcess.Result failing = TendProcess.run(dir, "run", "--", "sh", "-c", command);
        assertEquals(1, failing.exitCode(), failing.toString());
        assertTrue(failing.stdout().contains("tests passed"), failing.toString());
        assertTrue(failing.stdout().contains("flaky.1 was given up while sh runs"), failing.toString());
        assertTrue(failing.stdout().contains("    lost my connection"), "its report: " + failing);
        assertTrue(failing.stdout().contains("sh ended (exit status 0), but flaky.1 was given up while it ran:"
                + " exit code 1"), failing.toString());
        Files.delete(dir.resolve("break"));
        TendProcess.Result ignoring = TendProcess.run(dir, "run", "--ignore-worker-failure", "--", "sh", "-c", command);
        assertEquals(0, ignoring.exitCode(), ignoring.toString());
        assertTrue(ignoring.stdout().contains("flaky.1 was given up while sh runs"), ignoring.toString());
    }
}
