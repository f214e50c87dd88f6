package dev.tend.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.client.ConnectionLostException;
import dev.tend.client.ControlClient;
import dev.tend.client.NotRunningException;
import dev.tend.json.Json;
import dev.tend.os.CurrentProcess;
import dev.tend.os.Fds;
import dev.tend.os.Reactor;
import dev.tend.os.UnixStreamSocket;
import dev.tend.protocol.ExitCode;
import dev.tend.testing.Await;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control server on a real Unix socket, driven by a reactor on a background thread, with
 * {@link ControlClient} and raw JDK socket channels (and, for the uid check, a process of another user).
 */
class ControlServerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String OK_ECHO = "{\"ok\":true,\"request\":{\"op\":\"echo\"}}";

    @TempDir
    Path dir;

    private Reactor reactor;
    private Thread loop;
    private ControlServer server;
    private Path socket;
    private final List<Throwable> loopErrors = new CopyOnWriteArrayList<>();
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> closes = new ConcurrentHashMap<>();
    private final AtomicReference<Reply> held = new AtomicReference<>();
    private final AtomicReference<Map<String, Object>> stallRequest = new AtomicReference<>();
    private final AtomicBoolean followSawClose = new AtomicBoolean();

    @BeforeEach
    void startLoop() {
        reactor = new Reactor(loopErrors::add);
        loop = new Thread(reactor::run, "control-test-loop");
        loop.setDaemon(true);
        loop.start();
    }

    @AfterEach
    void stopLoop() throws Exception {
        if (server != null) {
            onLoop(() -> {
                server.close();
                return null;
            });
        }
        reactor.stop();
        loop.join(WAIT.toMillis());
        assertFalse(loop.isAlive(), "the loop thread ended");
        reactor.close();
        assertEquals(List.of(), loopErrors, "nothing escaped to the reactor's error handler");
    }

    private <T> T onLoop(Callable<T> action) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        reactor.execute(() -> {
            try {
                result.complete(action.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return result.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private void startServer() throws Exception {
        startServer(ControlServer.REQUEST_TIMEOUT, ControlServer.MAX_CONNECTIONS);
    }

    private void startServer(Duration requestTimeout, int maxConnections) throws Exception {
        socket = dir.resolve("control.sock");
        server = onLoop(() -> new ControlServer(reactor, socket, this::handle, warnings::add, requestTimeout,
                maxConnections));
    }

    private int count(Map<String, AtomicInteger> counters, String op) {
        AtomicInteger n = counters.get(op);
        return n == null ? 0 : n.get();
    }

    /** The test's operations; each shows one way a real handler answers. */
    private void handle(Map<String, Object> request, Reply reply) {
        String op = (String) request.get("op");
        handled.computeIfAbsent(op, k -> new AtomicInteger()).incrementAndGet();
        reply.onClose(() -> closes.computeIfAbsent(op, k -> new AtomicInteger()).incrementAndGet());
        switch (op) {
            case "echo" -> reply.end(ordered("ok", true, "request", request));
            case "stream" -> {
                long n = (Long) request.get("count");
                for (long i = 0; i < n; i++) {
                    reply.send(Map.of("event", "tick", "i", i));
                }
                reply.end(Map.of("ok", true));
            }
            case "later" -> reactor.schedule(50, TimeUnit.MILLISECONDS, () -> reply.end(ordered("ok", true, "when", "later")));
            case "throw" -> throw new IllegalStateException("boom");
            case "bad-end" -> reply.end(Map.of("ok", true, "value", new Object()));
            case "stall" -> {
                stallRequest.set(request);
                held.set(reply);
            }
            case "follow" -> follow(reply, 0);
            case "hog" -> {
                // 4 MiB queued for a client that reads nothing: more than the socket buffers hold, less
                // than the limit, so the connection stays open with output pending.
                String chunk = "x".repeat(64 * 1024);
                for (int i = 0; i < 64; i++) {
                    reply.send(Map.of("event", "chunk", "data", chunk));
                }
                held.set(reply);
            }
            default -> reply.fail(ExitCode.NOT_FOUND, "no such op: " + op);
        }
    }

    private void follow(Reply reply, long i) {
        if (!reply.open()) {
            followSawClose.set(true);
            return;
        }
        reply.send(ordered("event", "line", "i", i));
        reactor.schedule(5, TimeUnit.MILLISECONDS, () -> follow(reply, i + 1));
    }

    /** A message whose keys are written in the order given (Map.of has none). */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private Map<String, Object> request(Map<String, ?> request) throws IOException {
        return ControlClient.request(socket, request, e -> {
            throw new AssertionError("unexpected event " + e);
        }, WAIT);
    }

    @Test
    void shouldAnswerARequest() throws Exception {
        startServer();
        Map<String, Object> reply = request(Map.of("op", "echo"));
        assertEquals(Map.of("ok", true, "request", Map.of("op", "echo")), reply);
        Await.until(WAIT, "the close action", () -> count(closes, "echo") == 1);
    }

    @Test
    void shouldPassEventsBeforeTheFinalMessage() throws Exception {
        startServer();
        List<Map<String, Object>> events = new ArrayList<>();
        Map<String, Object> last = ControlClient.request(socket, Map.of("op", "stream", "count", 3), events::add, WAIT);
        assertEquals(List.of(Map.of("event", "tick", "i", 0L), Map.of("event", "tick", "i", 1L),
                Map.of("event", "tick", "i", 2L)), events);
        assertEquals(Map.of("ok", true), last);
    }

    @Test
    void shouldDeliverAnAnswerGivenLaterFromATimer() throws Exception {
        startServer();
        assertEquals(Map.of("ok", true, "when", "later"), request(Map.of("op", "later")));
    }

    @Test
    void shouldAnswerMalformedRequestsWithCode2AndKeepServing() throws Exception {
        startServer();
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("{\"op\":", "malformed request: invalid JSON at character 7: unexpected end of input");
        cases.put("{op:1}", "malformed request: invalid JSON at character 2: expected a string key");
        cases.put("[1,2]", "malformed request: expected a JSON object, got array");
        cases.put("\"op\"", "malformed request: expected a JSON object, got string");
        cases.put("{\"x\":1}", "malformed request: missing \"op\"");
        cases.put("{\"op\":7}", "malformed request: \"op\" must be a string, not number");
        cases.put("{\"op\":null}", "malformed request: \"op\" must be a string, not null");
        cases.put("", "malformed request: invalid JSON at character 1: unexpected end of input");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            try (RawClient client = new RawClient(socket)) {
                client.write(c.getKey() + "\n");
                assertEquals("{\"ok\":false,\"error\":\"" + c.getValue().replace("\"", "\\\"") + "\",\"code\":2}",
                        client.readLine(), "reply to " + c.getKey());
                client.awaitEndOfStream();
            }
        }
        try (RawClient client = new RawClient(socket)) {
            client.write(new byte[] {'{', '"', 'o', 'p', '"', ':', '"', (byte) 0xff, '"', '}', '\n'});
            assertEquals("{\"ok\":false,\"error\":\"malformed request: not valid UTF-8\",\"code\":2}", client.readLine());
        }
        assertEquals(Map.of(), handled, "the handler saw none of them");
        assertEquals(Map.of("ok", true, "request", Map.of("op", "echo")), request(Map.of("op", "echo")));
    }

    @Test
    void shouldRefuseARequestLineLongerThan64KiBAndKeepServing() throws Exception {
        startServer();
        try (RawClient client = new RawClient(socket)) {
            client.write("{\"op\":\"echo\",\"pad\":\"" + "x".repeat(70 * 1024) + "\"}\n");
            assertEquals("{\"ok\":false,\"error\":\"request larger than 64 KiB\",\"code\":2}", client.readLine());
            client.awaitEndOfStream();
        }
        // Without any newline too: the server must not wait for one.
        try (RawClient client = new RawClient(socket)) {
            client.write("x".repeat(70 * 1024));
            assertEquals("{\"ok\":false,\"error\":\"request larger than 64 KiB\",\"code\":2}", client.readLine());
        }
        assertEquals(0, count(handled, "echo"));
        assertEquals(Map.of("ok", true, "request", Map.of("op", "echo")), request(Map.of("op", "echo")));
    }

    @Test
    void shouldAcceptARequestOfExactly64KiBButNotOneByteMore() throws Exception {
        startServer();
        // {"op":"echo","pad":"…"} is 22 bytes plus the padding; the newline is not counted.
        String pad = "y".repeat(ControlServer.MAX_REQUEST_BYTES - 22);
        assertEquals(ControlServer.MAX_REQUEST_BYTES, Json.write(Map.of("op", "echo", "pad", pad)).length());
        // Without a timeout, the client adds no heartbeat_ms member: the line is exactly what is counted.
        Map<String, Object> fits = ControlClient.request(socket, new LinkedHashMap<>(Map.of("op", "echo", "pad", pad)),
                e -> { });
        assertEquals(true, fits.get("ok"));

        Map<String, Object> tooLong = ControlClient.request(socket, Map.of("op", "echo", "pad", pad + "y"), e -> { });
        assertEquals(Map.of("ok", false, "error", "request larger than 64 KiB", "code", 2L), tooLong);
    }

    @Test
    void shouldIgnoreEverythingAfterTheFirstLine() throws Exception {
        startServer();
        try (RawClient client = new RawClient(socket)) {
            client.write("{\"op\":\"echo\"}\n{\"op\":\"throw\"}\nnot json at all");
            assertEquals(OK_ECHO, client.readLine());
            client.awaitEndOfStream();
        }
        assertEquals(0, count(handled, "throw"));
    }

    @Test
    void shouldTakeWhatWasSentBeforeTheClientShutDownItsSideAsTheRequest() throws Exception {
        startServer();
        try (RawClient client = new RawClient(socket)) {
            client.write("{\"op\":\"echo\"}");
            client.channel.shutdownOutput();
            assertEquals(OK_ECHO, client.readLine());
            client.awaitEndOfStream();
        }
        // What socat does: a whole line, then the shutdown. A half-closed client still gets a later answer.
        try (RawClient client = new RawClient(socket)) {
            client.write("{\"op\":\"later\"}\n");
            client.channel.shutdownOutput();
            assertEquals("{\"ok\":true,\"when\":\"later\"}", client.readLine());
            client.awaitEndOfStream();
        }
        Await.until(WAIT, "the close action", () -> count(closes, "later") == 1);
    }

    @Test
    void shouldAnswerAFailingHandlerWithAnInternalErrorAndKeepServing() throws Exception {
        startServer();
        assertEquals(Map.of("ok", false, "error", "internal error: java.lang.IllegalStateException: boom", "code", 1L),
                request(Map.of("op", "throw")));
        assertTrue(warnings.stream().anyMatch(w -> w.contains("\"throw\"") && w.contains("boom")), warnings.toString());

        Map<String, Object> badEnd = request(Map.of("op", "bad-end"));
        assertEquals(false, badEnd.get("ok"));
        assertEquals("internal error: java.lang.IllegalArgumentException: cannot write java.lang.Object as JSON",
                badEnd.get("error"));

        assertEquals(Map.of("ok", true, "request", Map.of("op", "echo")), request(Map.of("op", "echo")));
    }

    @Test
    void shouldDisconnectAClientThatSendsNoCompleteLineInTime() throws Exception {
        startServer(Duration.ofMillis(200), ControlServer.MAX_CONNECTIONS);
        for (String partial : List.of("", "{\"op\":\"echo\"")) {
            try (RawClient client = new RawClient(socket)) {
                long start = System.nanoTime();
                client.write(partial);
                assertEquals("{\"ok\":false,\"error\":\"no request line received within 200 ms\",\"code\":2}",
                        client.readLine());
                client.awaitEndOfStream();
                long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
                assertTrue(elapsedMillis >= 150, "disconnected by the timeout, not at once: " + elapsedMillis + " ms");
            }
        }
        assertEquals(0, count(handled, "echo"));
        assertEquals(0, (int) onLoop(server::connectionCount));
    }

    @Test
    void shouldDropAClientThatStopsReadingWithoutHoldingUpOthers() throws Exception {
        startServer();
        try (RawClient hog = new RawClient(socket)) {
            hog.write("{\"op\":\"hog\"}\n");
            Reply reply = Await.value(WAIT, "the hog request", held::get);
            assertTrue(onLoop(reply::open), "4 MiB pending is under the limit");

            // The loop must still serve everyone else while 4 MiB wait for a client that reads nothing.
            assertEquals(Map.of("ok", true, "request", Map.of("op", "echo")), request(Map.of("op", "echo")));
            assertEquals(0, count(closes, "hog"));

            String chunk = "z".repeat(64 * 1024);
            onLoop(() -> {
                for (int i = 0; i < 80 && reply.open(); i++) {
                    reply.send(Map.of("event", "chunk", "data", chunk));
                }
                return null;
            });
            assertFalse(onLoop(reply::open), "dropped once more than 8 MiB were pending");
            Await.until(WAIT, "the close action", () -> count(closes, "hog") == 1);
            assertTrue(warnings.stream().anyMatch(w -> w.contains("is not reading its replies")
                    && w.contains("more than 8 MiB pending")), warnings.toString());
            // What the kernel had already taken is still delivered, then the stream ends.
            hog.awaitEndOfStream();
        }
        assertEquals(Map.of("ok", true, "request", Map.of("op", "echo")), request(Map.of("op", "echo")));
    }

    @Test
    void shouldRunCloseActionsOnceWhenAStreamingClientGoesAway() throws Exception {
        startServer();
        try (RawClient client = new RawClient(socket)) {
            client.write("{\"op\":\"follow\"}\n");
            for (int i = 0; i < 3; i++) {
                assertEquals("{\"event\":\"line\",\"i\":" + i + "}", client.readLine());
            }
        }
        Await.until(WAIT, "the close action", () -> count(closes, "follow") == 1);
        Await.until(WAIT, "the stream to notice", followSawClose::get);
        onLoop(() -> null);
        assertEquals(1, count(closes, "follow"));
        assertEquals(0, (int) onLoop(server::connectionCount));
    }

    @Test
    void shouldCreateTheSocketFileWithMode0600() throws Exception {
        startServer();
        int mode = (Integer) Files.getAttribute(socket, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        assertEquals(0140000, mode & 0170000, "a socket");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
    }

    @Test
    void shouldCloseConnectionsAndRemoveTheSocketFileOnClose() throws Exception {
        startServer();
        CompletableFuture<Map<String, Object>> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return ControlClient.request(socket, Map.of("op", "stall"), e -> { }, WAIT);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        Await.value(WAIT, "the stalled request", held::get);

        onLoop(() -> {
            server.close();
            return null;
        });
        ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertTrue(e.getCause().getCause() instanceof ConnectionLostException, String.valueOf(e.getCause()));
        assertEquals("tend closed the control connection at " + socket + " without a final reply",
                e.getCause().getCause().getMessage());
        assertEquals(1, count(closes, "stall"));
        assertFalse(Files.exists(socket, LinkOption.NOFOLLOW_LINKS), "socket file removed");
        assertThrows(NotRunningException.class, () -> request(Map.of("op", "echo")));
    }

    @Test
    void shouldReportNotRunningWhenTheSocketFileIsMissing() {
        Path missing = dir.resolve("nothing-here.sock");
        NotRunningException e = assertThrows(NotRunningException.class,
                () -> ControlClient.request(missing, Map.of("op", "echo"), m -> { }));
        assertEquals("tend is not running: no control socket at " + missing, e.getMessage());
        assertEquals(missing, e.socketPath());
    }

    @Test
    void shouldReportNotRunningForAStaleSocketFile() {
        Path stale = dir.resolve("stale.sock");
        // A tend that was killed: its socket file stays, nobody listens on it.
        Fds.close(UnixStreamSocket.listen(stale, 4));
        assertTrue(Files.exists(stale));
        NotRunningException e = assertThrows(NotRunningException.class,
                () -> ControlClient.request(stale, Map.of("op", "echo"), m -> { }));
        assertEquals("tend is not running: nothing listens on " + stale
                + " (a stale socket file left by a tend that was killed?)", e.getMessage());
    }

    @Test
    void shouldTimeOutWhenNothingAnswers() throws Exception {
        // A socket that takes connections into its queue and never accepts them: a tend that is stopped.
        socket = dir.resolve("silent.sock");
        try (ServerSocketChannel silent = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            silent.bind(UnixDomainSocketAddress.of(socket));
            SocketTimeoutException e = assertThrows(SocketTimeoutException.class,
                    () -> ControlClient.request(socket, Map.of("op", "ps"), m -> { }, Duration.ofMillis(200)));
            assertEquals("tend at " + socket + " took longer than 200 ms to reply", e.getMessage());
        }
    }

    @Test
    void shouldKeepWaitingPastTheTimeoutWhileTheServerSendsHeartbeats() throws Exception {
        startServer();
        List<Map<String, Object>> events = new CopyOnWriteArrayList<>();
        CompletableFuture<Map<String, Object>> answer = CompletableFuture.supplyAsync(() -> {
            try {
                return ControlClient.request(socket, Map.of("op", "stall"), events::add, Duration.ofMillis(400));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        Reply reply = Await.value(WAIT, "the stalled request", held::get);
        // Three timeouts' worth of silence from the handler; the heartbeats show the server is alive.
        long until = System.nanoTime() + Duration.ofMillis(1200).toNanos();
        Await.until(WAIT, "1.2 s to pass", () -> System.nanoTime() - until > 0);
        assertFalse(answer.isDone(), "still waiting: " + (answer.isDone() ? answer.join() : ""));
        reactor.execute(() -> reply.end(Map.of("ok", true)));
        assertEquals(Map.of("ok", true), answer.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertEquals(List.of(), events, "heartbeats are not passed on as events");
        assertEquals(Map.of("op", "stall"), stallRequest.get(), "nor shown to the handler");
    }

    @Test
    void shouldStopWaitingWhenInterrupted() throws Exception {
        startServer();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread caller = new Thread(() -> {
            try {
                ControlClient.request(socket, Map.of("op", "stall"), m -> { });
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
        caller.start();
        Await.value(WAIT, "the stalled request", held::get);
        caller.interrupt();
        Throwable thrown = outcome.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertTrue(thrown instanceof InterruptedIOException, String.valueOf(thrown));
        Await.until(WAIT, "the server to see the client go", () -> count(closes, "stall") == 1);
    }

    @Test
    void shouldRefuseConnectionsBeyondTheLimitWhenEveryOneHasARequestInHand() throws Exception {
        startServer(ControlServer.REQUEST_TIMEOUT, 2);
        try (RawClient first = new RawClient(socket); RawClient second = new RawClient(socket)) {
            first.write("{\"op\":\"follow\"}\n");
            second.write("{\"op\":\"follow\"}\n");
            first.readLine();
            second.readLine();
            try (RawClient third = new RawClient(socket)) {
                assertEquals("{\"ok\":false,\"error\":\"too many control connections (at most 2 at once)\",\"code\":1}",
                        third.readLine());
                third.awaitEndOfStream();
            }
        }
        Await.until(WAIT, "connections to close", () -> callQuietly(server::connectionCount) == 0);
        assertEquals(Map.of("ok", true, "request", Map.of("op", "echo")), request(Map.of("op", "echo")));
    }

    @Test
    void shouldCloseTheOldestIdleConnectionToLetANewOneIn() throws Exception {
        startServer(ControlServer.REQUEST_TIMEOUT, 2);
        try (RawClient first = new RawClient(socket); RawClient second = new RawClient(socket)) {
            Await.until(WAIT, "two connections", () -> callQuietly(server::connectionCount) == 2);
            assertEquals(Map.of("ok", true, "request", Map.of("op", "echo")), request(Map.of("op", "echo")));
            assertEquals("{\"ok\":false,\"error\":\"no request line received before another client needed the "
                    + "connection (at most 2 at once)\",\"code\":2}", first.readLine());
            first.awaitEndOfStream();
            second.write("{\"op\":\"echo\"}\n");
            assertEquals(OK_ECHO, second.readLine(), "the younger idle connection was left alone");
        }
    }

    private <T> T callQuietly(Callable<T> action) {
        try {
            return onLoop(action);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void shouldCloseEveryDescriptorWhateverTheClientsDo() throws Exception {
        startServer(Duration.ofMillis(200), ControlServer.MAX_CONNECTIONS);
        List<String> before = socketDescriptors();
        for (int round = 0; round < 5; round++) {
            request(Map.of("op", "echo"));
            request(Map.of("op", "throw"));
            ControlClient.request(socket, Map.of("op", "stream", "count", 5), e -> { }, WAIT);
            try (RawClient client = new RawClient(socket)) {
                client.write("{nope}\n");
                client.readLine();
            }
            try (RawClient client = new RawClient(socket)) {
                client.write("{\"op\":\"follow\"}\n");
                client.readLine();
            }
            new RawClient(socket).close();
            try (RawClient idle = new RawClient(socket)) {
                idle.readLine();
            }
        }
        Await.until(WAIT, "socket descriptors back to " + before, () -> socketDescriptors().equals(before));
        assertEquals(0, (int) onLoop(server::connectionCount));
    }

    /** The socket descriptors this process holds, as "fd -> socket:[inode]". */
    private static List<String> socketDescriptors() {
        List<String> sockets = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:")) {
                        sockets.add(fd.getFileName() + " -> " + target);
                    }
                } catch (IOException e) {
                    // Closed while listing (the directory's own fd, for one).
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        sockets.sort(null);
        return sockets;
    }

    @Test
    void shouldRefuseAProcessOfAnotherUid() throws Exception {
        Assumptions.assumeTrue(CurrentProcess.effectiveUid() == 0, "needs root to run a client as another uid");
        Path setpriv = Stream.of("/usr/bin/setpriv", "/bin/setpriv").map(Path::of).filter(Files::isExecutable)
                .findFirst().orElse(null);
        Path python = Path.of("/usr/bin/python3");
        Assumptions.assumeTrue(setpriv != null, "setpriv (util-linux) is not installed");
        Assumptions.assumeTrue(Files.isExecutable(python), "/usr/bin/python3 is not installed");
        startServer();
        // Production keeps the socket 0600 in a 0700 directory, so the file system alone would stop uid
        // 65534 before connect(). Open both up for this test only, so that the refusal it sees comes from
        // the server's SO_PEERCRED check.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
        String script = String.join("\n",
                "import socket, sys",
                "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)",
                "s.connect(sys.argv[1])",
                "try:",
                "    s.sendall(b'{\"op\":\"echo\"}\\n')",
                "except OSError:",
                "    pass  # the server may already have answered and closed",
                "sys.stdout.write(s.makefile('rb').readline().decode())",
                "");
        Process process = new ProcessBuilder(setpriv.toString(), "--reuid=65534", "--regid=65534", "--clear-groups",
                python.toString(), "-c", script, socket.toString())
                .redirectErrorStream(true)
                .start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS), "python ended");
        assertEquals("{\"ok\":false,\"error\":\"permission denied: uid 65534 may not control this tend instance\","
                + "\"code\":1}\n", output);
        assertEquals(0, process.exitValue());
        assertEquals(0, count(handled, "echo"), "the handler never saw the request");
        assertTrue(warnings.stream().anyMatch(w -> w.contains("refused client pid") && w.contains("uid 65534")),
                warnings.toString());
        // Root is always allowed (and is the uid this JVM runs as here).
        assertEquals(Map.of("ok", true, "request", Map.of("op", "echo")), request(Map.of("op", "echo")));
    }

    /** A client on a raw non-blocking channel, every wait bounded. */
    private static final class RawClient implements AutoCloseable {
        final SocketChannel channel;
        private final Selector selector;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);

        RawClient(Path socket) throws IOException {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.configureBlocking(false);
            selector = Selector.open();
            buffer.flip();
        }

        void write(String text) throws IOException {
            write(text.getBytes(StandardCharsets.UTF_8));
        }

        void write(byte[] bytes) throws IOException {
            ByteBuffer out = ByteBuffer.wrap(bytes);
            SelectionKey key = channel.register(selector, SelectionKey.OP_WRITE);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (out.hasRemaining()) {
                if (channel.write(out) == 0) {
                    waitUntil(deadline, "room to write");
                }
            }
            key.interestOps(0);
        }

        /** The next line without its newline, or null at end of stream. */
        String readLine() throws IOException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                while (buffer.hasRemaining()) {
                    byte b = buffer.get();
                    if (b == '\n') {
                        String text = line.toString(StandardCharsets.UTF_8);
                        line.reset();
                        return text;
                    }
                    line.write(b);
                }
                if (!fill(deadline)) {
                    return null;
                }
            }
        }

        /** Reads and discards until the server closes the connection. */
        void awaitEndOfStream() throws IOException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            buffer.position(buffer.limit());
            while (fill(deadline)) {
                buffer.position(buffer.limit());
            }
        }

        private boolean fill(long deadline) throws IOException {
            buffer.clear();
            channel.register(selector, SelectionKey.OP_READ);
            try {
                while (true) {
                    int n;
                    try {
                        n = channel.read(buffer);
                    } catch (IOException e) {
                        // ECONNRESET: the server closed with bytes of ours unread; the stream is over.
                        return false;
                    }
                    if (n < 0) {
                        return false;
                    }
                    if (n > 0) {
                        return true;
                    }
                    waitUntil(deadline, "data or end of stream");
                }
            } finally {
                buffer.flip();
            }
        }

        private void waitUntil(long deadline, String what) throws IOException {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
            selector.select(Math.max(1, remaining / 1_000_000));
            selector.selectedKeys().clear();
        }

        @Override
        public void close() throws IOException {
            selector.close();
            channel.close();
        }
    }

    @Test
    void rawClientShouldSeeEndOfStreamAfterTheFinalMessage() throws Exception {
        startServer();
        try (RawClient client = new RawClient(socket)) {
            client.write("{\"op\":\"echo\"}\n");
            assertEquals(OK_ECHO, client.readLine());
            assertNull(client.readLine(), "the server closes after the final message");
        }
    }
}
