package dev.tend.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.protocol.ExitCode;
import dev.tend.protocol.FailureReport;
import dev.tend.testing.Await;
import dev.tend.testing.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperationsTest {
    @TempDir
    Path dir;

    /** Runs an operation on the loop and waits for its answer. */
    private static Operations.Result call(RunningSupervisor s, BiConsumer<Operations, Consumer<Operations.Result>> op) {
        CompletableFuture<Operations.Result> result = new CompletableFuture<>();
        s.reactor.execute(() -> op.accept(s.supervisor.operations(), result::complete));
        try {
            return result.get(RunningSupervisor.WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("no answer; lines:\n" + s.text(), e);
        }
    }

    private static List<String> names(RunningSupervisor s) {
        return s.status().stream().map(WorkerStatus::name).collect(Collectors.toList());
    }

    @Test
    void shouldStopAndHoldThenStartAgain() throws Exception {
        try (RunningSupervisor s = new RunningSupervisor(dir, """
                [pool.web]
                command = ["cat"]
                count = 2
                """)) {
            int before = s.awaitState("web.2", WorkerState.RUNNING).pid();
            Operations.Result stopped = call(s, (ops, done) -> ops.stop(List.of("web.2"), true, done));
            assertTrue(stopped.ok(), stopped.message());
            assertEquals(WorkerState.STOPPED, s.worker("web.2").state());
            assertFalse(Processes.alive(before));
            assertEquals(WorkerState.RUNNING, s.worker("web.1").state(), "only the target");
            Operations.Result started = call(s, (ops, done) -> ops.start(List.of("web"), true, done));
            assertTrue(started.ok(), started.message());
            assertEquals(WorkerState.RUNNING, s.worker("web.2").state());
            assertNotEquals(before, s.worker("web.2").pid());
        }
    }

    @Test
    void shouldRestartPoolWithNewProcesses() throws Exception {
        try (RunningSupervisor s = new RunningSupervisor(dir, """
                [pool.web]
                command = ["cat"]
                count = 2
                """)) {
            int one = s.awaitState("web.1", WorkerState.RUNNING).pid();
            int two = s.awaitState("web.2", WorkerState.RUNNING).pid();
            Operations.Result r = call(s, (ops, done) -> ops.restart(List.of("all"), true, done));
            assertTrue(r.ok(), r.message());
            assertNotEquals(one, s.worker("web.1").pid());
            assertNotEquals(two, s.worker("web.2").pid());
            assertEquals(ExitCode.NOT_FOUND, call(s, (ops, done) -> ops.restart(List.of("nope"), true, done)).code());
        }
    }

    @Test
    void shouldScaleUpAndDownFromTheTop() throws Exception {
        try (RunningSupervisor s = new RunningSupervisor(dir, """
                [pool.web]
                command = ["cat"]
                count = 2
                """)) {
            s.awaitState("web.2", WorkerState.RUNNING);
            int first = s.worker("web.1").pid();
            assertTrue(call(s, (ops, done) -> ops.scale("web", "4", true, done)).ok());
            assertEquals(List.of("web.1", "web.2", "web.3", "web.4"), names(s));
            assertEquals(WorkerState.RUNNING, s.worker("web.4").state());
            Operations.Result down = call(s, (ops, done) -> ops.scale("web", "1", true, done));
            assertTrue(down.ok(), down.message());
            assertEquals("removed web.2, web.3, web.4", down.message());
            assertEquals(List.of("web.1"), names(s));
            assertEquals(first, s.worker("web.1").pid(), "the survivor was not touched");
            assertEquals(ExitCode.USAGE, call(s, (ops, done) -> ops.scale("web", "lots", true, done)).code());
            assertEquals(ExitCode.NOT_FOUND, call(s, (ops, done) -> ops.scale("db", "1", true, done)).code());
        }
    }

    @Test
    void shouldStartLazyWorkerOnceForConcurrentRequires() throws Exception {
        try (RunningSupervisor s = new RunningSupervisor(dir, """
                [lazy.cache]
                pattern = "cache-*"
                command = "echo serving {name}; exec cat"
                max = 2
                """)) {
            CompletableFuture<Operations.Result> a = new CompletableFuture<>();
            CompletableFuture<Operations.Result> b = new CompletableFuture<>();
            s.reactor.execute(() -> {
                s.supervisor.operations().require(List.of("cache-eu"), Duration.ofSeconds(10), a::complete);
                s.supervisor.operations().require(List.of("cache-eu"), Duration.ofSeconds(10), b::complete);
            });
            assertTrue(a.get(15, TimeUnit.SECONDS).ok());
            assertTrue(b.get(15, TimeUnit.SECONDS).ok());
            assertEquals(List.of("cache-eu"), names(s));
            assertEquals(1, s.worker("cache-eu").attempts(), "started once");
            s.awaitLine("placeholder replaced", l -> l.text().equals("serving cache-eu"));
            assertTrue(call(s, (ops, done) -> ops.require(List.of("cache-us"), Duration.ofSeconds(10), done)).ok());
            Operations.Result capped = call(s, (ops, done) -> ops.require(List.of("cache-asia"), Duration.ofSeconds(10), done));
            assertEquals(ExitCode.FAILURE, capped.code());
            assertEquals("cannot start cache-asia: lazy.cache already runs 2 workers, its max", capped.message());
            assertTrue(call(s, (ops, done) -> ops.stop(List.of("cache-us"), true, done)).ok());
            assertTrue(call(s, (ops, done) -> ops.require(List.of("cache-asia"), Duration.ofSeconds(10), done)).ok(),
                    "a stopped lazy worker does not count against max");
            Operations.Result unknown = call(s, (ops, done) -> ops.require(List.of("db"), Duration.ofSeconds(1), done));
            assertEquals(ExitCode.NOT_FOUND, unknown.code());
            assertTrue(unknown.message().contains("no worker, pool or [lazy] pattern matches \"db\""), unknown.message());
        }
    }

    @Test
    void shouldFailFastWithReportWhenRequiredWorkerDies() throws Exception {
        try (RunningSupervisor s = new RunningSupervisor(dir, """
                [lazy.db]
                pattern = "db-*"
                command = "echo cannot open database {name} >&2; exit 5"
                ready = "publish"
                backoff_min = "5s"
                """)) {
            long before = System.nanoTime();
            Operations.Result r = call(s, (ops, done) -> ops.require(List.of("db-main"), Duration.ofSeconds(30), done));
            assertTrue(System.nanoTime() - before < Duration.ofSeconds(5).toNanos(), "did not wait for backoff or timeout");
            assertEquals(ExitCode.FAILURE, r.code());
            FailureReport report = r.failures().get(0);
            assertEquals("db-main", report.worker());
            assertEquals("echo cannot open database db-main >&2; exit 5", report.command());
            assertEquals("exit status 5", report.lastExit());
            assertEquals(1, report.attempts());
            assertEquals(List.of("cannot open database db-main"), report.stderr());
        }
    }

    @Test
    void shouldTimeOutWhenRequiredWorkerNeverReady() throws Exception {
        try (RunningSupervisor s = new RunningSupervisor(dir, """
                [pool.slow]
                command = ["cat"]
                ready = "publish"
                """)) {
            Operations.Result r = call(s, (ops, done) -> ops.require(List.of("slow"), Duration.ofMillis(300), done));
            assertEquals(ExitCode.TIMEOUT, r.code(), r.message());
            assertEquals("slow.1", r.failures().get(0).worker());
            assertTrue(r.failures().get(0).reason().startsWith("not ready after 300ms (state starting)"));
        }
    }

    @Test
    void shouldReloadAddedRemovedChangedAndUntouchedPools() throws Exception {
        try (RunningSupervisor s = new RunningSupervisor(dir, """
                [pool.keep]
                command = ["cat"]
                [pool.change]
                command = "echo v1; exec cat"
                count = 2
                [pool.drop]
                command = ["cat"]
                """)) {
            int keep = s.awaitState("keep.1", WorkerState.RUNNING).pid();
            s.awaitState("change.2", WorkerState.RUNNING);
            int drop = s.awaitState("drop.1", WorkerState.RUNNING).pid();
            Files.writeString(dir.resolve("tend.toml"), """
                    [pool.keep]
                    command = ["cat"]
                    [pool.change]
                    command = "echo v2 $TEND_WORKER; exec cat"
                    count = 2
                    [pool.add]
                    command = ["cat"]
                    """);
            Operations.Result r = call(s, (ops, done) -> ops.reloadFromDisk(done));
            assertTrue(r.ok(), r.message() + "\n" + s.text());
            assertEquals(keep, s.worker("keep.1").pid(), "untouched pool kept its process");
            assertEquals(List.of("keep.1", "change.1", "change.2", "add.1"), names(s));
            assertFalse(Processes.alive(drop));
            s.awaitLine("change.1 restarted", l -> l.text().equals("v2 change.1"));
            s.awaitLine("change.2 restarted", l -> l.text().equals("v2 change.2"));
            // Rolling: change.1 was ready again before change.2 was stopped.
            List<String> events = s.notices("change.");
            int readyAgain = indexOf(events, "change.1 started");
            int secondStopped = indexOf(events, "change.2 stopped");
            assertTrue(readyAgain >= 0 && secondStopped > readyAgain, String.join("\n", events));
        }
    }

    private static int indexOf(List<String> events, String prefix) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void shouldRefuseReloadWithErrorsAndChangeNothing() throws Exception {
        try (RunningSupervisor s = new RunningSupervisor(dir, """
                [pool.keep]
                command = ["cat"]
                """)) {
            int keep = s.awaitState("keep.1", WorkerState.RUNNING).pid();
            Files.writeString(dir.resolve("tend.toml"), "[pool.keep]\ncommand = [\"cat\"]\ncount = -3\n");
            Operations.Result r = call(s, (ops, done) -> ops.reloadFromDisk(done));
            assertEquals(ExitCode.USAGE, r.code());
            assertTrue(r.message().contains("pool.keep.count: must be between 1 and 10000"), r.message());
            assertEquals(keep, s.worker("keep.1").pid());
            assertEquals(List.of("keep.1"), names(s));
        }
    }

    @Test
    void shouldServeRecentAndFollowedLogs() throws Exception {
        try (RunningSupervisor s = new RunningSupervisor(dir, """
                [pool.talk]
                command = "echo one; echo two; exec cat"
                [pool.quiet]
                command = ["cat"]
                """)) {
            s.awaitLine("two", l -> l.text().equals("two"));
            List<LogLine> recent = s.onLoop(() -> s.supervisor.operations().recentLogs(List.of("talk"), 1));
            assertEquals(1, recent.size());
            assertEquals("two", recent.get(0).text());
            List<LogLine> followed = new CopyOnWriteArrayList<>();
            s.onLoop(() -> s.supervisor.operations().followLogs(List.of("quiet"), followed::add));
            call(s, (ops, done) -> ops.restart(List.of("talk"), true, done));
            Await.until(RunningSupervisor.WAIT, "nothing of talk followed", () -> s.linesOf("talk.1").size() >= 4);
            assertTrue(followed.stream().noneMatch(l -> l.source().equals("talk.1")));
        }
    }
}
