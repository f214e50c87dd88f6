package dev.tend.control;

import dev.tend.json.Json;
import dev.tend.os.CurrentProcess;
import dev.tend.os.Fds;
import dev.tend.os.Interest;
import dev.tend.os.NativeException;
import dev.tend.os.NonBlockingConnection;
import dev.tend.os.NonBlockingConnection.CloseReason;
import dev.tend.os.Reactor;
import dev.tend.os.UnixStreamSocket;
import dev.tend.os.UnixStreamSocket.PeerCredentials;
import dev.tend.protocol.ExitCode;
import dev.tend.protocol.Protocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The supervisor's end of the control socket: accepts connections on a Unix socket file inside a
 * {@link Reactor}, reads one JSON request per connection, hands it to a {@link ControlHandler} and writes
 * the replies back as JSON lines. See docs/control-protocol.md for the wire protocol.
 *
 * <p>Only processes running as the supervisor's own effective uid, or as root, are served
 * ({@code SO_PEERCRED}); others get one error line and are disconnected. Clients cannot disturb the
 * supervisor: nothing here blocks the loop, every failure stays inside its connection, and each connection
 * holds at most {@value #MAX_REQUEST_BYTES} bytes of request and {@value #MAX_PENDING_OUTPUT_BYTES} bytes
 * of unsent replies, with at most {@value #MAX_CONNECTIONS} connections open.
 *
 * <p>Threading: construct, use and {@link #close()} it on the reactor's loop thread (or before the loop
 * runs). The handler, {@link Reply} methods and close actions all run on that thread.
 */
public final class ControlServer implements AutoCloseable {
    /** Longest request line accepted, without its newline. */
    public static final int MAX_REQUEST_BYTES = 64 * 1024;
    /** A connection with more unsent reply bytes than this is dropped: its client stopped reading. */
    public static final long MAX_PENDING_OUTPUT_BYTES = 8L * 1024 * 1024;
    /** How long a client has to send its request line after connecting. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** Connections served at once; more are refused with an error line, to protect the descriptor table. */
    public static final int MAX_CONNECTIONS = 256;
    /**
     * How long tend, once everything else has ended, still waits for clients to take the rest of their final
     * replies before it exits: a client that stops reading cannot hold tend up for longer.
     */
    public static final Duration FINAL_REPLY_LINGER = Duration.ofSeconds(5);

    private static final int BACKLOG = 128;
    /** Accepts per readiness event, so that a burst of connections cannot starve the other descriptors. */
    private static final int ACCEPTS_PER_EVENT = 32;
    /** Pause after accept fails (EMFILE): the level-triggered listener would otherwise spin. */
    private static final long ACCEPT_RETRY_MILLIS = 100;
    private static final int INITIAL_REQUEST_BUFFER = 1024;
    /** Most bytes of an over-long request read and dropped after its error reply, before closing anyway. */
    private static final long MAX_DRAINED_BYTES = 16L * 1024 * 1024;
    /** The longest heartbeat interval honoured; a larger {@code heartbeat_ms} counts as this. */
    private static final long MAX_HEARTBEAT_MS = 3_600_000;
    private static final byte[] HEARTBEAT_LINE = encode(Map.of(Protocol.EVENT, Protocol.HEARTBEAT));

    private final Reactor reactor;
    private final Path socketPath;
    private final ControlHandler handler;
    private final Consumer<String> warnings;
    private final Duration requestTimeout;
    private final int maxConnections;
    private final int ownUid = CurrentProcess.effectiveUid();
    /** In the order they were accepted: the first one still reading is the one to give way when full. */
    private final Set<Connection> connections = new LinkedHashSet<>();
    /** Where the rest of an over-long request goes. */
    private final byte[] discard = new byte[16 * 1024];
    private final int listenFd;
    private final Object socketFileKey;
    private final Reactor.Registration listening;
    private Reactor.Timer acceptRetry;
    private boolean closed;
    /** Runs when {@link #finalRepliesWritten()} may have turned true; set by the first call that found it false. */
    private Runnable repliesWritten;
    private boolean lingerOver;

    /**
     * Creates the socket file at {@code socketPath} (mode 0600) and starts accepting connections.
     *
     * @param warnings receives one line for each noteworthy client problem (refused uid, client dropped
     *     for not reading, handler failure); called on the loop thread; must not throw.
     * @throws NativeException when the socket cannot be created, for example {@code EADDRINUSE} when a
     *     file is already at that path (see {@link UnixStreamSocket#deleteStale}).
     */
    public ControlServer(Reactor reactor, Path socketPath, ControlHandler handler, Consumer<String> warnings) {
        this(reactor, socketPath, handler, warnings, REQUEST_TIMEOUT, MAX_CONNECTIONS);
    }

    /** As the public constructor, with the limits that tests shorten. */
    ControlServer(Reactor reactor, Path socketPath, ControlHandler handler, Consumer<String> warnings,
                  Duration requestTimeout, int maxConnections) {
        this.reactor = Objects.requireNonNull(reactor, "reactor");
        this.socketPath = Objects.requireNonNull(socketPath, "socketPath");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.warnings = Objects.requireNonNull(warnings, "warnings");
        this.requestTimeout = requestTimeout;
        this.maxConnections = maxConnections;
        int fd = UnixStreamSocket.listen(socketPath, BACKLOG);
        try {
            // Remembered so that close() removes this socket file and never a successor's.
            this.socketFileKey = Files.readAttributes(socketPath, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS).fileKey();
            this.listening = reactor.register(fd, Interest.READ, events -> acceptPending());
        } catch (IOException | RuntimeException e) {
            Fds.close(fd);
            deleteSocketFile();
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot inspect control socket " + socketPath, io);
            }
            throw (RuntimeException) e;
        }
        this.listenFd = fd;
    }

    /** Connections currently open (for tests and diagnostics). Loop thread only. */
    int connectionCount() {
        return connections.size();
    }

    /**
     * Whether every final reply queued so far has been written to its socket (or its client has gone), so that
     * tend may exit without cutting one short: the kernel keeps what was written for the client after tend's
     * descriptors close, but bytes still queued in this process are lost. A completion gate: the first call
     * that answers false remembers {@code recheck}, runs it once the answer may have changed, and answers true
     * anyway {@link #FINAL_REPLY_LINGER} later. Loop thread only.
     */
    public boolean finalRepliesWritten(Runnable recheck) {
        if (lingerOver || connections.stream().noneMatch(Connection::finalReplyPending)) {
            return true;
        }
        if (repliesWritten == null) {
            repliesWritten = recheck;
            reactor.schedule(FINAL_REPLY_LINGER.toNanos(), TimeUnit.NANOSECONDS, () -> {
                lingerOver = true;
                recheck.run();
            });
        }
        return false;
    }

    /**
     * Stops listening, closes every connection (running their close actions) and removes the socket file.
     * Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (acceptRetry != null) {
            acceptRetry.cancel();
        }
        listening.cancel();
        Fds.close(listenFd);
        for (Connection connection : new ArrayList<>(connections)) {
            connection.closeNow();
            connection.runCloseActions();
        }
        connections.clear();
        deleteSocketFile();
    }

    private void deleteSocketFile() {
        try {
            Object key = Files.readAttributes(socketPath, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .fileKey();
            if (socketFileKey == null || socketFileKey.equals(key)) {
                Files.deleteIfExists(socketPath);
            }
        } catch (IOException e) {
            // Already gone, or the directory went away: nothing left to clean up.
        }
    }

    private void acceptPending() {
        for (int i = 0; i < ACCEPTS_PER_EVENT && !closed; i++) {
            int fd;
            try {
                fd = UnixStreamSocket.accept(listenFd);
            } catch (NativeException e) {
                pauseAccepting(e);
                return;
            }
            if (fd == UnixStreamSocket.AGAIN) {
                return;
            }
            admit(fd);
        }
    }

    private void pauseAccepting(NativeException e) {
        warnings.accept("control socket " + socketPath + ": cannot accept connections (" + e.getMessage()
                + "); trying again in " + ACCEPT_RETRY_MILLIS + " ms");
        listening.modify(Interest.NONE);
        acceptRetry = reactor.schedule(ACCEPT_RETRY_MILLIS, TimeUnit.MILLISECONDS, () -> {
            acceptRetry = null;
            if (!closed) {
                listening.modify(Interest.READ);
            }
        });
    }

    private void admit(int fd) {
        Connection connection;
        try {
            connection = new Connection(fd, UnixStreamSocket.peerCredentials(fd));
        } catch (RuntimeException e) {
            Fds.close(fd);
            warnings.accept("control socket " + socketPath + ": dropped a connection: " + e.getMessage());
            return;
        }
        connections.add(connection);
        int uid = connection.peer.uid();
        if (uid != ownUid && uid != 0) {
            warnings.accept("control socket: refused " + connection.describePeer());
            connection.finish(Reply.failure(ExitCode.FAILURE,
                    "permission denied: uid " + uid + " may not control this tend instance"));
        } else if (connections.size() > maxConnections && !evictIdle(connection)) {
            connection.finish(Reply.failure(ExitCode.FAILURE,
                    "too many control connections (at most " + maxConnections + " at once)"));
        } else {
            connection.startReading();
        }
    }

    /**
     * Makes room for {@code newcomer} by closing the oldest connection that has not sent its request yet: idle
     * connections must not lock every other client out until their request timeout. False when every other
     * connection has a request in hand (those are never cut short).
     */
    private boolean evictIdle(Connection newcomer) {
        Connection oldest = null;
        for (Connection c : connections) {
            if (c != newcomer && c.state == State.READING) {
                oldest = c;
                break;
            }
        }
        if (oldest == null) {
            return false;
        }
        oldest.finish(Reply.failure(ExitCode.USAGE, "no request line received before another client needed the "
                + "connection (at most " + maxConnections + " at once)"));
        return true;
    }

    private static byte[] encode(Map<String, Object> message) {
        return (Json.write(message) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static String describe(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    private enum State {
        /** Waiting for the request line. */
        READING,
        /** The handler has the request; {@link Reply} is open. */
        HANDLING,
        /**
         * The request was over-long: its error reply is queued, then the sending side shut down, while the rest
         * of the request is read and dropped, so that the client can finish writing and read the reply.
         */
        DRAINING,
        /** The final message is queued; the connection closes once it is written. */
        ENDING,
        CLOSED
    }

    /**
     * One client connection, and the {@link Reply} its handler answers through. The bytes (queueing, partial
     * writes, the cap on unsent replies, readiness) are its {@link NonBlockingConnection}'s; this is the protocol.
     */
    private final class Connection implements Reply, NonBlockingConnection.Listener {
        private final PeerCredentials peer;
        private final NonBlockingConnection socket;
        private final List<Runnable> closeActions = new ArrayList<>();
        private State state = State.READING;
        private byte[] request = new byte[INITIAL_REQUEST_BUFFER];
        private int requestLength;
        private Reactor.Timer requestTimer;
        private Reactor.Timer heartbeat;
        /** Whether a message went out since the last heartbeat was due. */
        private boolean sentSinceBeat;
        private long drained;
        private String op;
        /** Depth of Reply calls on the stack: close actions triggered inside one wait until it returns. */
        private int replyCalls;
        private boolean closeActionsRan;

        Connection(int fd, PeerCredentials peer) {
            this.peer = peer;
            this.socket = new NonBlockingConnection(reactor, fd, MAX_PENDING_OUTPUT_BYTES, this);
        }

        String describePeer() {
            return "client pid " + peer.pid() + " (uid " + peer.uid() + ")";
        }

        void startReading() {
            requestTimer = reactor.schedule(requestTimeout.toNanos(), TimeUnit.NANOSECONDS, () -> {
                if (state == State.READING) {
                    finish(Reply.failure(ExitCode.USAGE, "no request line received within " + describe(requestTimeout)));
                }
            });
        }

        @Override
        public void readable() {
            try {
                if (state == State.DRAINING) {
                    drain();
                    return;
                }
                readRequest();
            } catch (RuntimeException e) {
                drop(e);
            }
        }

        @Override
        public void closed(CloseReason reason) {
            if (reason == CloseReason.TOO_MUCH_PENDING) {
                warnings.accept("control " + describePeer() + (op != null ? " (\"" + op + "\")" : "")
                        + " is not reading its replies: dropped it with more than 8 MiB pending");
            }
            close();
        }

        @Override
        public void failed(NativeException failure) {
            drop(failure);
        }

        private void drop(RuntimeException failure) {
            warnings.accept("control connection of " + describePeer() + " failed: " + failure);
            close();
        }

        private void readRequest() {
            while (state == State.READING) {
                if (requestLength == request.length) {
                    request = Arrays.copyOf(request, Math.min(request.length * 2, MAX_REQUEST_BYTES + 1));
                }
                // Never read past MAX + 1 bytes: enough to tell an over-long line, and memory stays bounded.
                int n = socket.read(request, requestLength, request.length - requestLength);
                if (n == NonBlockingConnection.AGAIN) {
                    return;
                }
                if (n == 0) {
                    endOfInput();
                    return;
                }
                int from = requestLength;
                requestLength += n;
                for (int i = from; i < requestLength; i++) {
                    if (request[i] == '\n') {
                        dispatch(i);
                        return;
                    }
                }
                if (requestLength > MAX_REQUEST_BYTES) {
                    refuseOversized();
                    return;
                }
            }
        }

        /**
         * Answers an over-long request, then drops the rest of it. Closing at once would make a client that
         * writes its whole request before reading (most do) fail on a reset socket instead of reading the reply.
         * Bounded: at most {@link #MAX_DRAINED_BYTES} more, within the request timeout.
         */
        private void refuseOversized() {
            cancelRequestTimer();
            request = null;
            state = State.DRAINING;
            socket.send(encode(Reply.failure(ExitCode.USAGE, "request larger than 64 KiB")));
            socket.shutdownOutputWhenFlushed();
            requestTimer = reactor.schedule(requestTimeout.toNanos(), TimeUnit.NANOSECONDS, () -> {
                requestTimer = null;
                if (state == State.DRAINING) {
                    endDraining();
                }
            });
            if (state == State.DRAINING) {
                drain();
            }
        }

        private void drain() {
            while (state == State.DRAINING) {
                int n = socket.read(discard, 0, discard.length);
                if (n == NonBlockingConnection.AGAIN) {
                    return;
                }
                drained += n;
                if (n == 0 || drained > MAX_DRAINED_BYTES) {
                    endDraining();
                }
            }
        }

        private void endDraining() {
            cancelRequestTimer();
            state = State.ENDING;
            socket.closeWhenFlushed();
        }

        /** The client shut down its sending side: what it sent before is the request, if anything. */
        private void endOfInput() {
            if (requestLength == 0) {
                close();
            } else {
                dispatch(requestLength);
            }
        }

        private void dispatch(int length) {
            cancelRequestTimer();
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(request, 0, length)).toString();
            } catch (CharacterCodingException e) {
                finish(Reply.failure(ExitCode.USAGE, "malformed request: not valid UTF-8"));
                return;
            } finally {
                request = null;
            }
            Map<String, Object> parsed;
            try {
                parsed = Json.parseObject(text);
            } catch (IllegalArgumentException e) {
                finish(Reply.failure(ExitCode.USAGE, "malformed request: " + e.getMessage()));
                return;
            }
            Object value = parsed.get(Protocol.OP);
            if (!(value instanceof String)) {
                finish(Reply.failure(ExitCode.USAGE, parsed.containsKey(Protocol.OP)
                        ? "malformed request: \"op\" must be a string, not " + Json.typeName(value)
                        : "malformed request: missing \"op\""));
                return;
            }
            op = (String) value;
            state = State.HANDLING;
            socket.stopReading();
            if (parsed.containsKey(Protocol.HEARTBEAT_MS)) {
                // A member of the transport, not of the operation: the handler never sees it.
                if (parsed.get(Protocol.HEARTBEAT_MS) instanceof Long millis && millis > 0) {
                    long interval = Math.min(Math.max(millis, Protocol.MIN_HEARTBEAT_MS), MAX_HEARTBEAT_MS);
                    scheduleHeartbeat(TimeUnit.MILLISECONDS.toNanos(interval));
                }
                Map<String, Object> operation = new LinkedHashMap<>(parsed);
                operation.remove(Protocol.HEARTBEAT_MS);
                parsed = operation;
            }
            try {
                handler.handle(parsed, this);
            } catch (RuntimeException | Error e) {
                warnings.accept("control request \"" + op + "\" of " + describePeer() + " failed: " + e);
                if (state == State.HANDLING) {
                    finish(Reply.failure(ExitCode.FAILURE, "internal error: " + e));
                }
            }
        }

        /** While the request is in hand, a heartbeat goes out each interval in which nothing else did. */
        private void scheduleHeartbeat(long intervalNanos) {
            heartbeat = reactor.schedule(intervalNanos, TimeUnit.NANOSECONDS, () -> {
                heartbeat = null;
                if (state != State.HANDLING) {
                    return;
                }
                if (!sentSinceBeat) {
                    socket.send(HEARTBEAT_LINE);
                }
                sentSinceBeat = false;
                if (state == State.HANDLING) {
                    scheduleHeartbeat(intervalNanos);
                }
            });
        }

        private void cancelHeartbeat() {
            if (heartbeat != null) {
                heartbeat.cancel();
                heartbeat = null;
            }
        }

        @Override
        public void send(Map<String, Object> message) {
            if (state != State.HANDLING) {
                return;
            }
            byte[] bytes = encode(message);
            sentSinceBeat = true;
            replyCalls++;
            try {
                socket.send(bytes);
            } finally {
                replyCalls--;
            }
        }

        @Override
        public void end(Map<String, Object> last) {
            if (state != State.HANDLING) {
                return;
            }
            replyCalls++;
            try {
                byte[] bytes;
                try {
                    bytes = encode(last);
                } catch (IllegalArgumentException e) {
                    // The client still gets a final message; the caller learns of its bug.
                    finish(Reply.failure(ExitCode.FAILURE, "internal error: " + e));
                    throw e;
                }
                state = State.ENDING;
                cancelHeartbeat();
                socket.send(bytes);
                socket.closeWhenFlushed();
            } finally {
                replyCalls--;
            }
        }

        @Override
        public boolean open() {
            return state == State.HANDLING;
        }

        @Override
        public void onClose(Runnable action) {
            Objects.requireNonNull(action, "action");
            if (closeActionsRan) {
                reactor.execute(() -> runCloseAction(action));
            } else {
                closeActions.add(action);
            }
        }

        /** Queues a final message and closes once it is written, whatever the state before. */
        void finish(Map<String, Object> last) {
            if (state == State.CLOSED) {
                return;
            }
            cancelRequestTimer();
            cancelHeartbeat();
            state = State.ENDING;
            socket.send(encode(last));
            socket.closeWhenFlushed();
        }

        private void cancelRequestTimer() {
            if (requestTimer != null) {
                requestTimer.cancel();
                requestTimer = null;
            }
        }

        /**
         * Closes the connection. Close actions run now, unless this happens inside a {@link Reply} call
         * (the write revealed the client has gone): then they run as the loop's next task, so that a
         * handler never sees its own clean-up run in the middle of a {@code send}.
         */
        private void close() {
            closeNow();
            if (replyCalls > 0) {
                reactor.execute(this::runCloseActions);
            } else {
                runCloseActions();
            }
        }

        void closeNow() {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            cancelRequestTimer();
            cancelHeartbeat();
            socket.close();
            request = null;
        }

        boolean finalReplyPending() {
            return state == State.ENDING && socket.pendingBytes() > 0;
        }

        void runCloseActions() {
            if (connections.remove(this) && repliesWritten != null && !closed) {
                reactor.execute(repliesWritten);
            }
            if (closeActionsRan) {
                return;
            }
            closeActionsRan = true;
            for (Runnable action : closeActions) {
                runCloseAction(action);
            }
            closeActions.clear();
        }

        private void runCloseAction(Runnable action) {
            try {
                action.run();
            } catch (RuntimeException | Error e) {
                warnings.accept("close action of control request \"" + op + "\" failed: " + e);
            }
        }
    }
}
