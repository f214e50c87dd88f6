package dev.tend.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** depends_on and the start window, on a real supervisor with real workers. */
class StartOrderTest {
    @TempDir
    Path dir;

    /**
     * A worker that writes, to the file {@code events}, when it started, when it got EOF, and when it is about to
     * exit (a while after the EOF), each with the time in nanoseconds, as the worker itself read it.
     */
    private static String worker(String name) {
        return "command = \"echo start " + name + " $(date +%s%N) >> events; while read l; do :; done;"
                + " echo stop " + name + " $(date +%s%N) >> events; sleep 0.3; echo gone " + name
                + " $(date +%s%N) >> events\"\n";
    }

    @Test
    void shouldStartAThreeLevelGraphInOrderAndStopItInReverse() throws Exception {
        String toml = "start_window = \"200ms\"\n"
                + "[pool.front]\n" + worker("front") + "depends_on = [\"api\"]\n"
                + "[pool.api]\n" + worker("api") + "depends_on = { db = \"ready\" }\ncount = 2\n"
                + "[pool.db]\n" + worker("db");
        Map<String, Long> t;
        try (RunningSupervisor s = new RunningSupervisor(dir, toml)) {
            s.awaitState("front.1", WorkerState.RUNNING);
            assertEquals(WorkerState.RUNNING, s.worker("db.1").state());
            s.shutdown();
            s.awaitExit();
        }
        t = events();
        assertTrue(t.get("start db") < t.get("start api.1") && t.get("start db") < t.get("start api.2"), t.toString());
        assertTrue(t.get("start api.1") < t.get("start front") && t.get("start api.2") < t.get("start front"),
                t.toString());
        assertTrue(t.get("gone front") < t.get("stop api.1") && t.get("gone front") < t.get("stop api.2"),
                "the dependents are gone before their dependencies get EOF: " + t);
        assertTrue(t.get("gone api.1") < t.get("stop db") && t.get("gone api.2") < t.get("stop db"), t.toString());
    }

