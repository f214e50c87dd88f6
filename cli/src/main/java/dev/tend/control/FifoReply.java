package dev.tend.control;

import dev.tend.json.Json;
import dev.tend.os.Fds;
import dev.tend.os.Interest;
import dev.tend.os.NativeException;
import dev.tend.os.Reactor;
import dev.tend.protocol.ActionResult;
import dev.tend.protocol.ClientText;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The answer to one request of the command FIFO, written into the reply FIFO the launcher made: the text the
 * JVM client would print for the final message ({@link ClientText}), one line each: {@code out TEXT} for a line
 * of standard output, {@code tail TEXT} for the end of standard output when it does not end with a newline,
 * {@code err TEXT} for a line of standard error, then {@code end CODE}. Or, for a query whose text is larger
 * than {@link #MAX_PENDING_BYTES}, the single line {@code fallback}: the launcher then asks through the JVM
 * client (a query is safe to ask twice; an action's text is bounded, and cut if it is not); {@code fallback} too
 * when the request's printer has no text for the answer (FifoRequest#text). Intermediate events
 * are not sent (none of the operations taken here has any).
 *
 * <p>Never blocks the loop: the descriptor is non-blocking, what the pipe does not take at once is written
 * when it has room, and a launcher that takes nothing for {@link #WRITE_TIMEOUT}, or leaves more than
 * {@link #MAX_PENDING_BYTES} unread, is dropped. Loop thread only.
 */
final class FifoReply implements Reply {
    /** Longest time a reader may leave a reply unread before it is dropped. */
    static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);
    /** Largest reply sent. */
    static final int MAX_PENDING_BYTES = 1024 * 1024;
    /** Standard output larger than this is sent as one block ({@code bulk N}, see {@link #encode}). */
    static final int BULK_BYTES = 8 * 1024;
    private static final byte[] FALLBACK = "fallback\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OUT = "out ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TAIL = "tail ".getBytes(StandardCharsets.US_ASCII);

    private final Reactor reactor;
    private final int fd;
    private final String name;
    private final Consumer<String> warnings;
    private final Runnable closed;
    private final List<Runnable> closeActions = new ArrayList<>();
    private Function<Map<String, Object>, ClientText> printer = last -> ClientText.action(ActionResult.fromJson(last));
    private boolean query;
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

    /** Prints the final message as {@code request} says (an action's outcome until this is called). */
    void printAs(FifoRequest request) {
        printer = request::text;
        query = request.query();
    }

    /**
     * The bytes of the reply to {@code last}, the final message of the control protocol: {@code fallback} when
     * {@code printer} gives null; {@code query}: also when the text is too large.
     */
    static byte[] encode(Map<String, Object> last, Function<Map<String, Object>, ClientText> printer, boolean query) {
        // Through JSON text, as the JVM client reads it: the handler's map holds numbers of any boxed type.
        ClientText text = printer.apply(Json.parseObject(Json.write(last)));
        return text == null ? FALLBACK.clone() : encode(text, query);
    }

    /** The bytes of the reply that prints {@code text}; {@code query}: {@code fallback} when it is too large. */
    static byte[] encode(ClientText text, boolean query) {
        return encode(text.out().getBytes(StandardCharsets.UTF_8), text.err(), text.code().code(), query);
    }

    /**
     * The reply's lines for {@code out}, the bytes for standard output as they are: {@code out} per line,
     * {@code tail} for a last piece without newline; or, when it is larger than {@link #BULK_BYTES}, {@code bulk N}
     * and its N bytes (the shell's {@code read} takes a byte per system call from a pipe: the launcher copies a
     * large text with one {@code head -c}). Then {@code err} per line of {@code err}, and {@code end CODE}. For a
     * query, {@code fallback} when the reply would be larger than {@link #MAX_PENDING_BYTES} or {@code out} holds a
     * NUL byte (which the shell cannot hold in a line); an action's text is bounded (failure reports are), and cut
     * to fit if it is not.
     */
    static byte[] encode(byte[] out, String err, int code, boolean query) {
        boolean nul = false;
        for (byte b : out) {
            nul |= b == 0;
        }
        if (query && (nul || out.length > MAX_PENDING_BYTES)) {
            return FALLBACK.clone();
        }
        ByteArrayOutputStream reply = new ByteArrayOutputStream(out.length + 64);
        if (out.length > BULK_BYTES) {
            reply.writeBytes(("bulk " + out.length + "\n").getBytes(StandardCharsets.US_ASCII));
            reply.writeBytes(out);
        } else {
            int from = 0;
            for (int i = 0; i < out.length; i++) {
                if (out[i] == '\n') {
                    reply.writeBytes(OUT);
                    reply.write(out, from, i + 1 - from);
                    from = i + 1;
                }
            }
            if (from < out.length) {
                reply.writeBytes(TAIL);
                reply.write(out, from, out.length - from);
                reply.write('\n');
            }
        }
        for (String line : err.isEmpty() ? new String[0] : err.split("\n")) {
            reply.writeBytes(("err " + line + "\n").getBytes(StandardCharsets.UTF_8));
        }
        reply.writeBytes(("end " + code + "\n").getBytes(StandardCharsets.US_ASCII));
        if (reply.size() <= MAX_PENDING_BYTES) {
            return reply.toByteArray();
        }
        if (query) {
            return FALLBACK.clone();
        }
        // Never in practice: the start of each text, cut at a line, is kept.
        return encode(cut(out, MAX_PENDING_BYTES / 2), new String(cut(err.getBytes(StandardCharsets.UTF_8),
                MAX_PENDING_BYTES / 4), StandardCharsets.UTF_8), code, false);
    }

    /** The lines of {@code text} that fit in {@code most} bytes. */
    private static byte[] cut(byte[] text, int most) {
        if (text.length <= most) {
            return text;
        }
        int end = most;
        while (end > 0 && text[end - 1] != '\n') {
            end--;
        }
        return Arrays.copyOf(text, end);
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
        endWith(encode(last, printer, query));
    }

    /** Answers with {@code text}, for a request answered without the control protocol ({@link StateDesk}). */
    void print(ClientText text) {
        endWith(encode(text, true));
    }

    /** Ends with {@code bytes}, the whole reply as {@link #encode} or another answer made it. */
    void endWith(byte[] bytes) {
        if (ended || done) {
            return;
        }
        ended = true;
        pending = ByteBuffer.wrap(bytes);
        flush();
    }

    /** Ends with {@code fallback}: the launcher asks through the JVM client instead. */
    void fallback() {
        endWith(FALLBACK.clone());
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
