package dev.tend.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.tend.protocol.HealthEntry;
import dev.tend.testing.Await;
import dev.tend.testing.Processes;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Health probes against real servers and real probe processes, run by a real supervisor. */
class HealthProbeTest {
    @TempDir
    Path dir;

    /** Waits for one of tend's lines: a report's lines are logged one by one, and read here as they come. */
    private static void awaitText(RunningSupervisor s, String text) {
        s.awaitLine(text, l -> l.text().equals(text));
    }

    private static HealthEntry health(WorkerStatus w) {
        return w.health().orElseThrow(() -> new AssertionError(w.name() + " has no health status"));
    }

    @Test
    void shouldBeReadyAtTheFirstPassingHttpProbeAndRestartedGracefullyOnceTheServerStopsAnswering() throws Exception {
        AtomicInteger answer = new AtomicInteger(503);
        AtomicInteger asked = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/health", exchange -> {
            asked.incrementAndGet();
            exchange.sendResponseHeaders(answer.get(), -1);
            exchange.close();
        });
        server.start();
        int port = server.getAddress().getPort();
        try (RunningSupervisor s = new RunningSupervisor(dir, """
                [pool.web]
                command = "echo serving; exec cat"
                ready = "healthy"
                [pool.web.health]
                http = "http://127.0.0.1:%d/health"
                interval = "100ms"
                timeout = "1s"
                failures = 3
                start_period = "1m"
                """.formatted(port))) {
            // 503s during the start period: not ready, failures not counted.
            Await.until(RunningSupervisor.WAIT, "three probes", () -> asked.get() >= 3);
            WorkerStatus starting = s.worker("web.1");
            assertEquals(WorkerState.STARTING, starting.state(), s.text());
            assertEquals("starting", health(starting).status());
            assertEquals("HTTP 503 Service Unavailable", health(starting).message());
            assertEquals(0, health(starting).failures());

            answer.set(200);
            WorkerStatus ready = s.awaitState("web.1", WorkerState.RUNNING);
            assertTrue(ready.ready());
            assertEquals("healthy", health(ready).status());
            assertEquals("passed", health(ready).lastResult());
            long firstPid = ready.pid();

            server.stop(0);
            awaitText(s, "web.1 is unhealthy: http http://127.0.0.1:" + port + "/health failed 3 times in a"
                    + " row (last: connection refused (ECONNREFUSED)); restarting it");
            awaitText(s, "  probe:     http http://127.0.0.1:" + port + "/health (every 100ms, timeout 1s, failures = 3)");
            // Graceful: EOF on stdin, and cat exits 0 by itself.
            s.awaitLine("the stop", l -> l.text().startsWith("web.1 stopped (exit status 0)"));
            WorkerStatus again = Await.value(RunningSupervisor.WAIT, "web.1 started again", () -> {
                WorkerStatus w = s.worker("web.1");
                return w.pid() != 0 && w.pid() != firstPid ? w : null;
            });
            assertEquals(1, again.restarts());
            assertTrue(again.lastExit().startsWith("exit status 0 (unhealthy: http http://127.0.0.1:" + port
                    + "/health failed 3 times"), again.lastExit());
            assertEquals(WorkerState.STARTING, again.state(), "a new process is not ready before its probe passes");
            assertEquals("starting", health(again).status());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void shouldPassATcpProbeOnceTheAddressAcceptsConnections() throws Exception {
        try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             RunningSupervisor s = new RunningSupervisor(dir, """
                     [pool.db]
                     command = ["cat"]
                     ready = "healthy"
                     [pool.db.health]
                     tcp = "127.0.0.1:%d"
                     interval = "100ms"
                     """.formatted(listening.getLocalPort()))) {
            WorkerStatus ready = s.awaitState("db.1", WorkerState.RUNNING);
            assertEquals("connected", health(ready).message());
            assertEquals("healthy", health(ready).status());
        }
    }

    @Test
    void shouldCountRefusedTcpConnectionsAsFailures() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        try (RunningSupervisor s = new RunningSupervisor(dir, """
                [pool.db]
                command = ["cat"]
                start_window = "0s"
                [pool.db.health]
                tcp = "127.0.0.1:%d"
                interval = "100ms"
                failures = 50
                """.formatted(port))) {
            WorkerStatus failing = Await.value(RunningSupervisor.WAIT, "two failures", () -> {
                WorkerStatus w = s.worker("db.1");
                return w.health().isPresent() && w.health().get().failures() >= 2 ? w : null;
            });
            assertEquals("failing", health(failing).status());
            assertEquals("connection refused (ECONNREFUSED)", health(failing).message());
            assertEquals(WorkerState.RUNNING, failing.state(), "ready = \"spawned\": the probe is only a liveness check");
        }
    }

    @Test
    void shouldRunAnExecProbeWithTheWorkersCwdAndEnvironment() throws Exception {
        try (RunningSupervisor s = new RunningSupervisor(dir, """
                [pool.job]
                command = ["cat"]
                ready = "healthy"
                env = { WANTED = "ready-marker" }
                [pool.job.health]
                exec = 'test "$TEND_WORKER" = job.1 && test -f "$WANTED"'
                interval = "100ms"
                start_period = "1m"
                """)) {
            Await.until(RunningSupervisor.WAIT, "a failed probe",
                    () -> s.worker("job.1").health().map(h -> h.lastResult().equals("failed")).orElse(false));
            assertEquals(WorkerState.STARTING, s.worker("job.1").state());
            assertEquals("exit status 1", health(s.worker("job.1")).message());
            Files.writeString(dir.resolve("ready-marker"), "");
            WorkerStatus ready = s.awaitState("job.1", WorkerState.RUNNING);
            assertEquals("exit status 0", health(ready).message());
        }
    }

    @Test
    void shouldReportAFailingExecProbesExitStatusAndLastOutput() throws Exception {
        try (RunningSupervisor s = new RunningSupervisor(dir, """
                [pool.job]
                command = ["cat"]
                [pool.job.health]
                exec = "echo checking the database; echo 'db down: connection refused' >&2; exit 3"
                interval = "100ms"
                failures = 2
                """)) {
            awaitText(s, "job.1 is unhealthy: exec echo checking the database; echo 'db down: connection"
                    + " refused' >&2; exit 3 failed 2 times in a row (last: exit status 3); restarting it");
            awaitText(s, "  last output of the probe:");
            awaitText(s, "    checking the database");
            awaitText(s, "    db down: connection refused");
        }
    }

    @Test
    void shouldKillAHangingExecProbeAndItsProcessGroupAtItsTimeout() throws Exception {
        Path pids = dir.resolve("probe-pids");
        try (RunningSupervisor s = new RunningSupervisor(dir, """
                [pool.job]
                command = ["cat"]
                [pool.job.health]
                exec = ["sh", "-c", "sleep 1000 & echo $! >> probe-pids; echo $$ >> probe-pids; echo probing; wait"]
                interval = "1m"
                timeout = "300ms"
                failures = 1
                """)) {
            awaitText(s, "job.1 is unhealthy: exec sh -c 'sleep 1000 & echo $! >> probe-pids; echo $$ >>"
                    + " probe-pids; echo probing; wait' failed 1 time in a row (last: timed out after 300ms); restarting it");
            // The probe's last output is in the report.
            awaitText(s, "    probing");
            List<String> started = Files.readAllLines(pids);
            assertEquals(2, started.size(), started.toString());
            for (String pid : started) {
                Await.until(RunningSupervisor.WAIT, "probe process " + pid + " gone",
                        () -> !Processes.alive(Long.parseLong(pid)));
            }
            WorkerStatus again = Await.value(RunningSupervisor.WAIT, "job.1 restarted", () -> {
                WorkerStatus w = s.worker("job.1");
                return w.restarts() == 1 && w.pid() != 0 ? w : null;
            });
            assertNotEquals("", again.lastExit());
            assertFalse(s.onLoop(() -> s.supervisor.manages(Integer.parseInt(started.get(1)))),
                    "the probe's pid is no longer the engine's to reap");
        }
    }
}
