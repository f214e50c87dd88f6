package dev.tend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.client.ControlClient;
import dev.tend.control.ControlServer;
import dev.tend.json.Json;
import dev.tend.os.Signal;
import dev.tend.protocol.ExitCode;
import dev.tend.testing.Await;
import dev.tend.testing.Processes;
import dev.tend.testing.TendProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control plane stays reachable whatever clients do, against a real {@code tend up}: final replies are
 * delivered before tend exits, clients give up on a tend that does not answer, idle connections cannot lock
 * others out.
 */
class ControlPlaneTest {
    @TempDir
    Path dir;

    private Path socket() {
        return TendProcess.instanceDirectory(dir).resolve("control.sock");
    }

    private static SocketChannel connect(Path socket) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        return channel;
    }

    private static void send(SocketChannel channel, String line) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /** Everything the server sent until it closed the connection, as lines (blocking; tend is gone or answers). */
    private static List<String> readToEnd(SocketChannel channel) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        while (channel.read(buffer) >= 0) {
            all.write(buffer.array(), 0, buffer.position());
            buffer.clear();
        }
        return all.toString(StandardCharsets.UTF_8).lines().toList();
    }

    // ---- item 13: the final reply of `tend down` is written before tend exits ----

    @Test
    void downShouldDeliverItsWholeFinalReplyBeforeTendExits() throws Exception {
        // 1000 workers with long names make a reply of over 300 KB: more than a Unix socket takes before its
        // reader reads (its send buffer, 212992 bytes by default, plus one message), so part of it is still
        // queued in tend when the last worker ends. The request comes once every worker exists (tend printed
        // "starting"), without waiting for them to run: the reply lists them all either way.
        String pool = "p".repeat(48);
        try (TendProcess up = TendProcess.up(dir, "[pool." + pool + "]\ncommand = [\"cat\"]\ncount = 1000\n");
             SocketChannel client = connect(socket())) {
            send(client, "{\"op\":\"down\"}");
            // Read nothing until every worker has stopped, when tend used to exit at once: what it had not
            // written by then was lost. Now it waits for the client to take the rest.
            Await.until(TendProcess.WAIT, "every worker to stop, or tend to exit", () -> !Processes.alive(up.pid())
                    || up.lines().stream().filter(l -> l.contains(" stopped (")).count() == 1000);
            List<String> lines = readToEnd(client);
            assertEquals(0, up.awaitExit(), up.stderr());
            assertEquals(1, lines.size(), "one final message");
            Map<String, Object> reply = Json.parseObject(lines.get(0));
            assertEquals(true, reply.get("ok"), lines.get(0).substring(0, Math.min(300, lines.get(0).length())));
            assertEquals(1000, ((List<?>) reply.get("workers")).size());
            assertTrue(lines.get(0).length() > 212_992, "the reply is larger than a socket's send buffer");
        }
    }

    @Test
    void tendDownShouldExitZeroWithManyWorkers() throws Exception {
        for (int round = 0; round < 3; round++) {
            try (TendProcess up = TendProcess.up(dir, "[pool.w]\ncommand = [\"cat\"]\ncount = 300\n")) {
                up.awaitWorkerPid("w.300");
                TendProcess.Result down = TendProcess.run(dir, "down");
                assertEquals(0, down.exitCode(), "round " + round + ": " + down);
                assertTrue(down.stdout().contains("stopped every worker"), down.toString());
                assertEquals(0, up.awaitExit());
            }
        }
    }

    // ---- item 15: idle connections cannot lock others out; an over-long request gets its reply ----

    @Test
    void idleConnectionsShouldNotLockOtherClientsOut() throws Exception {
        List<SocketChannel> idle = new ArrayList<>();
        try (TendProcess up = TendProcess.up(dir, "[pool.w]\ncommand = [\"cat\"]\n")) {
            up.awaitWorkerPid("w.1");
            for (int i = 0; i < ControlServer.MAX_CONNECTIONS + 10; i++) {
                idle.add(connect(socket()));
            }
            long started = System.nanoTime();
            TendProcess.Result ps = TendProcess.run(dir, "ps");
            assertEquals(0, ps.exitCode(), ps.toString());
            assertTrue(ps.stdout().contains("w.1"), ps.toString());
            assertTrue(System.nanoTime() - started < ControlServer.REQUEST_TIMEOUT.toNanos(),
                    "answered before idle connections time out");
        } finally {
            for (SocketChannel channel : idle) {
                channel.close();
            }
        }
    }

    @Test
    void aRequestOver64KiBShouldGetItsErrorReplyNotAReset() throws Exception {
        try (TendProcess up = TendProcess.up(dir, "[pool.w]\ncommand = [\"cat\"]\n")) {
            up.awaitWorkerPid("w.1");
            for (int size : new int[] {70 * 1024, 1024 * 1024}) {
                try (SocketChannel client = connect(socket())) {
                    // A client that writes its whole request before reading, as the documented Python one does.
                    send(client, "{\"op\":\"ps\",\"pad\":\"" + "x".repeat(size) + "\"}");
                    assertEquals(List.of("{\"ok\":false,\"error\":\"request larger than 64 KiB\",\"code\":2}"),
                            readToEnd(client), size + " bytes");
                }
            }
            assertEquals(0, TendProcess.run(dir, "ps").exitCode());
        }
    }

    // ---- item 14: clients give up on a tend that does not answer ----

    @Test
    void clientsShouldGiveUpOnAStoppedTendWithAClearMessage() throws Exception {
        try (TendProcess up = TendProcess.up(dir, "[pool.w]\ncommand = [\"cat\"]\n")) {
            up.awaitWorkerPid("w.1");
            up.signal(Signal.STOP);
            try {
                long started = System.nanoTime();
                TendProcess.Result ps = TendProcess.run(dir, "ps", "--timeout", "1s");
                assertEquals(ExitCode.TIMEOUT.code(), ps.exitCode(), ps.toString());
                assertTrue(ps.stderr().contains("tend (pid " + up.pid() + ") is not answering"), ps.toString());
                assertTrue(ps.stderr().contains("kill -CONT " + up.pid()), ps.toString());
                TendProcess.Result again = TendProcess.run(dir, Map.of("TEND_TIMEOUT", "500ms"), "ps", "--json");
                assertEquals(ExitCode.TIMEOUT.code(), again.exitCode(), again.toString());
                assertTrue(again.stderr().contains("nothing came back within 500ms"), again.toString());
                assertTrue(System.nanoTime() - started < TendProcess.WAIT.toNanos(), "both gave up in time");
            } finally {
                up.signal(Signal.CONT);
            }
            assertEquals(0, TendProcess.run(dir, "ps", "--timeout", "5s").exitCode(), "answers again once resumed");
        }
    }

    @Test
    void aBusyTendShouldNotTimeOutAClientThatWaitsLongerThanItsTimeout() throws Exception {
        // The worker ignores end of input, so stopping it takes its whole grace: longer than --timeout.
        try (TendProcess up = TendProcess.up(dir, """
                [pool.w]
                command = "trap '' TERM; while :; do sleep 0.1; done"
                grace = "2s"
                """)) {
            up.awaitWorkerPid("w.1");
            TendProcess.Result stop = TendProcess.run(dir, "stop", "w.1", "--timeout", "500ms");
            assertEquals(0, stop.exitCode(), stop.toString());
            assertEquals("stopped w.1\n", stop.stdout());
        }
    }

    @Test
    void aBadTendTimeoutShouldBeAUsageError() throws Exception {
        try (TendProcess up = TendProcess.up(dir, "[pool.w]\ncommand = [\"cat\"]\n")) {
            TendProcess.Result ps = TendProcess.run(dir, Map.of("TEND_TIMEOUT", "soon"), "ps");
            assertEquals(ExitCode.USAGE.code(), ps.exitCode(), ps.toString());
            assertTrue(ps.stderr().contains("TEND_TIMEOUT=soon: bad duration"), ps.toString());
        }
    }

    // ---- fuzz: random and hostile request lines over the real socket; tend keeps answering ----

    @Test
    void randomAndHostileRequestsShouldNeverStopTendFromAnswering() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        List<byte[]> cases = new ArrayList<>();
        for (String line : List.of("{", "}", "[", "{\"op\":", "nul", "\"", "{\"op\":\"ps\"}}", "{\"op\":\"ps\",}", "{'op':'ps'}",
                "{\"op\":\"stop\",\"targets\":\"all\"}", "{\"op\":\"stop\",\"targets\":[1,2]}",
                "{\"op\":\"scale\",\"pool\":1,\"count\":[]}", "{\"op\":\"scale\",\"pool\":\"w\",\"count\":-99999999999}",
                "{\"op\":\"scale\",\"pool\":\"w\",\"count\":\"99999999999%\"}", "{\"op\":\"logs\",\"lines\":\"x\"}",
                "{\"op\":\"logs\",\"lines\":99999999999999999999}", "{\"op\":\"logs\",\"lines\":-1,\"targets\":[\"nope\"]}",
                "{\"op\":\"require\",\"names\":[1],\"timeout_ms\":-5}", "{\"op\":\"require\",\"names\":[],\"timeout_ms\":1.5}",
                "{\"op\":\"ps\",\"heartbeat_ms\":\"x\"}", "{\"op\":\"ps\",\"heartbeat_ms\":-1}",
                "{\"op\":\"ps\",\"heartbeat_ms\":9223372036854775807}", "{\"op\":{\"a\":1}}", "{\"op\":\"dance\"}",
                "{\"op\":\"\"}", "{\"op\":\"ps\u0000\"}", "{\"op\":\"\\ud800\"}", "\ufeff{\"op\":\"ps\"}",
                "[".repeat(30_000) + "]".repeat(30_000), "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000),
                "{\"op\":\"ps\",\"pad\":\"" + "x".repeat(70 * 1024) + "\"}", "x".repeat(200 * 1024))) {
            cases.add(line.getBytes(StandardCharsets.UTF_8));
        }
        String[] ops = {"ps", "logs", "dance", "stop", "scale", "require", "start", "restart"};
        for (int i = 0; i < 40; i++) {
            byte[] bytes;
            switch (i % 4) {
                case 0 -> {
                    bytes = new byte[random.nextInt(300)];
                    random.nextBytes(bytes);
                }
                case 1 -> {
                    // A request with a member of a random type: refused before anything happens (no valid stop).
                    String op = ops[random.nextInt(ops.length)];
                    String member = List.of("targets", "pool", "count", "names", "lines", "wait", "follow", "timeout_ms")
                            .get(random.nextInt(8));
                    String value = List.of("null", "true", "\"x\"", "-1", "1e309", "{}", "[null]", "\"\\u0000\"")
                            .get(random.nextInt(8));
                    bytes = ("{\"op\":\"" + op + "\",\"" + member + "\":" + value + "}").getBytes(StandardCharsets.UTF_8);
                }
                case 2 -> {
                    byte[] valid = "{\"op\":\"logs\",\"lines\":3,\"targets\":[\"w\"]}".getBytes(StandardCharsets.UTF_8);
                    bytes = valid.clone();
                    for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                    }
                }
                default -> {
                    byte[] valid = "{\"op\":\"ps\"}".getBytes(StandardCharsets.UTF_8);
                    bytes = Arrays.copyOf(valid, random.nextInt(valid.length));
                }
            }
            cases.add(bytes);
        }
        try (TendProcess up = TendProcess.up(dir, "[pool.w]\ncommand = [\"cat\"]\ncount = 2\n")) {
            up.awaitWorkerPid("w.2");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            for (int i = 0; i < cases.size(); i++) {
                byte[] request = cases.get(i);
                String what = "case " + i + " (seed " + seed + "): " + printable(request);
                try (SocketChannel client = connect(socket())) {
                    try {
                        ByteBuffer bytes = ByteBuffer.wrap(request);
                        while (bytes.hasRemaining()) {
                            client.write(bytes);
                        }
                        if (i % 3 != 2) {
                            // Partial lines end here: the server takes what came before the shutdown as the request.
                            client.shutdownOutput();
                        }
                    } catch (IOException e) {
                        // The server answered early and stopped reading (a line too long): fine.
                    }
                    if (i % 3 == 0) {
                        List<String> reply = readWithin(client, Duration.ofSeconds(5), what);
                        assertTrue(reply.isEmpty() || reply.get(reply.size() - 1).contains("\"ok\""), what + ": " + reply);
                    }
                }
                Map<String, Object> ps = ControlClient.request(socket(), Map.of("op", "ps"), e -> { }, Duration.ofSeconds(10));
                assertEquals(true, ps.get("ok"), what);
                assertEquals(2, ((List<?>) ps.get("workers")).size(), what);
                assertTrue(System.nanoTime() < deadline, "bounded in time");
            }
            assertTrue(Processes.alive(up.pid()), "tend is still up");
            assertEquals(0, TendProcess.run(dir, "ps").exitCode());
        }
    }

    private static String printable(byte[] bytes) {
        String text = new String(bytes, 0, Math.min(bytes.length, 80), StandardCharsets.ISO_8859_1);
        return text.replaceAll("[^\\x20-\\x7e]", "?") + (bytes.length > 80 ? "… (" + bytes.length + " bytes)" : "");
    }

    /** The lines the server sends until it closes, waiting at most {@code timeout}. */
    private static List<String> readWithin(SocketChannel channel, Duration timeout, String what) throws IOException {
        channel.configureBlocking(false);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Selector selector = Selector.open()) {
            channel.register(selector, SelectionKey.OP_READ);
            while (true) {
                int n;
                try {
                    n = channel.read(buffer);
                } catch (IOException e) {
                    break;
                }
                if (n < 0) {
                    break;
                }
                all.write(buffer.array(), 0, buffer.position());
                buffer.clear();
                if (n == 0) {
                    long left = deadline - System.nanoTime();
                    assertTrue(left > 0, what + ": the server neither answered nor closed within " + timeout);
                    selector.select(Math.max(1, left / 1_000_000));
                    selector.selectedKeys().clear();
                }
            }
        }
        return all.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
