package dev.tend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.tend.json.Json;
import dev.tend.os.Signal;
import dev.tend.testing.Await;
import dev.tend.testing.Processes;
import dev.tend.testing.TendProcess;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ready = "healthy" as tend start, tend run and tend ps see it, with a real tend and a real HTTP server. */
class HealthProbeCommandsTest {
    @TempDir
    Path dir;

    private final AtomicInteger answer = new AtomicInteger(503);
    private final AtomicInteger asked = new AtomicInteger();
    private HttpServer server;

    @BeforeEach
    void serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/health", exchange -> {
            asked.incrementAndGet();
            exchange.sendResponseHeaders(answer.get(), -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServing() {
        server.stop(0);
    }

    private String config() {
        return """
                [pool.web]
                command = ["cat"]
                ready = "healthy"
                [pool.web.health]
                http = "http://127.0.0.1:%d/health"
                interval = "100ms"
                start_period = "1m"
                """.formatted(server.getAddress().getPort());
    }

    @Test
    void shouldRunTheCommandOnlyOnceTheProbePasses() throws Exception {
        Files.writeString(dir.resolve("tend.toml"), config());
        try (TendProcess run = TendProcess.start(dir, "run", "--", "touch", "ran")) {
            Await.until(TendProcess.WAIT, "two probes", () -> asked.get() >= 2);
            assertFalse(Files.exists(dir.resolve("ran")), "the command ran before the probe passed");
            answer.set(200);
            assertEquals(0, run.awaitExit(), run.stdout() + run.stderr());
            assertTrue(Files.exists(dir.resolve("ran")), run.stdout());
        }
    }

    @Test
    void shouldEndTheRunWhenTheProbeFailsTooOftenBeforeItEverPassed() throws Exception {
        Files.writeString(dir.resolve("tend.toml"), """
                [pool.web]
                command = ["cat"]
                ready = "healthy"
                [pool.web.health]
                http = "http://127.0.0.1:%d/health"
                interval = "100ms"
                failures = 2
                """.formatted(server.getAddress().getPort()));
        TendProcess.Result r = TendProcess.run(dir, "run", "--", "touch", "ran");
        assertEquals(4, r.exitCode(), r.toString());
        assertFalse(Files.exists(dir.resolve("ran")), r.toString());
        assertTrue(r.stdout().contains("web.1 is unhealthy: http http://127.0.0.1:" + server.getAddress().getPort()
                + "/health failed 2 times in a row (last: HTTP 503 Service Unavailable); restarting it"), r.toString());
        assertTrue(r.stdout().contains("(unhealthy: http http://127.0.0.1:"), "the report's last exit says why: " + r);
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldMakeStartWaitForTheProbeAndShowTheProbeInPs() throws Exception {
        try (TendProcess up = TendProcess.up(dir, config())) {
            Await.until(TendProcess.WAIT, "two probes", () -> asked.get() >= 2);
            TendProcess.Result table = TendProcess.run(dir, "ps");
            assertTrue(table.stdout().contains("starting [starting]"), table.toString());
            TendProcess.Result json = TendProcess.run(dir, "ps", "--json");
            Map<String, Object> worker = ((List<Map<String, Object>>) Json.parseObject(json.stdout().trim())
                    .get("workers")).get(0);
            Map<String, Object> health = (Map<String, Object>) worker.get("health");
            assertEquals("http http://127.0.0.1:" + server.getAddress().getPort() + "/health", health.get("probe"));
            assertEquals("starting", health.get("status"));
            assertEquals("failed", health.get("last_result"));
            assertEquals("HTTP 503 Service Unavailable", health.get("message"));
            assertEquals(3L, health.get("threshold"));

            try (TendProcess start = TendProcess.start(dir, "start", "web")) {
                // 15 more probes, 1.5 s at least: time for the client to start and ask, which it does in well under that.
                int before = asked.get();
                Await.until(TendProcess.WAIT, "15 more probes", () -> asked.get() >= before + 15);
                assertTrue(Processes.alive(start.pid()), "tend start answered before the probe passed: " + start.stdout());
                answer.set(200);
                assertEquals(0, start.awaitExit(), start.stdout() + start.stderr());
            }
            TendProcess.Result healthy = TendProcess.run(dir, "ps");
            assertTrue(healthy.stdout().contains("running [healthy]"), healthy.toString());
            up.signal(Signal.TERM);
            assertEquals(0, up.awaitExit(), up.stdout());
        }
    }
}
