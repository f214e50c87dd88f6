package dev.tend.control;

import dev.tend.json.Json;
import dev.tend.os.Fds;
import dev.tend.os.Interest;
import dev.tend.os.NativeException;
import dev.tend.os.Reactor;
import dev.tend.protocol.ActionResult;
import dev.tend.protocol.ActionText;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The answer to one request of the command FIFO, written into the reply FIFO the launcher made: the text the
 * JVM client would print for the final message ({@link ActionText}), one line each, {@code out TEXT} for
 * standard output and {@code err TEXT} for standard error (a text with newlines makes several lines), then
 * {@code end CODE}. Intermediate events are not sent (none of the operations taken here has any).
 *
 * <p>Never blocks the loop: the descriptor is non-blocking, what the pipe does not take at once is written
 * when it has room, and a launcher that takes nothing for {@link #WRITE_TIMEOUT}, or leaves more than
 * {@link #MAX_PENDING_BYTES} unread, is dropped. Loop thread only.
 */
final class FifoReply implements Reply {
    /** Longest time a reader may leave a reply unread before it is dropped. */
    static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);
    /** Largest reply kept; a larger one is cut to its end line (failure reports are bounded, so never in practice). */
    static final int MAX_PENDING_BYTES = 1024 * 1024;

    private final Reactor reactor;
    private final int fd;
    private final String name;
    private final Consumer<String> warnings;
    private final Runnable closed;
    private final List<Runnable> closeActions = new ArrayList<>();
    private ByteBuffer pending;
    private Reactor.Registration writable;
    private Reactor.Timer deadline;
    private boolean ended;
    private boolean done;

    /**
     * @param fd     the reply FIFO, open for writing and non-blocking; closed by this reply.
     * @param closed run once the reply is written or dropped.
     */
    FifoReply(Reactor reactor, int fd, String name, Consumer<String> warnings, Runnable closed) {
        this.reactor = reactor;
        this.fd = fd;
        this.name = name;
        this.warnings = warnings;
        this.closed = closed;
    }

    /** The bytes of the reply to {@code last}, the final message of the control protocol. */
    static byte[] encode(Map<String, Object> last) {
        // Through JSON text, as the JVM client reads it: the handler's map holds numbers of any boxed type.
        ActionText text = ActionText.of(ActionResult.fromJson(Json.parseObject(Json.write(last))));
        StringBuilder reply = new StringBuilder();
        lines(reply, "out ", text.out());
        lines(reply, "err ", text.err());
        byte[] body = reply.toString().getBytes(StandardCharsets.UTF_8);
        byte[] end = ("end " + text.code().code() + "\n").getBytes(StandardCharsets.UTF_8);
        int kept = Math.min(body.length, MAX_PENDING_BYTES - end.length);
        ByteBuffer bytes = ByteBuffer.allocate(kept + end.length);
        bytes.put(body, 0, kept);
        if (kept < body.length) {
            // Cut inside a line: end it, so that the end line stays a line of its own.
            bytes.position(kept - 1).put((byte) '\n');
        }
        bytes.put(end);
        return Arrays.copyOf(bytes.array(), bytes.position());
    }

    private static void lines(StringBuilder reply, String kind, List<String> texts) {
        for (String text : texts) {
            for (String line : text.split("\n", -1)) {
                reply.append(kind).append(line).append('\n');
            }
        }
    }

    @Override
    public void send(Map<String, Object> message) {
        // Events (log lines, heartbeats) have no place in this reply.
    }

    @Override
    public void end(Map<String, Object> last) {
        if (ended || done) {
            return;
        }
        ended = true;
        pending = ByteBuffer.wrap(encode(last));
        flush();
    }

    @Override
    public boolean open() {
        return !ended && !done;
    }

    @Override
    public void onClose(Runnable action) {
        if (done) {
            reactor.execute(() -> run(action));
        } else {
            closeActions.add(action);
        }
    }

    /** Drops the reply unwritten (tend is ending). */
    void abandon() {
        finish();
    }

    private void flush() {
        try {
            while (pending.hasRemaining()) {
                if (Fds.write(fd, pending) == Fds.AGAIN) {
                    waitForRoom();
                    return;
                }
            }
        } catch (NativeException e) {
            // EPIPE: the launcher is gone (interrupted); nobody is left to read it.
            warnings.accept("command FIFO: the reader of " + name + " went away before its reply: " + e.getMessage());
        }
        finish();
    }

    private void waitForRoom() {
        if (writable == null) {
            writable = reactor.register(fd, Interest.WRITE, ready -> flush());
            deadline = reactor.schedule(WRITE_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS, () -> {
                deadline = null;
                warnings.accept("command FIFO: " + name + " took nothing of its reply for "
                        + WRITE_TIMEOUT.toSeconds() + " s: dropped it");
                finish();
            });
        }
    }

    private void finish() {
        if (done) {
            return;
        }
        done = true;
        if (writable != null) {
            writable.cancel();
        }
        if (deadline != null) {
            deadline.cancel();
        }
        Fds.close(fd);
        for (Runnable action : closeActions) {
            run(action);
        }
        closeActions.clear();
        closed.run();
    }

    private void run(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            warnings.accept("close action of a command FIFO request failed: " + e);
        }
    }
}
