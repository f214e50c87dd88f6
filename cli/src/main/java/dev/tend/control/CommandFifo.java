package dev.tend.control;

import dev.tend.os.CurrentProcess;
import dev.tend.os.Errno;
import dev.tend.os.Fds;
import dev.tend.os.Interest;
import dev.tend.os.NativeException;
import dev.tend.os.Reactor;
import dev.tend.protocol.ExitCode;
import dev.tend.protocol.Protocol;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The command FIFO of the runtime directory ({@code control.fifo}): how the launcher, a shell script, asks the
 * running tend for an action ({@code stop}, {@code start}, …) without starting a JVM, as runit's {@code sv} and
 * {@code s6-svc} write to their supervisor's control FIFO. A request is one line ({@link FifoRequest}) naming a
 * reply FIFO the launcher made beside it; it is handled by the same {@link ControlHandler} as a request of the
 * control socket (or, for {@code get} and {@code set}, which a shell script cannot do on the mapped state file
 * itself, by a {@link StateDesk}), and answered through a {@link FifoReply}.
 *
 * <p>The FIFO is opened for reading and writing and non-blocking, so the loop never waits on it and never sees
 * end of file when launchers come and go. Only tend's own user (and root) can write into it: it is made mode
 * 0600 in the 0700 runtime directory. A line that is not a request, names a reply FIFO that is not one (a
 * FIFO of tend's own user, checked without following links), or whose launcher has gone (nobody reads the
 * reply FIFO) is ignored with a warning. Lines longer than {@value #MAX_LINE_BYTES} bytes (the launcher writes
 * each with one {@code write(2)} of less than {@code PIPE_BUF}, so that lines of launchers writing at once never
 * mix) are ignored.
 *
 * <p>Threading: construct, use and {@link #close()} it on the reactor's loop thread (or before the loop runs).
 */
public final class CommandFifo implements AutoCloseable {
    /** Longest request line taken, newline included: {@code PIPE_BUF}, the most one write(2) keeps together. */
    static final int MAX_LINE_BYTES = 4096;

    private static final int S_IFMT = 0170000;
    private static final int S_IFIFO = 0010000;

    private final Reactor reactor;
    private final Path fifo;
    private final ControlHandler handler;
    private final StateDesk state;
    private final Consumer<String> warnings;
    private final int ownUid = CurrentProcess.effectiveUid();
    private final Set<FifoReply> replies = new HashSet<>();
    private final ByteBuffer line = ByteBuffer.allocate(MAX_LINE_BYTES);
    private int fd = -1;
    private Object fileKey;
    private Reactor.Registration reading;
    /** Whether the rest of an over-long line is being skipped. */
    private boolean skipping;
    private boolean failureReported;
    private boolean closed;

    /**
     * Makes the FIFO at {@code fifo} (replacing a file left there by a tend that died: the caller holds the
     * instance's lock) and starts reading requests. When it cannot be made, a warning says so and this stays
     * idle: the launcher then uses the JVM client, as before.
     *
     * @param state    answers get and set, which are no requests of the control protocol; closed with this.
     * @param warnings receives one line for each request ignored; called on the loop thread; must not throw.
     */
    public CommandFifo(Reactor reactor, Path fifo, ControlHandler handler, StateDesk state, Consumer<String> warnings) {
        this.reactor = Objects.requireNonNull(reactor, "reactor");
        this.fifo = Objects.requireNonNull(fifo, "fifo");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.state = Objects.requireNonNull(state, "state");
        this.warnings = Objects.requireNonNull(warnings, "warnings");
        open();
    }

    /**
     * Makes the FIFO again when it is gone (someone removed it from the runtime directory). Called when a client
     * used the control socket instead, which is what a launcher that found no FIFO does: so the next command is
     * served without a JVM again, and nothing watches the directory in the meantime.
     */
    public void ensurePresent() {
        if (closed || Files.exists(fifo, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        stopReading();
        open();
    }

    /**
     * The operations a request may ask for, as the status file lists them for the launcher: a launcher of a newer
     * tend than the one running asks through its JVM client for any other.
     */
    public static List<String> operations() {
        return FifoRequest.OPERATIONS;
    }

    private void open() {
        try {
            Files.deleteIfExists(fifo);
            Fds.makeFifo(fifo, 0600);
            fileKey = Files.readAttributes(fifo, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            fd = Fds.openFifoToRead(fifo);
            reading = reactor.register(fd, Interest.READ, ready -> readRequests());
        } catch (IOException | RuntimeException e) {
            if (!failureReported) {
                failureReported = true;
                warnings.accept("cannot make the command FIFO " + fifo + " (" + e.getMessage()
                        + "); stop, start and the other actions start a JVM client to ask tend instead");
            }
            stopReading();
            deleteFifo();
        }
    }

    private void stopReading() {
        if (reading != null) {
            reading.cancel();
            reading = null;
        }
        Fds.close(fd);
        fd = -1;
        line.clear();
        skipping = false;
    }

    /** Stops reading, drops replies not yet written and removes the FIFO. Idempotent. */
    @Override
    public void close() {
        closed = true;
        stopReading();
        for (FifoReply reply : Set.copyOf(replies)) {
            reply.abandon();
        }
        deleteFifo();
    }

    private void deleteFifo() {
        try {
            Object key = Files.readAttributes(fifo, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            if (fileKey != null && fileKey.equals(key)) {
                Files.deleteIfExists(fifo);
            }
        } catch (IOException e) {
            // Already gone: nothing to clean up.
        }
    }

    private void readRequests() {
        ByteBuffer chunk = ByteBuffer.allocate(MAX_LINE_BYTES);
        while (fd >= 0) {
            chunk.clear();
            int n = Fds.read(fd, chunk);
            if (n == Fds.AGAIN || n == 0) {
                return;
            }
            chunk.flip();
            while (chunk.hasRemaining()) {
                byte b = chunk.get();
                if (b == '\n') {
                    if (!skipping) {
                        line.flip();
                        take(line);
                    }
                    skipping = false;
                    line.clear();
                } else if (skipping) {
                    continue;
                } else if (line.position() == MAX_LINE_BYTES - 1) {
                    warnings.accept("command FIFO: ignored a request line longer than " + MAX_LINE_BYTES + " bytes");
                    skipping = true;
                } else {
                    line.put(b);
                }
            }
        }
    }

    private void take(ByteBuffer bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
        } catch (CharacterCodingException e) {
            // A value given to tend set that is not UTF-8: the JVM client takes the arguments as the locale says.
            String name = FifoRequest.replyOf(StandardCharsets.ISO_8859_1.decode(bytes.rewind()).toString());
            if (name == null) {
                warnings.accept("command FIFO: ignored a request line that is not UTF-8");
                return;
            }
            FifoReply reply = replyTo(name);
            if (reply != null) {
                reply.fallback();
            }
            return;
        }
        FifoRequest request;
        try {
            request = FifoRequest.parse(text);
        } catch (FifoRequest.Malformed e) {
            if (e.reply() == null) {
                warnings.accept("command FIFO: ignored a line that is not a request (" + e.getMessage() + ")");
                return;
            }
            FifoReply reply = replyTo(e.reply());
            if (reply != null) {
                reply.fail(ExitCode.USAGE, "malformed request from the launcher: " + e.getMessage());
            }
            return;
        }
        FifoReply reply = replyTo(request.reply());
        if (reply == null) {
            return;
        }
        if (StateRequest.takes(request.request().get(Protocol.OP))) {
            state.handle(request.request(), reply);
            return;
        }
        reply.printAs(request);
        try {
            if (FifoLogs.asks(request)) {
                new FifoLogs(handler, reply).answer(request.request());
            } else {
                handler.handle(request.request(), reply);
            }
        } catch (RuntimeException | Error e) {
            warnings.accept("command FIFO request \"" + request.request().get(Protocol.OP) + "\" failed: " + e);
            if (reply.open()) {
                reply.end(Reply.failure(ExitCode.FAILURE, "internal error: " + e));
            }
        }
    }

    /** Opens the reply FIFO {@code name} beside this one; null (with a warning) when it cannot be answered. */
    private FifoReply replyTo(String name) {
        Path path = fifo.resolveSibling(name);
        try {
            Map<String, Object> attributes = Files.readAttributes(path, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) attributes.get("mode");
            int uid = (Integer) attributes.get("uid");
            if ((mode & S_IFMT) != S_IFIFO || (uid != ownUid && uid != 0)) {
                warnings.accept("command FIFO: ignored a request whose reply " + name + " is not a FIFO of uid "
                        + ownUid);
                return null;
            }
        } catch (IOException | UnsupportedOperationException e) {
            warnings.accept("command FIFO: ignored a request whose reply FIFO " + name + " is gone");
            return null;
        }
        int replyFd;
        try {
            replyFd = Fds.openFifoToWrite(path);
        } catch (NativeException e) {
            warnings.accept("command FIFO: ignored a request of a launcher that has gone ("
                    + (e.errno() == Errno.ENXIO ? "nobody reads " + name : e.getMessage()) + ")");
            return null;
        }
        FifoReply[] reply = new FifoReply[1];
        reply[0] = new FifoReply(reactor, replyFd, name, warnings, () -> replies.remove(reply[0]));
        replies.add(reply[0]);
        return reply[0];
    }
}