    /** The events file, with the api pool's two workers told apart by the order they wrote in. */
    private Map<String, Long> events() throws Exception {
        Map<String, Long> t = new HashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : Files.readAllLines(dir.resolve("events"))) {
            String[] parts = line.split(" ");
            String key = parts[0] + " " + parts[1];
            if (parts[1].equals("api")) {
                key += "." + seen.merge(parts[0], 1, Integer::sum);
            }
            t.put(key, Long.parseLong(parts[2]));
        }
        assertEquals(12, t.size(), t.toString());
        return t;
    }

    @Test
    void shouldReleaseDependentsOfAMigrationThatCompletesAndHoldThoseOfOneThatFails() throws Exception {
        String toml = """
                [pool.migrate]
                command = "exit 0"
                [pool.web]
                command = ["cat"]
                depends_on = { migrate = "completed" }
                [pool.broken]
                command = "echo schema mismatch >&2; exit 1"
                max_failures = 1
                [pool.api]
                command = ["cat"]
                depends_on = { broken = "completed" }
                """;
        try (RunningSupervisor s = new RunningSupervisor(dir, toml)) {
            s.awaitState("web.1", WorkerState.RUNNING);
            assertTrue(s.worker("migrate.1").finishedCleanly());
            s.awaitState("broken.1", WorkerState.FAILED);
            WorkerStatus api = s.worker("api.1");
            assertEquals(WorkerState.WAITING, api.state());
            assertEquals("for broken to complete", api.status());
            assertEquals(0, api.attempts(), "never started");
            assertFalse(s.notices("api.1 waiting for broken to complete").isEmpty(), s.text());
            s.shutdown();
            assertEquals(0, s.awaitExit(), "a waiting worker is stopped like the others: " + s.text());
            assertEquals(WorkerState.STOPPED, s.worker("api.1").state());
        }
    }

    @Test
    void shouldStartWhatAWorkerNeedsWhenItIsStarted() throws Exception {
        String toml = """
                [pool.db]
                command = ["cat"]
                [pool.web]
                command = ["cat"]
                depends_on = { db = "started" }
                """;
        try (RunningSupervisor s = new RunningSupervisor(dir, toml)) {
            s.awaitState("web.1", WorkerState.RUNNING);
            Operations.Result refused = call(s, (ops, done) -> ops.stop(List.of("db"), true, false, done));
            assertFalse(refused.ok());
            assertEquals("not stopped: web.1 depends on db and still run; stop them first, or use tend stop"
                    + " --with-dependents", refused.message());
            assertEquals(WorkerState.RUNNING, s.worker("db.1").state(), "nothing was stopped");
            assertTrue(call(s, (ops, done) -> ops.stop(List.of("db"), true, true, done)).ok());
            assertEquals(WorkerState.STOPPED, s.worker("web.1").state());
            assertEquals(WorkerState.STOPPED, s.worker("db.1").state());
            Operations.Result started = call(s, (ops, done) -> ops.start(List.of("web"), true, done));
            assertTrue(started.ok(), started.toString());
            assertEquals(WorkerState.RUNNING, s.worker("db.1").state(), "started as what web needs");
            assertEquals(WorkerState.RUNNING, s.worker("web.1").state());
        }
    }

    @Test
    void shouldStartARequiredLazyWorkerOnceWhatItDependsOnIsReady() throws Exception {
        String toml = """
                [pool.db]
                command = ["cat"]
                start_window = "1s"
                [lazy.cache]
                pattern = "cache-*"
                command = ["cat"]
                start_window = "0s"
                depends_on = ["db"]
                """;
        try (RunningSupervisor s = new RunningSupervisor(dir, toml)) {
            Operations.Result required = call(s, (ops, done) -> ops.require(List.of("cache-eu"), Duration.ofSeconds(10), done));
            assertTrue(required.ok(), required.toString());
            WorkerStatus db = s.worker("db.1");
            assertEquals(WorkerState.RUNNING, db.state());
            assertTrue(s.worker("cache-eu").startedEpochMillis() >= db.stateSinceMillis(),
                    "cache-eu was started once db was ready: " + s.text());
            assertFalse(s.notices("cache-eu waiting for db to be ready").isEmpty(), s.text());
        }
    }

    @Test
    void shouldNotCallAWorkerThatDiesWithinItsStartWindowReady() throws Exception {
        List<WorkerStatus> seen = new CopyOnWriteArrayList<>();
        String toml = """
                [pool.crash]
                command = "sleep 0.2; exit 3"
                start_window = "1s"
                max_failures = 2
                backoff_min = "10ms"
                [pool.steady]
                command = ["cat"]
                start_window = "300ms"
                """;
        try (RunningSupervisor s = new RunningSupervisor(dir, toml, line -> { }, List.of(new SupervisorListener() {
            @Override
            public void workerChanged(WorkerStatus status) {
                seen.add(status);
            }
        }))) {
            s.awaitState("steady.1", WorkerState.RUNNING);
            s.awaitState("crash.1", WorkerState.FAILED);
            assertTrue(seen.stream().noneMatch(w -> w.name().equals("crash.1") && w.ready()),
                    "crash.1 was never ready: " + seen);
            long startedAt = first(seen, "steady.1", WorkerState.STARTING).stateSinceMillis();
            long readyAt = first(seen, "steady.1", WorkerState.RUNNING).stateSinceMillis();
            assertTrue(readyAt - startedAt >= 300, "ready only after its start window: " + seen);
        }
    }

    private static WorkerStatus first(List<WorkerStatus> seen, String name, WorkerState state) {
        return seen.stream().filter(w -> w.name().equals(name) && w.state() == state).findFirst().orElseThrow();
    }

    private static Operations.Result call(RunningSupervisor s, BiConsumer<Operations, Consumer<Operations.Result>> op) {
        CompletableFuture<Operations.Result> result = new CompletableFuture<>();
        s.onLoop(() -> {
            op.accept(s.supervisor.operations(), result::complete);
            return null;
        });
        return Await.value(RunningSupervisor.WAIT, "the operation's answer", () -> result.getNow(null));
    }
}
