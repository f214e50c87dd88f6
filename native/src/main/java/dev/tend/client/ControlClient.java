package dev.tend.client;

import dev.tend.json.Json;
import dev.tend.protocol.Protocol;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The command-line side of the control socket: sends one request, passes each intermediate message to a
 * callback and returns the final one (see docs/control-protocol.md). Blocking, on the JDK's own Unix-domain
 * socket channels, so it needs no native code.
 *
 * <p>Waiting is interruptible: interrupting the calling thread makes the call throw
 * {@link InterruptedIOException} (the thread's interrupt status stays set) and closes the connection,
 * which the supervisor sees as the client going away.
 */
public final class ControlClient {
    /** Longest reply line accepted; the server never queues more than 8 MiB for a connection anyway. */
    static final int MAX_REPLY_LINE_BYTES = 16 * 1024 * 1024;
    /** Pause before connecting again to a tend whose queue of pending connections is full. */
    private static final long BACKLOG_RETRY_MILLIS = 10;

    private ControlClient() {}

    /** As {@link #request(Path, Map, Consumer, Duration)}, waiting as long as the reply takes. */
    public static Map<String, Object> request(Path socket, Map<String, ?> request,
                                              Consumer<Map<String, Object>> events) throws IOException {
        return request(socket, request, events, null);
    }

    /**
     * Sends {@code request} to the tend instance listening on {@code socket} and reads its reply.
     *
     * <p>With a {@code timeout}, the request asks the server for heartbeats ({@link Protocol#HEARTBEAT_MS}) a
     * few times per {@code timeout}, which are not passed on to {@code events}: so {@code timeout} bounds how
     * long tend may stay silent, not how long an operation may take, and a tend that is stopped or wedged is
     * told apart from one that is busy stopping workers for 30 s.
     *
     * @param events  receives every intermediate message (those without an {@code "ok"} key), in order.
     * @param timeout the longest wait to connect, for the request to be taken, and then for each next message;
     *     {@code null} waits indefinitely.
     * @return the final message, the first one with an {@code "ok"} key.
     * @throws NotRunningException when no socket file exists or nothing listens on it.
     * @throws ConnectionLostException when the connection ends before the final message.
     * @throws SocketTimeoutException when {@code timeout} passes without a message.
     * @throws InterruptedIOException when the calling thread is interrupted.
     * @throws IOException for other failures, such as a reply that is not JSON.
     */
    public static Map<String, Object> request(Path socket, Map<String, ?> request,
                                              Consumer<Map<String, Object>> events, Duration timeout)
            throws IOException {
        Map<String, Object> sent = new LinkedHashMap<>(request);
        if (timeout != null) {
            sent.put(Protocol.HEARTBEAT_MS, Math.max(Protocol.MIN_HEARTBEAT_MS, timeout.toMillis() / 4));
        }
        byte[] line = (Json.write(sent) + "\n").getBytes(StandardCharsets.UTF_8);
        try (Selector selector = Selector.open(); SocketChannel channel = connect(socket, selector, timeout)) {
            SelectionKey key = channel.register(selector, SelectionKey.OP_WRITE);
            Exchange exchange = new Exchange(socket, channel, selector, key, timeout);
            IOException sendFailure = null;
            try {
                exchange.send(ByteBuffer.wrap(line));
            } catch (InterruptedIOException | ClosedByInterruptException e) {
                throw e;
            } catch (IOException e) {
                // The server may have answered and closed without reading (refused uid, request too
                // large): its reply is still waiting to be read.
                sendFailure = e;
            }
            return exchange.receive(events, sendFailure);
        } catch (ClosedByInterruptException e) {
            throw interrupted(socket, e);
        }
    }

    /**
     * Connects without blocking, so that a tend that stopped accepting cannot hold the caller beyond
     * {@code timeout}: once its queue of pending connections is full, a Unix socket refuses a connect with
     * EAGAIN rather than completing it later, so it is tried again until the deadline.
     */
    private static SocketChannel connect(Path socket, Selector selector, Duration timeout) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        try {
            channel.configureBlocking(false);
            while (true) {
                try {
                    if (!channel.connect(UnixDomainSocketAddress.of(socket))) {
                        SelectionKey key = channel.register(selector, SelectionKey.OP_CONNECT);
                        while (!channel.finishConnect()) {
                            waitFor(selector, deadline, socket, timeout, "to accept the connection");
                        }
                        key.interestOps(0);
                    }
                    return channel;
                } catch (ConnectException e) {
                    throw new NotRunningException(socket, "tend is not running: nothing listens on " + socket
                            + " (a stale socket file left by a tend that was killed?)", e);
                } catch (InterruptedIOException | ClosedByInterruptException e) {
                    throw e;
                } catch (IOException e) {
                    if (missing(socket)) {
                        throw new NotRunningException(socket, "tend is not running: no control socket at " + socket, e);
                    }
                    if (!backlogFull(e)) {
                        throw new IOException("cannot connect to tend at " + socket + ": " + e.getMessage(), e);
                    }
                    if (System.nanoTime() - deadline >= 0) {
                        throw timedOut(socket, timeout, "to accept the connection");
                    }
                    // Its queue is full: try again shortly, within the deadline.
                    selector.select(Math.max(1, Math.min(BACKLOG_RETRY_MILLIS,
                            (deadline - System.nanoTime()) / 1_000_000)));
                    if (Thread.currentThread().isInterrupted()) {
                        throw interrupted(socket, null);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** EAGAIN from connect: the listener's queue of pending connections is full. */
    private static boolean backlogFull(IOException e) {
        String message = e.getMessage();
        return message != null && message.contains("temporarily unavailable");
    }

    private static SocketTimeoutException timedOut(Path socket, Duration timeout, String what) {
        return new SocketTimeoutException("tend at " + socket + " took longer than " + timeout.toMillis()
                + " ms " + what);
    }

    /** Waits in {@code selector} until something is ready or {@code deadline} (System.nanoTime) passes. */
    private static void waitFor(Selector selector, long deadline, Path socket, Duration timeout, String what)
            throws IOException {
        long waitMillis = 0;
        if (deadline != Long.MAX_VALUE) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw timedOut(socket, timeout, what);
            }
            waitMillis = Math.max(1, (remaining + 999_999) / 1_000_000);
        }
        selector.select(waitMillis);
        selector.selectedKeys().clear();
        // An interrupt wakes the selector up and leaves the thread's interrupt status set.
        if (Thread.currentThread().isInterrupted()) {
            throw interrupted(socket, null);
        }
    }

    /**
     * Whether nothing is at {@code socket}. Unlike {@code !Files.exists}, a directory we may not search is
     * not "missing": connecting then fails with a permission error, which is the truth to report.
     */
    private static boolean missing(Path socket) {
        try {
            Files.readAttributes(socket, BasicFileAttributes.class);
            return false;
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static InterruptedIOException interrupted(Path socket, Throwable cause) {
        InterruptedIOException e = new InterruptedIOException("interrupted while talking to tend at " + socket);
        e.initCause(cause);
        return e;
    }

    /** One request and its reply over a non-blocking channel, waiting in a selector so timeouts work. */
    private static final class Exchange {
        private final Path socket;
        private final SocketChannel channel;
        private final Selector selector;
        private final SelectionKey key;
        private final Duration timeout;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        Exchange(Path socket, SocketChannel channel, Selector selector, SelectionKey key, Duration timeout) {
            this.socket = socket;
            this.channel = channel;
            this.selector = selector;
            this.key = key;
            this.timeout = timeout;
        }

        void send(ByteBuffer request) throws IOException {
            long deadline = deadline();
            while (request.hasRemaining()) {
                if (channel.write(request) == 0) {
                    await(deadline, "to take the request");
                }
            }
        }

        Map<String, Object> receive(Consumer<Map<String, Object>> events, IOException sendFailure)
                throws IOException {
            key.interestOps(SelectionKey.OP_READ);
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            long deadline = deadline();
            while (true) {
                int n;
                try {
                    n = channel.read(buffer);
                } catch (ClosedByInterruptException e) {
                    throw e;
                } catch (IOException e) {
                    // ECONNRESET: the server closed with part of our request unread; same as end of stream.
                    throw lost(e);
                }
                if (n < 0) {
                    throw lost(sendFailure);
                }
                if (n == 0) {
                    await(deadline, "to reply");
                    continue;
                }
                // Lines are copied whole, not byte by byte: a client runs mostly interpreted, and `tend ps` of a
                // thousand workers reads a reply of about 300 KB.
                byte[] bytes = buffer.array();
                int start = 0;
                int end = buffer.position();
                for (int i = 0; i < end; i++) {
                    if (bytes[i] != '\n') {
                        continue;
                    }
                    collect(bytes, start, i);
                    start = i + 1;
                    Map<String, Object> message = parse();
                    if (message.containsKey(Protocol.OK)) {
                        return message;
                    }
                    if (!Protocol.HEARTBEAT.equals(message.get(Protocol.EVENT))) {
                        events.accept(message);
                    }
                    deadline = deadline();
                }
                collect(bytes, start, end);
                buffer.clear();
            }
        }

        private void collect(byte[] bytes, int from, int to) throws IOException {
            if (pending.size() + (to - from) > MAX_REPLY_LINE_BYTES) {
                throw new IOException("reply line longer than 16 MiB from tend at " + socket);
            }
            pending.write(bytes, from, to - from);
        }

        private Map<String, Object> parse() throws IOException {
            String text = pending.toString(StandardCharsets.UTF_8);
            pending.reset();
            try {
                return Json.parseObject(text);
            } catch (IllegalArgumentException e) {
                throw new IOException("malformed reply from tend at " + socket + ": " + e.getMessage(), e);
            }
        }

        private ConnectionLostException lost(IOException cause) {
            return new ConnectionLostException("tend closed the control connection at " + socket
                    + " without a final reply", cause);
        }

        private long deadline() {
            return timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        }

        /** Waits for the channel to become ready, until {@code deadline} (System.nanoTime). */
        private void await(long deadline, String what) throws IOException {
            waitFor(selector, deadline, socket, timeout, what);
        }
    }
}
