package dev.tend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.client.ControlClient;
import dev.tend.json.Json;
import dev.tend.os.Signal;
import dev.tend.os.UserId;
import dev.tend.protocol.ExitCode;
import dev.tend.protocol.InstanceStatus;
import dev.tend.protocol.StatusTable;
import dev.tend.protocol.StatusText;
import dev.tend.testing.Await;
import dev.tend.testing.Processes;
import dev.tend.testing.TendProcess;
import dev.tend.worker.Require;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every control command against a real `tend up` running as a separate process. */
class ControlCommandsTest {
    @TempDir
    Path dir;

    private TendProcess up(String toml) throws Exception {
        return TendProcess.up(dir, toml);
    }

    private Path socket() {
        return TendProcess.instanceDirectory(dir).resolve("control.sock");
    }

    private TendProcess.Result tend(String... args) throws Exception {
        return TendProcess.run(dir, args);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> worker(String name) throws Exception {
        TendProcess.Result r = tend("ps", "--json");
        assertEquals(0, r.exitCode(), r.toString());
        for (Object w : (List<Object>) Json.parseObject(r.stdout().trim()).get("workers")) {
            if (((Map<String, Object>) w).get("name").equals(name)) {
                return (Map<String, Object>) w;
            }
        }
        throw new AssertionError("no " + name + " in " + r.stdout());
    }

    @Test
    void shouldShowStatusAsTableJsonAndReadiness() throws Exception {
        try (TendProcess up = up("""
                [pool.web]
                command = ["cat"]
                count = 2
                [pool.slow]
                command = ["cat"]
                ready = "publish"
                """)) {
            long pid = up.awaitWorkerPid("web.1");
            TendProcess.Result table = tend("ps");
            assertEquals(0, table.exitCode(), table.toString());
            assertTrue(table.stdout().startsWith("instance " + dir.getFileName() + " (pid " + up.pid() + ") from "
                    + dir.resolve("tend.toml") + "\nNAME    PID"), table.stdout());
            assertTrue(table.stdout().contains("web.1   " + pid), table.stdout());
            Map<String, Object> json = Json.parseObject(tend("status", "--json").stdout().trim());
            assertEquals(true, json.get("ok"));
            assertEquals(dir.getFileName().toString(), json.get("instance"));
            assertEquals(up.pid(), json.get("pid"));
            assertEquals("running", worker("web.1").get("state"));
            assertEquals(pid, worker("web.1").get("pid"));
            assertEquals(false, worker("slow.1").get("ready"));
            TendProcess.Result ready = tend("ps", "--ready");
            assertEquals(1, ready.exitCode(), ready.toString());
            assertEquals("2/3 ready; not ready: slow.1 (starting)\n", ready.stdout());
        }
    }

    /** tend renders the table (a client prints its lines); it must match the workers that ps --json shows. */
    @Test
    void shouldPrintTheTableOfTheSameWorkersAsTheJson() throws Exception {
        try (TendProcess up = up("""
                [pool.done]
                command = ["true"]
                count = 3
                [pool.failed]
                command = ["sh", "-c", "exit 3"]
                max_failures = 1
                [pool.held]
                command = ["cat"]
                """)) {
            up.awaitWorkerPid("held.1");
            assertEquals(0, tend("stop", "held").exitCode());
            // Ended workers have no pid and no uptime: nothing in their rows changes between the two calls.
            Await.until(TendProcess.WAIT, "every worker ended", () -> {
                try {
                    Map<String, Object> json = Json.parseObject(tend("ps", "--json").stdout().trim());
                    return InstanceStatus.fromJson(json).workers().stream().allMatch(w -> w.pid() == 0
                            && List.of("exited", "failed", "stopped").contains(w.state()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            InstanceStatus status = InstanceStatus.fromJson(Json.parseObject(tend("ps", "--json").stdout().trim()));
            TendProcess.Result table = tend("ps");
            assertEquals(0, table.exitCode(), table.toString());
            assertEquals(StatusText.header(Json.parseObject(tend("ps", "--json").stdout().trim())) + "\n"
                    + String.join("\n", StatusTable.lines(status.workers())) + "\n", table.stdout());
            assertEquals(7, table.stdout().lines().count(), table.stdout());
            assertTrue(table.stdout().lines().anyMatch(l -> l.startsWith("failed.1") && l.contains("exit status 3")),
                    table.stdout());
        }
    }

    @Test
    void shouldStopStartAndRestartTargets() throws Exception {
        try (TendProcess up = up("""
                [pool.web]
                command = ["cat"]
                count = 2
                """)) {
            long first = up.awaitWorkerPid("web.1");
            long second = up.awaitWorkerPid("web.2");
            TendProcess.Result stop = tend("stop", "web.2");
            assertEquals(0, stop.exitCode(), stop.toString());
            assertEquals("stopped web.2\n", stop.stdout());
            assertFalse(Processes.alive(second));
            assertEquals("stopped", worker("web.2").get("state"));
            assertEquals(first, worker("web.1").get("pid"), "only the target stopped");
            TendProcess.Result start = tend("start", "web");
            assertEquals(0, start.exitCode(), start.toString());
            assertEquals("started web.2 (web.1 already running); ready\n", start.stdout());
            assertEquals("running", worker("web.2").get("state"));
            TendProcess.Result restart = tend("restart", "all");
            assertEquals(0, restart.exitCode(), restart.toString());
            assertEquals("restarted web.1, web.2; ready\n", restart.stdout());
            assertNotEquals(first, worker("web.1").get("pid"));
            TendProcess.Result unknown = tend("stop", "nope");
            assertEquals(3, unknown.exitCode(), unknown.toString());
            assertTrue(unknown.stderr().contains("no worker or pool named nope (pools: web)"), unknown.toString());
        }
    }

    @Test
    void shouldScaleAndReadLogs() throws Exception {
        try (TendProcess up = up("""
                [pool.web]
                command = "echo hello from $TEND_WORKER; exec cat"
                """)) {
            up.awaitLine("first worker output", l -> l.equals("web.1 | hello from web.1"));
            TendProcess follower = TendProcess.start(dir, "logs", "-f", "-n", "1", "web");
            try (follower) {
                // The recent line arrives once the follower is subscribed: only then can it miss nothing.
                follower.awaitLine("recent output", l -> l.equals("web.1 | hello from web.1"));
                assertEquals(0, tend("scale", "--force", "web", "3").exitCode());
                follower.awaitLine("followed output of a new worker", l -> l.contains("hello from web.3"));
                assertTrue(follower.lines().stream().noneMatch(l -> l.startsWith("tend ")), "only the web pool");
            }
            TendProcess.Result logs = tend("logs", "-n", "2", "web.2");
            assertEquals(0, logs.exitCode(), logs.toString());
            assertEquals("web.2 | hello from web.2\n", logs.stdout());
            TendProcess.Result down = tend("scale", "web", "1");
            assertEquals(0, down.exitCode(), down.toString());
            assertEquals("removed web.2, web.3\n", down.stdout());
            assertEquals(3, tend("logs", "nosuch").exitCode());
        }
    }

    @Test
    void shouldReloadAddedRemovedChangedAndUntouchedPools() throws Exception {
        try (TendProcess up = up("""
                [pool.keep]
                command = ["cat"]
                [pool.change]
                command = "echo version 1; exec cat"
                [pool.drop]
                command = ["cat"]
                """)) {
            long keep = up.awaitWorkerPid("keep.1");
            long drop = up.awaitWorkerPid("drop.1");
            up.awaitLine("version 1", l -> l.equals("change.1 | version 1"));
            Files.writeString(dir.resolve("tend.toml"), """
                    [pool.keep]
                    command = ["cat"]
                    [pool.change]
                    command = "echo version 2; exec cat"
                    [pool.added]
                    command = "echo I am new; exec cat"
                    """);
            TendProcess.Result reload = tend("reload");
            assertEquals(0, reload.exitCode(), reload.toString());
            up.awaitLine("version 2", l -> l.equals("change.1 | version 2"));
            up.awaitLine("added pool", l -> l.endsWith("| I am new"));
            assertEquals(keep, worker("keep.1").get("pid"), "the untouched worker keeps its process");
            Await.until(TendProcess.WAIT, "removed pool stopped", () -> !Processes.alive(drop));
            Files.writeString(dir.resolve("tend.toml"), "[pool.keep]\ncommand = [\"cat\"]\ngrace = \"soon\"\n");
            TendProcess.Result refused = tend("reload");
            assertEquals(2, refused.exitCode(), refused.toString());
            assertTrue(refused.stderr().contains("pool.keep.grace: bad duration \"soon\""), refused.toString());
            assertEquals(keep, worker("keep.1").get("pid"));
            assertEquals("running", worker("added.1").get("state"), "nothing changed");
        }
    }

    @Test
    void shouldKeepAScaleAcrossAReloadAndRestartRolling() throws Exception {
        try (TendProcess up = up("""
                [pool.w]
                command = "echo v$V $TEND_WORKER; exec cat"
                env = { V = "1" }
                count = 2
                """)) {
            up.awaitWorkerPid("w.2");
            TendProcess.Result scale = tend("scale", "w", "4");
            assertEquals(0, scale.exitCode(), scale.toString());
            Files.writeString(dir.resolve("tend.toml"), """
                    [pool.w]
                    command = "echo v$V $TEND_WORKER; exec cat"
                    env = { V = "2" }
                    count = 2
                    """);
            TendProcess.Result reload = tend("reload");
            assertEquals(0, reload.exitCode(), reload.toString());
            assertEquals("reloaded: 1 restarted (w), 0 unchanged\n", reload.stdout());
            for (int i = 1; i <= 4; i++) {
                String name = "w." + i;
                up.awaitLine(name + " on the new settings", l -> l.startsWith(name + " ") && l.endsWith("| v2 " + name));
                assertEquals("running", worker("w." + i).get("state"), "the scale to 4 holds");
            }
            assertTrue(up.lines().stream().noneMatch(l -> l.contains("scaling w")), String.join("\n", up.lines()));

            Object third = worker("w.3").get("pid");
            TendProcess.Result restart = tend("restart", "--rolling", "w.3", "w.4");
            assertEquals(0, restart.exitCode(), restart.toString());
            assertEquals("restarted w.3, w.4 one at a time; ready\n", restart.stdout());
            assertNotEquals(third, worker("w.3").get("pid"));
        }
    }

    @Test
    void shouldReloadOnSighup() throws Exception {
        try (TendProcess up = up("[pool.a]\ncommand = [\"cat\"]\n")) {
            up.awaitWorkerPid("a.1");
            Files.writeString(dir.resolve("tend.toml"), "[pool.a]\ncommand = [\"cat\"]\n[pool.b]\ncommand = [\"cat\"]\n");
            up.signal(Signal.HUP);
            up.awaitWorkerPid("b.1");
        }
    }

    @Test
    void shouldStopEverythingOnDown() throws Exception {
        try (TendProcess up = up("[pool.a]\ncommand = \"while read l; do :; done\"\n")) {
            long worker = up.awaitWorkerPid("a.1");
            TendProcess.Result down = tend("down");
            assertEquals(0, down.exitCode(), down.toString());
            assertEquals("stopped every worker\n", down.stdout());
            assertEquals(0, up.awaitExit());
            assertFalse(Processes.alive(worker));
            TendProcess.Result ps = tend("ps");
            assertEquals(3, ps.exitCode(), ps.toString());
            assertTrue(ps.stderr().contains("no running tend instance " + dir.getFileName()), ps.toString());
        }
    }

    @Test
    void shouldEndAFollowerCleanlyWhenTendStops() throws Exception {
        try (TendProcess up = up("[pool.a]\ncommand = \"echo hello; exec cat\"\n")) {
            up.awaitLine("output", l -> l.endsWith("| hello"));
            try (TendProcess follower = TendProcess.start(dir, "logs", "-f", "-n", "5")) {
                follower.awaitLine("subscribed", l -> l.endsWith("| hello"));
                assertEquals(0, tend("down").exitCode());
                assertEquals(0, follower.awaitExit(), follower.stdout() + follower.stderr());
                assertTrue(follower.stdout().contains("a.1 stopped (exit status 0)"), "followed to the end: "
                        + follower.stdout());
            }
        }
    }

    @Test
    void shouldRefuseSecondInstanceNamingTheRunningPid() throws Exception {
        try (TendProcess up = up("[pool.a]\ncommand = [\"cat\"]\n")) {
            TendProcess.Result second = tend("up");
            assertEquals(1, second.exitCode(), second.toString());
            assertTrue(second.stderr().contains("instance " + dir.getFileName() + " is already running (pid "
                    + up.pid() + ")"), second.toString());
            try (TendProcess other = TendProcess.start(dir, "up", "--name", "other-" + dir.getFileName())) {
                other.awaitWorkerPid("a.1");
                other.signal(Signal.TERM);
                assertEquals(0, other.awaitExit(), "another name is another instance: " + other.stdout());
            }
        }
    }

    @Test
    void shouldAnswerMalformedRequestsAndKeepServing() throws Exception {
        try (TendProcess up = up("[pool.a]\ncommand = [\"cat\"]\n")) {
            for (String bad : List.of("{not json\n", "[1,2]\n", "{\"op\": 7}\n", "{\"op\": \"dance\"}\n",
                    "{\"op\": \"stop\", \"targets\": \"a\"}\n")) {
                String reply = raw(bad);
                Map<String, Object> message = Json.parseObject(reply.trim());
                assertEquals(false, message.get("ok"), reply);
                assertEquals(2L, message.get("code"), reply);
            }
            assertEquals(0, tend("ps").exitCode());
        }
    }

    private String raw(String request) throws Exception {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket()));
            channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8)));
            return new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void shouldRefuseAnotherUser() throws Exception {
        Assumptions.assumeTrue(UserId.real() == 0, "needs root to run a client as another user");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "setpriv is not installed");
        Path python = Path.of("/usr/bin/python3");
        Assumptions.assumeTrue(Files.isExecutable(python), "python3 is not installed");
        try (TendProcess up = up("[pool.a]\ncommand = [\"cat\"]\n")) {
            long worker = up.awaitWorkerPid("a.1");
            Process p = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                    python.toString(), "-c", """
                    import socket, sys
                    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                    try:
                        s.connect(sys.argv[1])
                        s.sendall(b'{"op":"down"}\\n')
                        print(s.recv(4096).decode())
                    except PermissionError as e:
                        print("refused:", e)
                    """, socket().toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertTrue(out.startsWith("refused:") || out.contains("permission denied: uid 65534"), out);
            assertTrue(Processes.alive(worker), "tend was not disturbed");
            assertEquals(0, tend("ps").exitCode());
        }
    }

    @Test
    void shouldStartLazyWorkerOnceForConcurrentRequires() throws Exception {
        try (TendProcess up = up("""
                [lazy.cache]
                pattern = "cache-*"
                command = "echo starting {name}; exec cat"
                max = 1
                ready = "spawned"
                """)) {
            List<TendProcess> clients = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                clients.add(TendProcess.start(dir, "require", "cache-eu"));
            }
            for (TendProcess c : clients) {
                try (c) {
                    assertEquals(0, c.awaitExit(), c.stdout() + c.stderr());
                }
            }
            assertEquals(1, up.lines().stream().filter(l -> l.equals("cache-eu | starting cache-eu")).count(),
                    "started once: " + up.stdout());
            assertEquals(1L, worker("cache-eu").get("attempts"));
            TendProcess.Result capped = tend("require", "cache-us");
            assertEquals(1, capped.exitCode(), capped.toString());
            assertTrue(capped.stderr().contains("cannot start cache-us: lazy.cache already runs 1 workers, its max"),
                    capped.toString());
            assertEquals(3, tend("require", "db").exitCode());
        }
    }

