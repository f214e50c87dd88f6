package dev.tend.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.config.Config;
import dev.tend.config.ConfigLoader;
import dev.tend.engine.LogLine;
import dev.tend.engine.Supervisor;
import dev.tend.engine.SupervisorSettings;
import dev.tend.engine.WorkerState;
import dev.tend.engine.WorkerStatus;
import dev.tend.json.Json;
import dev.tend.os.Reactor;
import dev.tend.os.Signal;
import dev.tend.protocol.WorkerEntry.PublishedState;
import dev.tend.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mapping of control requests onto the engine's operations: each request, as the JSON a client sends,
 * handed to the service on the loop of a real supervisor with real worker processes; what the operation did
 * is read back from the supervisor, and the reply from a recording {@link Reply}.
 */
class ControlServiceTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final long PID = 4242;

    @TempDir
    Path dir;

    private final List<LogLine> lines = new CopyOnWriteArrayList<>();
    private Reactor reactor;
    private Thread loop;
    private Supervisor supervisor;
    private ControlService service;

    @BeforeEach
    void start() throws Exception {
        Path file = dir.resolve("tend.toml");
        Files.writeString(file, """
                name = "svc"
                [pool.web]
                command = ["cat"]
                count = 2
                [pool.job]
                command = "echo job done"
                restart = "never"
                [lazy.cache]
                pattern = "cache-*"
                command = ["cat"]
                """);
        Config config = new ConfigLoader(System.getenv()).load(file);
        reactor = new Reactor(Throwable::printStackTrace);
        supervisor = new Supervisor(config, new SupervisorSettings(System.getenv(), -1, 4, System::currentTimeMillis),
                lines::add, reactor);
        // The state file's facts for one worker only, as if no other had a slot.
        service = new ControlService(supervisor, worker -> worker.equals("web.1")
                ? Optional.of(new PublishedState(3, 1500)) : Optional.empty(), System::currentTimeMillis, PID, reactor);
        loop = new Thread(reactor::run, "control-service-test");
        reactor.execute(supervisor::start);
        loop.start();
        Await.until(WAIT, "web running and job finished", () -> state("web.1") == WorkerState.RUNNING
                && state("web.2") == WorkerState.RUNNING && state("job.1") == WorkerState.EXITED);
    }

    @AfterEach
    void stop() throws Exception {
        if (loop.isAlive()) {
            reactor.execute(() -> supervisor.onSignal(Signal.INT));
            reactor.execute(() -> supervisor.onSignal(Signal.INT));
            loop.join(WAIT.toMillis());
        }
        reactor.close();
    }

    /** A reply that records what the service sends, on the loop thread. */
    private static final class Recorded implements Reply {
        final List<Map<String, Object>> events = new CopyOnWriteArrayList<>();
        final CompletableFuture<Map<String, Object>> last = new CompletableFuture<>();
        final List<Runnable> closeActions = new CopyOnWriteArrayList<>();

        @Override
        public void send(Map<String, Object> message) {
            events.add(message);
        }

        @Override
        public void end(Map<String, Object> message) {
            if (!last.complete(message)) {
                throw new AssertionError("a second final message: " + message);
            }
        }

        @Override
        public boolean open() {
            return !last.isDone();
        }

        @Override
        public void onClose(Runnable action) {
            closeActions.add(action);
        }

        Map<String, Object> awaitLast() throws Exception {
            return last.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /** Hands the request, as a client writes it, to the service on the loop; returns the reply. */
    private Recorded send(String json) {
        Recorded reply = new Recorded();
        Map<String, Object> request = Json.parseObject(json);
        reactor.execute(() -> service.handle(request, reply));
        return reply;
    }

    private Map<String, Object> answer(String json) throws Exception {
        return send(json).awaitLast();
    }

    private <T> T onLoop(Supplier<T> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        reactor.execute(() -> result.complete(action.get()));
        try {
            return result.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private WorkerState state(String name) {
        return onLoop(() -> supervisor.status().stream().filter(w -> w.name().equals(name))
                .map(WorkerStatus::state).findFirst().orElse(null));
    }

    private List<String> names() {
        return onLoop(() -> supervisor.status().stream().map(WorkerStatus::name).collect(Collectors.toList()));
    }

    private static List<Map<String, Object>> workers(Map<String, Object> reply) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object w : (List<?>) reply.get("workers")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) Json.parseObject(Json.write(w));
            out.add(m);
        }
        return out;
    }

    private static Map<String, Object> worker(Map<String, Object> reply, String name) {
        return workers(reply).stream().filter(w -> name.equals(w.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + reply));
    }

    /** The final message as a client reads it (after JSON), so numbers compare as they arrive. */
    private static Map<String, Object> wire(Map<String, Object> message) {
        return Json.parseObject(Json.write(message));
    }

    @Test
    void psDescribesTheInstanceAndEveryWorkerWithTheFactsClientsNeed() throws Exception {
        Map<String, Object> ps = wire(answer("{\"op\":\"ps\"}"));
        assertEquals(List.of("ok", "instance", "pid", "config", "stopping", "workers"), List.copyOf(ps.keySet()));
        assertEquals(true, ps.get("ok"));
        assertEquals("svc", ps.get("instance"));
        assertEquals(PID, ps.get("pid"));
        assertEquals(dir.resolve("tend.toml").toString(), ps.get("config"));
        assertEquals(false, ps.get("stopping"));
        assertEquals(List.of("web.1", "web.2", "job.1"),
                workers(ps).stream().map(w -> w.get("name")).collect(Collectors.toList()));
        Map<String, Object> web = worker(ps, "web.1");
        assertEquals(List.of("name", "pool", "instance", "state", "pid", "ready", "finished_cleanly", "uptime_ms",
                "state_since_epoch_ms", "restarts", "failures", "attempts", "last_exit", "reason", "status",
                "state_version", "state_age_ms", "cpu_percent", "rss_bytes"), List.copyOf(web.keySet()));
        assertTrue(((Number) web.get("rss_bytes")).longValue() > 0, "ps samples the running workers: " + web);
        assertEquals("running", web.get("state"));
        assertEquals(true, web.get("ready"));
        assertEquals(false, web.get("finished_cleanly"));
        assertEquals(3L, web.get("state_version"));
        assertEquals(1500L, web.get("state_age_ms"));
        assertFalse(worker(ps, "web.2").containsKey("state_version"), "no slot, no state members");
        Map<String, Object> job = worker(ps, "job.1");
        assertEquals("exited", job.get("state"));
        assertFalse(job.containsKey("rss_bytes"), "no process, no figures");
        assertEquals("exit status 0", job.get("last_exit"));
        assertEquals(false, job.get("ready"));
        assertEquals(true, job.get("finished_cleanly"), "its job is done: a readiness probe counts it");
        assertEquals(0L, job.get("pid"));
    }

    @Test
    void actionsReachTheirOperationWithTheirTargetsAndWait() throws Exception {
        Map<String, Object> stopped = wire(answer("{\"op\":\"stop\",\"targets\":[\"web.2\"]}"));
        assertEquals(List.of("ok", "message", "workers", "failures"), List.copyOf(stopped.keySet()));
        assertEquals("stopped web.2", stopped.get("message"));
        assertEquals("stopped", worker(stopped, "web.2").get("state"));
        assertEquals(List.of(), stopped.get("failures"));
        assertEquals(WorkerState.STOPPED, state("web.2"));
        assertEquals(WorkerState.RUNNING, state("web.1"), "only the target");

        Map<String, Object> started = answer("{\"op\":\"start\",\"targets\":[\"web\"],\"wait\":false}");
        assertEquals("started web.2 (web.1 already running)", started.get("message"), "no wait: no \"; ready\"");
        Await.until(WAIT, "web.2 running", () -> state("web.2") == WorkerState.RUNNING);

        assertEquals("restarting web.1", answer("{\"op\":\"restart\",\"targets\":[\"web.1\"],\"wait\":false}")
                .get("message"));
        Await.until(WAIT, "web.1 restarted", () -> state("web.1") == WorkerState.RUNNING);
        assertEquals("restarted web.1; ready", answer("{\"op\":\"restart\",\"targets\":[\"web.1\"]}").get("message"),
                "wait defaults to true");
    }

    @Test
    void scaleTakesACountAsANumberOrAString() throws Exception {
        assertEquals("added web.3; ready", answer("{\"op\":\"scale\",\"pool\":\"web\",\"count\":3}").get("message"));
        assertEquals(List.of("web.1", "web.2", "job.1", "web.3"), names());
        assertEquals("removed web.2, web.3", answer("{\"op\":\"scale\",\"pool\":\"web\",\"count\":\"1\"}")
                .get("message"));
        assertEquals(List.of("web.1", "job.1"), names());
    }

    @Test
    void requireStartsALazyWorkerAndTimesOutWithItsTimeout() throws Exception {
        assertEquals("required cache-eu; ready",
                answer("{\"op\":\"require\",\"names\":[\"cache-eu\"],\"timeout_ms\":10000}").get("message"));
        assertEquals(WorkerState.RUNNING, state("cache-eu"));
        Map<String, Object> unknown = wire(answer("{\"op\":\"require\",\"names\":[\"db\"]}"));
        assertEquals(List.of("ok", "error", "code", "workers", "failures"), List.copyOf(unknown.keySet()));
        assertEquals(false, unknown.get("ok"));
        assertEquals(3L, unknown.get("code"));
        assertEquals("no worker, pool or [lazy] pattern matches \"db\" (pools: web, job; lazy: cache-*)",
                unknown.get("error"));
    }

    @Test
    void logsSendRecentLinesAsEventsThenTheFinalMessage() throws Exception {
        Recorded reply = send("{\"op\":\"logs\",\"targets\":[\"job\"],\"lines\":1}");
        assertEquals(Map.of("ok", true), reply.awaitLast());
        assertEquals(1, reply.events.size(), reply.events.toString());
        Map<String, Object> event = wire(reply.events.get(0));
        assertEquals(List.of("event", "seq", "time_ms", "source", "channel", "text"), List.copyOf(event.keySet()));
        assertEquals("log", event.get("event"));
        assertEquals("job.1", event.get("source"));
        assertEquals("stdout", event.get("channel"));
        assertEquals("job done", event.get("text"));

        Recorded following = send("{\"op\":\"logs\",\"targets\":[\"tend\"],\"lines\":0,\"follow\":true}");
        Await.until(WAIT, "a close action for the follower", () -> !following.closeActions.isEmpty());
        assertFalse(following.last.isDone(), "a follower gets no final message");
        assertTrue(following.events.isEmpty(), "lines = 0: nothing recent");
        reactor.execute(() -> supervisor.announce(LogLine.Channel.NOTICE, "hello follower"));
        Await.until(WAIT, "the followed line", () -> following.events.stream()
                .anyMatch(e -> "hello follower".equals(e.get("text"))));

        assertEquals(Map.of("ok", false, "error", "no worker or pool named nope (pools: web, job)", "code", 3),
                answer("{\"op\":\"logs\",\"targets\":[\"nope\"]}"));
    }

    @Test
    void reloadAndDownReachTheirOperations() throws Exception {
        Map<String, Object> reloaded = answer("{\"op\":\"reload\"}");
        assertEquals(true, reloaded.get("ok"), reloaded.toString());
        assertTrue(((String) reloaded.get("message")).startsWith("reloaded: "), reloaded.toString());
        Map<String, Object> down = answer("{\"op\":\"down\"}");
        assertEquals("stopped every worker", down.get("message"));
        loop.join(WAIT.toMillis());
        assertFalse(loop.isAlive(), "tend up is over");
        assertEquals(0, supervisor.exitCode());
    }

    @Test
    void badRequestsAreRefusedWithCode2BeforeAnythingHappens() throws Exception {
        for (String[] c : new String[][] {
            {"{\"op\":\"dance\"}",
                "unknown op \"dance\"; known: ps, start, stop, restart, scale, require, reload, down, logs, subscribe"},
            {"{\"op\":\"stop\"}", "\"targets\" must be an array of strings"},
            {"{\"op\":\"stop\",\"targets\":\"web\"}", "\"targets\" must be an array of strings"},
            {"{\"op\":\"stop\",\"targets\":[\"web\",1]}", "\"targets\" must be an array of strings"},
            {"{\"op\":\"stop\",\"targets\":[\"web\"],\"wait\":\"no\"}", "\"wait\" must be true or false"},
            {"{\"op\":\"scale\",\"count\":2}", "\"pool\" must be a string"},
            {"{\"op\":\"scale\",\"pool\":\"web\"}", "\"count\" must be a number or a string such as \"50%\""},
            {"{\"op\":\"scale\",\"pool\":\"web\",\"count\":1.5}", "\"count\" must be a number or a string such as \"50%\""},
            {"{\"op\":\"require\",\"timeout_ms\":100}", "\"names\" must be an array of strings"},
            {"{\"op\":\"require\",\"names\":[]}", "\"names\" must name at least one worker"},
            {"{\"op\":\"require\",\"names\":[\"web.1\"],\"timeout_ms\":\"1s\"}", "\"timeout_ms\" must be an integer"},
            {"{\"op\":\"logs\",\"lines\":2.5}", "\"lines\" must be an integer"},
            {"{\"op\":\"logs\",\"targets\":null}", "\"targets\" must be an array of strings"},
            {"{\"op\":\"logs\",\"follow\":1}", "\"follow\" must be true or false"},
        }) {
            assertEquals(Map.of("ok", false, "error", c[1], "code", 2), answer(c[0]), c[0]);
        }
        assertEquals(WorkerState.RUNNING, state("web.1"), "nothing was stopped");
        assertEquals(List.of("web.1", "web.2", "job.1"), names(), "nothing was scaled");
    }

    @Test
    void emptyTargetsAreACode2FromTheEngine() throws Exception {
        Map<String, Object> reply = wire(answer("{\"op\":\"stop\",\"targets\":[]}"));
        assertEquals(2L, reply.get("code"));
        assertEquals("name at least one worker, pool or all", reply.get("error"));
        assertEquals(List.of(), reply.get("workers"));
        assertNull(reply.get("message"));
    }
}
