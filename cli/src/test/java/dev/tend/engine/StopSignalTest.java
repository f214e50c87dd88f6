package dev.tend.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.testing.Await;
import dev.tend.testing.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stop sequence: end of input first, {@code stop_signal} {@code stop_signal_after} later if the worker is
 * still there, SIGKILL at the end of {@code grace}; and a reload that changes these stops the old process with
 * the new ones.
 */
class StopSignalTest {
    @TempDir
    Path dir;

    /** A stock server ignores its stdin: the delayed SIGTERM stops it, long before the grace. */
    @Test
    void shouldStopAServerThatIgnoresStdinWithTheDelayedSignal() throws Exception {
        try (RunningSupervisor s = new RunningSupervisor(dir, """
                [pool.web]
                command = ["python3", "-m", "http.server", "0", "--bind", "127.0.0.1"]
                stop_signal = "TERM"
                stop_signal_after = "400ms"
                grace = "30s"
                """)) {
            int pid = s.awaitState("web.1", WorkerState.RUNNING).pid();
            long before = System.nanoTime();
            s.shutdown();
            assertEquals(0, s.awaitExit(), s.text());
            long took = (System.nanoTime() - before) / 1_000_000;
            assertTrue(took >= 400, "the signal came with the end of input, not 400ms later: " + took + " ms");
            assertTrue(took < 10_000, "stopped by the grace's SIGKILL, not the signal: " + took + " ms\n" + s.text());
            assertFalse(Processes.alive(pid));
            assertEquals("signal TERM", s.worker("web.1").lastExit(), s.text());
            assertTrue(s.notices("did not exit within").isEmpty(), s.text());
        }
    }

    /** A worker that finishes its job after EOF within the delay is never signalled. */
    @Test
    void shouldNotSignalAWorkerThatExitsOnEndOfInputBeforeTheDelay() throws Exception {
        Path received = dir.resolve("signals");
        try (RunningSupervisor s = new RunningSupervisor(dir, """
                [pool.job]
                command = "trap 'echo TERM >> %s' TERM; echo trap set; while read -r line; do :; done; echo finishing; sleep 0.5; echo done"
                stop_signal = "TERM"
                stop_signal_after = "3s"
                grace = "20s"
                """.formatted(received))) {
            // Ready once spawned: the trap must be in place before the stop, or SIGTERM would simply end the shell.
            s.awaitLine("the trap set", l -> l.text().equals("trap set"));
            long before = System.nanoTime();
            s.shutdown();
            assertEquals(0, s.awaitExit(), s.text());
            assertTrue(System.nanoTime() - before < 3_000_000_000L, "it finished before the delay:\n" + s.text());
            s.awaitLine("its job finished", l -> l.text().equals("done"));
            assertFalse(Files.exists(received), "the worker got a signal:\n" + s.text());
            assertEquals("exit status 0", s.worker("job.1").lastExit());
        }
    }

    /** The control case: with no delay, the signal goes with the end of input and interrupts that job. */
    @Test
    void shouldSendTheSignalWithEndOfInputWithoutADelay() throws Exception {
        Path received = dir.resolve("signals");
        try (RunningSupervisor s = new RunningSupervisor(dir, """
                [pool.job]
                command = "trap 'echo TERM >> %s' TERM; echo trap set; while read -r line; do :; done; sleep 0.5; echo done"
                stop_signal = "TERM"
                grace = "20s"
                """.formatted(received))) {
            // Ready once spawned: the trap must be in place before the stop, or SIGTERM would simply end the shell.
            s.awaitLine("the trap set", l -> l.text().equals("trap set"));
            s.shutdown();
            assertEquals(0, s.awaitExit(), s.text());
            Await.until(RunningSupervisor.WAIT, "the trap ran", () -> Files.exists(received));
        }
    }

    /** Killed at the end of the grace, a worker is told what it was sent and what to change. */
    @Test
    void shouldSayWhatTheWorkerWasSentWhenItIsKilled() throws Exception {
        try (RunningSupervisor s = new RunningSupervisor(dir, """
                [pool.deaf]
                command = "trap '' TERM; exec sleep 1000"
                stop_signal = "TERM"
                stop_signal_after = "200ms"
                grace = "600ms"
                """)) {
            s.awaitState("deaf.1", WorkerState.RUNNING);
            s.shutdown();
            assertEquals(0, s.awaitExit(), s.text());
            assertEquals(1, s.notices("deaf.1 did not exit within its grace of 600ms after its stdin was closed (end of"
                    + " input) and SIGTERM (sent 200ms later); killing its process group. Set the signal it stops on"
                    + " (stop_signal = \"QUIT\", \"INT\", …), or a longer grace if it needs longer to finish (see"
                    + " docs/worker-contract.md, \"How a worker is stopped\")").size(), s.text());
            assertEquals("signal KILL", s.worker("deaf.1").lastExit());
        }
    }

    /** The message without a stop signal points at stop_signal. */
    @Test
    void shouldPointAtStopSignalWhenAWorkerIgnoringStdinIsKilled() throws Exception {
        try (RunningSupervisor s = new RunningSupervisor(dir, """
                [pool.deaf]
                command = ["sleep", "1000"]
                grace = "300ms"
                """)) {
            s.awaitState("deaf.1", WorkerState.RUNNING);
            s.shutdown();
            assertEquals(0, s.awaitExit(), s.text());
            assertEquals(1, s.notices("deaf.1 did not exit within its grace of 300ms after its stdin was closed (end of"
                    + " input); killing its process group. A program that does not read stdin needs a stop_signal it"
                    + " stops on (stop_signal = \"TERM\")").size(), s.text());
        }
    }

    /** A reload that adds stop_signal stops the old process with it, not with the old settings' kill at grace. */
    @Test
    void shouldStopTheOldProcessWithTheNewStopSettingsOnReload() throws Exception {
        try (RunningSupervisor s = new RunningSupervisor(dir, """
                [pool.web]
                command = ["sleep", "1000"]
                grace = "30s"
                """)) {
            int old = s.awaitState("web.1", WorkerState.RUNNING).pid();
            Files.writeString(dir.resolve("tend.toml"), """
                    [pool.web]
                    command = ["sleep", "1000"]
                    grace = "30s"
                    stop_signal = "TERM"
                    """);
            long before = System.nanoTime();
            CompletableFuture<Operations.Result> reload = new CompletableFuture<>();
            s.reactor.execute(() -> s.supervisor.operations().reloadFromDisk(reload::complete));
            Operations.Result r = reload.get(RunningSupervisor.WAIT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(r.ok(), r.message() + "\n" + s.text());
            assertTrue(System.nanoTime() - before < 10_000_000_000L, "the old process waited for its grace:\n" + s.text());
            assertFalse(Processes.alive(old));
            s.awaitLine("the old process stopped by SIGTERM", l -> l.text().startsWith("web.1 stopped (signal TERM)"));
            assertTrue(s.worker("web.1").pid() != old);
        }
    }
}