    @Test
    void shouldFailFastWithReportAndTimeOutWithExitFour() throws Exception {
        try (TendProcess up = up("""
                [lazy.broken]
                pattern = "broken-*"
                command = "echo cannot reach the database >&2; exit 9"
                ready = "publish"
                [pool.mute]
                command = ["cat"]
                ready = "publish"
                """)) {
            TendProcess.Result broken = tend("require", "broken-1", "--timeout", "60s");
            assertEquals(1, broken.exitCode(), broken.toString());
            String err = broken.stderr();
            assertTrue(err.contains("broken-1 ended before it was ready (now backoff)"), err);
            assertTrue(err.contains("command:   echo cannot reach the database >&2; exit 9"), err);
            assertTrue(err.contains("last exit: exit status 9"), err);
            assertTrue(err.contains("attempts:  1"), err);
            assertTrue(err.contains("    cannot reach the database"), err);
            TendProcess.Result slow = tend("require", "mute", "--timeout", "500ms");
            assertEquals(4, slow.exitCode(), slow.toString());
            assertTrue(slow.stderr().contains("mute.1 not ready after 500ms (state starting)"), slow.toString());
        }
    }

    @Test
    void shouldRequireFromJavaApi() throws Exception {
        try (TendProcess up = up("""
                [lazy.svc]
                pattern = "svc-*"
                command = ["cat"]
                [lazy.bad]
                pattern = "bad-*"
                command = "echo nope >&2; exit 3"
                ready = "publish"
                """)) {
            Require.require(socket(), Duration.ofSeconds(10), "svc-a");
            assertEquals("running", worker("svc-a").get("state"));
            Require.RequireException e = assertThrows(Require.RequireException.class,
                    () -> Require.require(socket(), Duration.ofSeconds(10), "bad-a"));
            assertEquals(ExitCode.FAILURE, e.exitCode());
            assertEquals("bad-a", e.failures().get(0).worker());
            assertEquals(List.of("nope"), e.failures().get(0).stderr());
            assertTrue(ControlClient.request(socket(), Map.of("op", "ps"), m -> { }).get("ok").equals(true));
        }
    }

    @Test
    void shouldTellWhenNoInstanceRuns() throws Exception {
        Files.writeString(dir.resolve("tend.toml"), "[pool.a]\ncommand = [\"cat\"]\n");
        for (String[] args : List.of(new String[] {"ps"}, new String[] {"stop", "a"}, new String[] {"down"},
                new String[] {"require", "a"}, new String[] {"logs"})) {
            TendProcess.Result r = tend(args);
            assertEquals(3, r.exitCode(), String.join(" ", args) + ": " + r);
            assertTrue(r.stderr().contains("no running tend instance"), r.toString());
        }
        Path elsewhere = Files.createDirectory(dir.resolve("empty"));
        TendProcess.Result noConfig = TendProcess.run(elsewhere, "ps");
        assertEquals(2, noConfig.exitCode(), noConfig.toString());
        assertTrue(noConfig.stderr().contains("pass -c FILE or --name NAME"), noConfig.toString());
    }
}
