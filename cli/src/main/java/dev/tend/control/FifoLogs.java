package dev.tend.control;

import dev.tend.json.Json;
import dev.tend.logfile.LinePrinter;
import dev.tend.logfile.LogHistory;
import dev.tend.logfile.LogReplay;
import dev.tend.logfile.Since;
import dev.tend.protocol.ActionResult;
import dev.tend.protocol.ClientText;
import dev.tend.protocol.ExitCode;
import dev.tend.protocol.Op;
import dev.tend.protocol.Protocol;
import dev.tend.protocol.Request;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * {@code tend logs} (without {@code -f}) through the command FIFO: what the JVM client prints, rendered here by
 * the same code ({@link LogReplay}) from the same messages: the reply to a {@code ps} for the width of the name
 * column, then the reply to the {@code logs} request, whose history is read from the log files on the loop.
 *
 * <p>The launcher's request is a {@code logs} request of the control protocol holding the client's side too:
 * {@value #STYLE} ({@code plain} or {@code color}, as the launcher decided from its terminal and environment),
 * {@value #TIMESTAMPS}, {@value #SINCE} (the option's text, read here as the client reads it) and {@value #TZ}
 * (the launcher's {@code TZ}, absent when unset). The loop supervises workers, so it reads at most
 * {@value #MAX_FILE_BYTES} bytes of log files for one request (from their ends: the last 100 lines of a busy pool
 * take some 10 KiB); a history that needs more ({@code --since} far back, a large {@code -n}), a time zone that
 * may not be the launcher's, or a text the reply cannot carry (over 1 MiB, a NUL byte) is answered
 * {@code fallback}, before any output, and the JVM client reads it.
 */
final class FifoLogs {
    static final String STYLE = "style";
    static final String TIMESTAMPS = "timestamps";
    static final String SINCE = "since";
    static final String TZ = "tz";
    /**
     * Most bytes of log files read on the loop for one request: about 10 ms (850 KiB of a file took 6 to 10 ms more
     * than none, measured through the launcher on a busy 2-core machine).
     */
    static final long MAX_FILE_BYTES = 1 << 20;

    private final ControlHandler handler;
    private final FifoReply reply;

    FifoLogs(ControlHandler handler, FifoReply reply) {
        this.handler = handler;
        this.reply = reply;
    }

    static boolean asks(FifoRequest request) {
        return Op.LOGS.wireName().equals(request.request().get(Protocol.OP));
    }

    void answer(Map<String, Object> request) {
        List<String> targets;
        Integer lines;
        String since;
        boolean timestamps;
        LinePrinter.Style style;
        Object tz = request.get(TZ);
        try {
            targets = texts(request.get(Protocol.TARGETS));
            lines = request.get(Protocol.LINES) == null ? null : count(request.get(Protocol.LINES));
            since = request.get(SINCE) == null ? null : (String) request.get(SINCE);
            timestamps = Boolean.TRUE.equals(request.get(TIMESTAMPS));
            style = "color".equals(request.get(STYLE)) ? LinePrinter.Style.COLOR : LinePrinter.Style.PLAIN;
            if (tz != null && !(tz instanceof String)) {
                throw new ClassCastException("tz");
            }
        } catch (ClassCastException | IllegalArgumentException e) {
            reply.fail(ExitCode.USAGE, "malformed request from the launcher: bad logs members");
            return;
        }
        if ((timestamps || since != null) && !Objects.equals(tz, System.getenv("TZ"))) {
            // Local times would be tend's, not the launcher's.
            reply.fallback();
            return;
        }
        long sinceMillis;
        try {
            sinceMillis = since == null ? Long.MIN_VALUE : Since.parse(since, System.currentTimeMillis());
        } catch (IllegalArgumentException e) {
            reply.fail(ExitCode.USAGE, e.getMessage());
            return;
        }
        int limit = LogReplay.limit(lines, since != null);
        Map<String, Object>[] status = collect(Map.of(Protocol.OP, Op.PS.wireName(), Protocol.TABLE, true), e -> { });
        LinePrinter printer = new LinePrinter(style, 4, timestamps);
        StringBuilder err = new StringBuilder();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (status[0] != null && Boolean.TRUE.equals(status[0].get(Protocol.OK))) {
            printer.widen(LogReplay.nameWidth(status[0]));
        }
        LogReplay replay = new LogReplay(printer, new LogHistory(LogReplay.sources(targets), sinceMillis, limit,
                text -> err.append("tend logs: ").append(text).append('\n'), MAX_FILE_BYTES), out::writeBytes);
        Map<String, Object> last;
        try {
            last = collect(new Request.Logs(targets, limit, false, true).toJson(), replay::event)[0];
            if (last == null) {
                // Not answered at once (no operation of this tend does so): the JVM client waits for it.
                reply.fallback();
                return;
            }
            replay.end();
        } catch (LogHistory.TooLong e) {
            reply.fallback();
            return;
        }
        ClientText text = ClientText.action(ActionResult.fromJson(last));
        out.writeBytes(text.out().getBytes(StandardCharsets.UTF_8));
        err.append(text.err());
        reply.endWith(FifoReply.encode(out.toByteArray(), err.toString(), text.code().code(), true));
    }

    /**
     * Hands {@code request} to the handler as the control socket does (through JSON text, as it reads it), each
     * event to {@code events} (as the client reads it); returns the final message, null if it did not come at once.
     */
    @SuppressWarnings("unchecked")
    private Map<String, Object>[] collect(Map<String, Object> request, Consumer<Map<String, Object>> events) {
        Map<String, Object>[] last = new Map[1];
        List<Runnable> closing = new ArrayList<>();
        handler.handle(Json.parseObject(Json.write(request)), new Reply() {
            @Override
            public void send(Map<String, Object> message) {
                if (last[0] == null) {
                    events.accept(Json.parseObject(Json.write(message)));
                }
            }

            @Override
            public void end(Map<String, Object> message) {
                if (last[0] == null) {
                    last[0] = Json.parseObject(Json.write(message));
                    closing.forEach(Runnable::run);
                }
            }

            @Override
            public boolean open() {
                return last[0] == null;
            }

            @Override
            public void onClose(Runnable action) {
                closing.add(action);
            }
        });
        if (last[0] == null) {
            closing.forEach(Runnable::run);
        }
        return last;
    }

    private static List<String> texts(Object value) {
        List<String> texts = new ArrayList<>();
        for (Object o : value == null ? List.of() : (List<?>) value) {
            texts.add((String) o);
        }
        return texts;
    }

    private static int count(Object value) {
        long n = ((Number) value).longValue();
        if (n < 0 || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("lines");
        }
        return (int) n;
    }
}
