package dev.tend.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.protocol.ExitCode;
import dev.tend.testing.Await;
import dev.tend.testing.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pools that run on a schedule ({@code every}, {@code schedule}), on a real loop with real processes. */
class ScheduledJobsTest {
    @TempDir
    Path dir;

    private static Operations.Result call(RunningSupervisor s, BiConsumer<Operations, Consumer<Operations.Result>> op) {
        CompletableFuture<Operations.Result> result = new CompletableFuture<>();
        s.reactor.execute(() -> op.accept(s.supervisor.operations(), result::complete));
        try {
            return result.get(RunningSupervisor.WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("no answer; lines:\n" + s.text(), e);
        }
    }

    private static WorkerStatus awaitAttempts(RunningSupervisor s, String name, int attempts) {
        return Await.value(RunningSupervisor.WAIT, name + " started " + attempts + " times; lines:\n" + s.text(), () -> {
            WorkerStatus w = s.worker(name);
            return w.attempts() >= attempts ? w : null;
        });
    }

    @Test
    void shouldRunAJobEverySecondAndCountItReadyBetweenRuns() throws Exception {
        try (RunningSupervisor s = new RunningSupervisor(dir, """
                [pool.cleanup]
                command = "echo swept >> swept.txt"
                every = "1s"
                """)) {
            WorkerStatus scheduled = s.awaitState("cleanup.1", WorkerState.SCHEDULED);
            assertTrue(scheduled.ready(), "a job between runs is ready");
            long now = System.currentTimeMillis();
            long next = scheduled.job().orElseThrow().nextRunEpochMillis();
            assertTrue(next > now - 100 && next <= now + 1100, "its next run is within the second: " + (next - now));
            awaitAttempts(s, "cleanup.1", 3);
            Await.until(RunningSupervisor.WAIT, "three runs wrote", () -> lines(dir.resolve("swept.txt")) >= 3);
            WorkerStatus after = s.awaitState("cleanup.1", WorkerState.SCHEDULED);
            assertEquals(0, after.restarts(), "a run is not a restart");
            assertEquals(0, after.failures());
            assertEquals("exit status 0", after.lastExit());
            assertTrue(after.job().orElseThrow().lastRunMillis() >= 0, "the last run's duration is known");
            assertEquals(List.of(), s.notices("restarting"), "no run is logged as a restart");
            assertTrue(s.notices("cleanup.1 ran (exit status 0)").size() >= 2, s.text());
        }
    }

    @Test
    void shouldReportAFailingRunButNeverBackOffOrGiveUp() throws Exception {
        try (RunningSupervisor s = new RunningSupervisor(dir, """
                [pool.broken]
                command = "echo 'no database' >&2; exit 3"
                every = "1s"
                max_failures = 2
                """)) {
            awaitAttempts(s, "broken.1", 3);
            WorkerStatus w = s.awaitState("broken.1", WorkerState.SCHEDULED);
            assertEquals(0, w.failures(), "a failed run does not count towards max_failures");
            assertTrue(w.ready());
            assertEquals("", w.reason());
            assertEquals("exit status 3", w.lastExit());
            assertTrue(s.notices("broken.1 failed its run (exit status 3)").size() >= 2, s.text());
            assertFalse(s.notices("no database").isEmpty(), "the report carries the run's stderr: " + s.text());
            assertEquals(List.of(), s.notices("gave up"));
            assertEquals(List.of(), s.notices("backoff"));
            assertFalse(s.text().contains("restarting"), s.text());
        }
    }

    @Test
    void shouldSkipARunDueWhileTheLastStillRuns() throws Exception {
        try (RunningSupervisor s = new RunningSupervisor(dir, """
                [pool.slow]
                command = ["sleep", "2.5"]
                every = "1s"
                """)) {
            WorkerStatus first = s.awaitState("slow.1", WorkerState.RUNNING);
            s.awaitLine("a skipped run", l -> l.text().contains("slow.1 still runs, so the run due now is skipped"));
            assertEquals(first.pid(), s.worker("slow.1").pid(), "the run goes on");
            assertEquals(1, s.worker("slow.1").attempts(), "no second run beside it");
            assertTrue(s.worker("slow.1").ready(), "a job's run under way is ready too");
        }
    }

    @Test
    void shouldQueueARunDueWhileTheLastStillRuns() throws Exception {
        try (RunningSupervisor s = new RunningSupervisor(dir, """
                [pool.slow]
                command = "sleep 1.5; echo done >> runs.txt"
                every = "1s"
                overlap = "queue"
                """)) {
            s.awaitLine("a queued run", l -> l.text().contains("slow.1 still runs: the run due now starts when it ends"));
            awaitAttempts(s, "slow.1", 2);
            assertEquals(1, lines(dir.resolve("runs.txt")), "the queued run started as soon as the first had ended");
            assertEquals(List.of(), s.notices("skipped"));
        }
    }

    @Test
    void shouldStopTheRunningOneForTheRunDueWithReplace() throws Exception {
        try (RunningSupervisor s = new RunningSupervisor(dir, """
                [pool.stuck]
                command = ["sleep", "60"]
                every = "1s"
                overlap = "replace"
                grace = "200ms"
                """)) {
            int first = s.awaitState("stuck.1", WorkerState.RUNNING).pid();
            s.awaitLine("a replacing run", l -> l.text().contains("stuck.1 still runs: stopping it for the run due now"));
            WorkerStatus second = awaitAttempts(s, "stuck.1", 2);
            Await.until(RunningSupervisor.WAIT, "the first run gone", () -> !Processes.alive(first));
            assertNotEquals(first, s.awaitState("stuck.1", WorkerState.RUNNING).pid());
            assertEquals(0, second.restarts());
        }
    }

    @Test
    void shouldRunAJobNowOnStartAndPauseItOnStop() throws Exception {
        try (RunningSupervisor s = new RunningSupervisor(dir, """
                [pool.yearly]
                command = "echo ran >> ran.txt"
                schedule = "0 0 1 1 *"
                timezone = "UTC"
                [pool.failing]
                command = "echo 'disk full' >&2; exit 4"
                schedule = "@yearly"
                """)) {
            WorkerStatus scheduled = s.awaitState("yearly.1", WorkerState.SCHEDULED);
            assertEquals(0, scheduled.attempts(), "nothing runs before its time");
            Operations.Result ran = call(s, (ops, done) -> ops.start(List.of("yearly"), true, done));
            assertTrue(ran.ok(), ran.message());
            assertEquals(1, lines(dir.resolve("ran.txt")));
            assertEquals(1, s.worker("yearly.1").attempts());

            Operations.Result failed = call(s, (ops, done) -> ops.start(List.of("failing"), true, done));
            assertEquals(ExitCode.FAILURE, failed.code(), failed.message());
            assertEquals("failing.1 failed its run (exit status 4)", failed.message());
            assertEquals(List.of("disk full"), failed.failures().get(0).stderr());
            assertEquals(WorkerState.SCHEDULED, s.worker("failing.1").state(), "its schedule goes on");

            Operations.Result stopped = call(s, (ops, done) -> ops.stop(List.of("yearly"), true, false, done));
            assertTrue(stopped.ok(), stopped.message());
            WorkerStatus paused = s.worker("yearly.1");
            assertEquals(WorkerState.STOPPED, paused.state());
            assertEquals(0, paused.job().orElseThrow().nextRunEpochMillis(), "no run planned while stopped");
            assertFalse(paused.ready(), "a stopped job is not ready");
            Operations.Result again = call(s, (ops, done) -> ops.start(List.of("yearly.1"), true, done));
            assertTrue(again.ok(), again.message());
            assertEquals(2, lines(dir.resolve("ran.txt")), "start runs it now");
            WorkerStatus resumed = s.awaitState("yearly.1", WorkerState.SCHEDULED);
            assertTrue(resumed.job().orElseThrow().nextRunEpochMillis() > System.currentTimeMillis(), "planned again");
        }
    }

    @Test
    void shouldRefuseToScaleAJob() throws Exception {
        try (RunningSupervisor s = new RunningSupervisor(dir, """
                [pool.cleanup]
                command = ["true"]
                every = "1h"
                """)) {
            s.awaitState("cleanup.1", WorkerState.SCHEDULED);
            Operations.Result refused = call(s, (ops, done) -> ops.scale("cleanup", "2", true, done));
            assertEquals(ExitCode.USAGE, refused.code());
            assertTrue(refused.message().startsWith("cleanup is a scheduled job"), refused.message());
        }
    }

    @Test
    void shouldPlanAJobAgainWhenAReloadChangesItsSchedule() throws Exception {
        try (RunningSupervisor s = new RunningSupervisor(dir, """
                [pool.sweep]
                command = "echo swept >> swept.txt"
                every = "1h"
                """)) {
            long hourAway = s.awaitState("sweep.1", WorkerState.SCHEDULED).job().orElseThrow().nextRunEpochMillis();
            assertTrue(hourAway > System.currentTimeMillis() + 3_500_000, "an hour away");
            Files.writeString(dir.resolve("tend.toml"), """
                    [pool.sweep]
                    command = "echo swept >> swept.txt"
                    every = "1s"
                    """);
            Operations.Result reloaded = call(s, (ops, done) -> ops.reloadFromDisk(done));
            assertTrue(reloaded.ok(), reloaded.message());
            Await.until(RunningSupervisor.WAIT, "runs every second now", () -> lines(dir.resolve("swept.txt")) >= 2);
            Files.writeString(dir.resolve("tend.toml"), """
                    [pool.sweep]
                    command = ["sleep", "60"]
                    """);
            Operations.Result continuous = call(s, (ops, done) -> ops.reloadFromDisk(done));
            assertTrue(continuous.ok(), continuous.message());
            WorkerStatus running = s.awaitState("sweep.1", WorkerState.RUNNING);
            assertEquals(Optional.empty(), running.job(), "no longer a job");
        }
    }

    private static long lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).size() : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
