package dev.tend.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.protocol.ExitCode;
import dev.tend.protocol.FailureReport;
import dev.tend.testing.Await;
import dev.tend.testing.Processes;
import java.io.IOException;
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
            Operations.Result stopped = call(s, (ops, done) -> ops.stop(List.of("web.2"), true, false, done));
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
            Operations.Result r = call(s, (ops, done) -> ops.restart(List.of("all"), true, false, done));
            assertTrue(r.ok(), r.message());
            assertNotEquals(one, s.worker("web.1").pid());
            assertNotEquals(two, s.worker("web.2").pid());
            assertEquals(ExitCode.NOT_FOUND, call(s, (ops, done) -> ops.restart(List.of("nope"), true, false, done)).code());
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
            assertTrue(call(s, (ops, done) -> ops.stop(List.of("cache-us"), true, false, done)).ok());
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
            // A removed pool is asked to stop; the reply does not wait for it to be gone.
            Await.until(RunningSupervisor.WAIT, "drop.1 removed",
                    () -> names(s).equals(List.of("keep.1", "change.1", "change.2", "add.1")));
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

    @Test
    void shouldKeepAScaleWhenReloadChangesOnlySettingsAndRestartTheCurrentWorkersRolling() throws Exception {
        try (RunningSupervisor s = new RunningSupervisor(dir, """
                [pool.w]
                command = "echo v$V $TEND_WORKER; exec cat"
                env = { V = "1" }
                count = 2
                """)) {
            s.awaitState("w.2", WorkerState.RUNNING);
            assertTrue(call(s, (ops, done) -> ops.scale("w", "4", true, done)).ok());
            List<Integer> before = s.status().stream().map(WorkerStatus::pid).collect(Collectors.toList());
            int scaled = s.notices("scal").size();
            Files.writeString(dir.resolve("tend.toml"), """
                    [pool.w]
                    command = "echo v$V $TEND_WORKER; exec cat"
                    env = { V = "2" }
                    count = 2
                    """);
            Operations.Result r = call(s, (ops, done) -> ops.reloadFromDisk(done));
            assertTrue(r.ok(), r.message() + "\n" + s.text());
            assertEquals("reloaded: 1 restarted (w), 0 unchanged", r.message());
            assertEquals(List.of("w.1", "w.2", "w.3", "w.4"), names(s), "the scale holds:\n" + s.text());
            for (int i = 1; i <= 4; i++) {
                String name = "w." + i;
                s.awaitLine(name + " on the new settings", l -> l.text().equals("v2 " + name));
                assertEquals(WorkerState.RUNNING, s.worker(name).state());
                assertFalse(before.contains(s.worker(name).pid()), name + " has a new process");
            }
            assertEquals(scaled, s.notices("scal").size(), "nothing was scaled:\n" + s.text());
            List<String> events = after(s.notices(""), "reloading");
            int thirdBack = indexOf(events, "w.3 started");
            assertTrue(thirdBack >= 0 && thirdBack < indexOf(events, "w.4 stopped"), "rolling:\n" + String.join("\n", events));

            // The file's count changed: now it wins over the scale.
            Files.writeString(dir.resolve("tend.toml"), """
                    [pool.w]
                    command = "echo v$V $TEND_WORKER; exec cat"
                    env = { V = "2" }
                    count = 3
                    """);
            Operations.Result resized = call(s, (ops, done) -> ops.reloadFromDisk(done));
            assertTrue(resized.ok(), resized.message());
            assertEquals("reloaded: 1 resized (w), 0 unchanged", resized.message());
            Await.until(RunningSupervisor.WAIT, "w.4 removed", () -> names(s).equals(List.of("w.1", "w.2", "w.3")));
        }
    }

    @Test
    void shouldRestartThenScaleWhenBothSettingsAndCountChange() throws Exception {
        try (RunningSupervisor s = new RunningSupervisor(dir, """
                [pool.w]
                command = "echo v1 $TEND_WORKER; exec cat"
                count = 2
                """)) {
            s.awaitState("w.2", WorkerState.RUNNING);
            assertTrue(call(s, (ops, done) -> ops.scale("w", "4", true, done)).ok());
            Files.writeString(dir.resolve("tend.toml"), """
                    [pool.w]
                    command = "echo v2 $TEND_WORKER; exec cat"
                    count = 3
                    """);
            Operations.Result r = call(s, (ops, done) -> ops.reloadFromDisk(done));
            assertTrue(r.ok(), r.message() + "\n" + s.text());
            assertEquals("reloaded: 1 restarted (w), 1 resized (w), 0 unchanged", r.message());
            Await.until(RunningSupervisor.WAIT, "w scaled to the file's count",
                    () -> names(s).equals(List.of("w.1", "w.2", "w.3")));
            for (int i = 1; i <= 3; i++) {
                String name = "w." + i;
                s.awaitLine(name + " on the new settings", l -> l.text().equals("v2 " + name));
            }
        }
    }

    @Test
    void shouldResetTheFailureCountWhenAUserRestartsAWorker() throws Exception {
        try (RunningSupervisor s = new RunningSupervisor(dir, """
                [pool.w]
                command = "cat; exit 3"
                max_failures = 3
                backoff_min = "10ms"
                """)) {
            for (int round = 1; round <= 3; round++) {
                int pid = s.awaitState("w.1", WorkerState.RUNNING).pid();
                Processes.killQuietly(pid);
                Await.until(RunningSupervisor.WAIT, "w.1 replaced after kill -9 (round " + round + "):\n" + s.text(),
                        () -> replaced(s.worker("w.1"), pid));
                assertEquals(1, s.worker("w.1").failures());
                // Stopped by EOF, it exits 3: not clean, but the restart was asked for.
                Operations.Result r = call(s, (ops, done) -> ops.restart(List.of("w.1"), true, false, done));
                assertTrue(r.ok(), r.message());
                assertEquals(0, s.worker("w.1").failures(), "round " + round);
            }
            assertEquals(WorkerState.RUNNING, s.worker("w.1").state());
        }
    }

    @Test
    void shouldResetTheFailureCountWhenAStoppedWorkerExitsCleanly() throws Exception {
        try (RunningSupervisor s = new RunningSupervisor(dir, """
                [pool.w]
                command = ["cat"]
                backoff_min = "10ms"
                """)) {
            int pid = s.awaitState("w.1", WorkerState.RUNNING).pid();
            Processes.killQuietly(pid);
            Await.until(RunningSupervisor.WAIT, "w.1 replaced after kill -9",
                    () -> replaced(s.worker("w.1"), pid));
            assertEquals(1, s.worker("w.1").failures());
            Operations.Result stopped = call(s, (ops, done) -> ops.stop(List.of("w.1"), true, false, done));
            assertTrue(stopped.ok(), stopped.message());
            assertEquals(0, s.worker("w.1").failures(), "cat exited 0 on EOF:\n" + s.text());
        }
    }

    @Test
    void shouldAnswerBothOfTwoOverlappingRestarts() throws Exception {
        try (RunningSupervisor s = new RunningSupervisor(dir, """
                [pool.w]
                command = ["cat"]
                """)) {
            int pid = s.awaitState("w.1", WorkerState.RUNNING).pid();
            CompletableFuture<Operations.Result> a = new CompletableFuture<>();
            CompletableFuture<Operations.Result> b = new CompletableFuture<>();
            s.reactor.execute(() -> {
                s.supervisor.operations().restart(List.of("w.1"), true, false, a::complete);
                s.supervisor.operations().restart(List.of("w"), true, false, b::complete);
            });
            assertTrue(a.get(15, TimeUnit.SECONDS).ok());
            assertTrue(b.get(15, TimeUnit.SECONDS).ok(), "the second restart is answered too");
            assertNotEquals(pid, s.worker("w.1").pid());
            assertEquals(2, s.worker("w.1").attempts(), "restarted once for both");

            CompletableFuture<Operations.Result> c = new CompletableFuture<>();
            CompletableFuture<Operations.Result> d = new CompletableFuture<>();
            s.reactor.execute(() -> {
                s.supervisor.operations().restart(List.of("w"), true, true, c::complete);
                s.supervisor.operations().restart(List.of("w.1"), true, true, d::complete);
            });
            assertTrue(c.get(15, TimeUnit.SECONDS).ok());
            assertTrue(d.get(15, TimeUnit.SECONDS).ok(), "the second rolling restart is answered too");
            assertEquals(3, s.worker("w.1").attempts(), "restarted once for both");
        }
    }

    @Test
    void shouldRestartRollingOneWorkerAtATime() throws Exception {
        try (RunningSupervisor s = new RunningSupervisor(dir, """
                [pool.web]
                command = ["cat"]
                count = 3
                """)) {
            s.awaitState("web.3", WorkerState.RUNNING);
            List<Integer> before = s.status().stream().map(WorkerStatus::pid).collect(Collectors.toList());
            int seen = s.notices("").size();
            Operations.Result r = call(s, (ops, done) -> ops.restart(List.of("web"), true, true, done));
            assertTrue(r.ok(), r.message());
            assertEquals("restarted web.1, web.2, web.3 one at a time; ready", r.message());
            for (WorkerStatus w : s.status()) {
                assertEquals(WorkerState.RUNNING, w.state());
                assertFalse(before.contains(w.pid()), w.name() + " has a new process");
            }
            List<String> events = s.notices("").subList(seen, s.notices("").size());
            for (int i = 1; i < 3; i++) {
                int back = indexOf(events, "web." + i + " started");
                int nextStopped = indexOf(events, "web." + (i + 1) + " stopped");
                assertTrue(back >= 0 && back < nextStopped, "web." + i + " ready before web." + (i + 1) + " stops:\n"
                        + String.join("\n", events));
            }
        }
    }

    @Test
    void shouldStopARollAtTheFirstWorkerNotReadyAndKeepTheRest() throws Exception {
        Path program = dir.resolve("serve");
        Files.writeString(program, "#!/bin/sh\nexec cat\n");
        assertTrue(program.toFile().setExecutable(true));
        try (RunningSupervisor s = new RunningSupervisor(dir, """
                [pool.web]
                command = ["%s"]
                count = 2
                """.formatted(program))) {
            int first = s.awaitState("web.1", WorkerState.RUNNING).pid();
            int second = s.awaitState("web.2", WorkerState.RUNNING).pid();
            // Both shells have read the script and become cat: deleting it breaks only the next start.
            Await.until(RunningSupervisor.WAIT, "both workers exec cat", () -> isCat(first) && isCat(second));
            Files.delete(program);
            Operations.Result r = call(s, (ops, done) -> ops.restart(List.of("web"), true, true, done));
            assertEquals(ExitCode.FAILURE, r.code(), r.message());
            assertTrue(r.message().startsWith("web.1 gave up: cannot start"), r.message());
            assertTrue(r.message().endsWith("; not restarted: web.2"), r.message());
            assertEquals("web.1", r.failures().get(0).worker());
            assertEquals(second, s.worker("web.2").pid(), "the rest of the pool keeps running");
            assertEquals(WorkerState.RUNNING, s.worker("web.2").state());
        }
    }

    private static boolean isCat(int pid) {
        try {
            return Processes.statusField(pid, "Name").equals("cat");
        } catch (IOException e) {
            return false;
        }
    }

    /** The events from the first that starts with {@code prefix} on. */
    private static List<String> after(List<String> events, String prefix) {
        return events.subList(Math.max(0, indexOf(events, prefix)), events.size());
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
            call(s, (ops, done) -> ops.restart(List.of("talk"), true, false, done));
            Await.until(RunningSupervisor.WAIT, "nothing of talk followed", () -> s.linesOf("talk.1").size() >= 4);
            assertTrue(followed.stream().noneMatch(l -> l.source().equals("talk.1")));
        }
    }

    /** Running again under another pid, read from one status (two reads could straddle the exit). */
    private static boolean replaced(WorkerStatus w, int oldPid) {
        return w.state() == WorkerState.RUNNING && w.pid() != oldPid && w.pid() != 0;
    }
}
