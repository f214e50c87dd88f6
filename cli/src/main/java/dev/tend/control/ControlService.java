package dev.tend.control;

import dev.tend.engine.FailureReport;
import dev.tend.engine.LogLine;
import dev.tend.engine.Operations;
import dev.tend.engine.Supervisor;
import dev.tend.engine.WorkerStatus;
import dev.tend.protocol.ExitCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The operations of the control socket, mapped onto the engine's {@link Operations}: one JSON request in,
 * JSON lines out. Runs on the event loop's thread. The request and reply shapes are documented in
 * docs/control-protocol.md; every reply ends with {@code "ok"}, and failures carry tend's exit code.
 */
public final class ControlService implements ControlHandler {
    /** Extra per-worker facts that live outside the engine (the state file's version and age). */
    public interface WorkerFacts {
        /** JSON fields to add to a worker's entry. */
        Map<String, Object> of(String worker);
    }

    private final Supervisor supervisor;
    private final WorkerFacts facts;
    private final LongSupplier epochMillis;
    private final long pid;

    public ControlService(Supervisor supervisor, WorkerFacts facts, LongSupplier epochMillis, long pid) {
        this.supervisor = supervisor;
        this.facts = facts;
        this.epochMillis = epochMillis;
        this.pid = pid;
    }

    @Override
    public void handle(Map<String, Object> request, Reply reply) {
        String op = String.valueOf(request.get("op"));
        Operations ops = supervisor.operations();
        try {
            switch (op) {
                case "ps" -> reply.end(ps());
                case "start" -> ops.start(targets(request), wait(request), r -> answer(reply, r));
                case "stop" -> ops.stop(targets(request), wait(request), r -> answer(reply, r));
                case "restart" -> ops.restart(targets(request), wait(request), r -> answer(reply, r));
                case "scale" -> ops.scale(string(request, "pool"), count(request), wait(request),
                        r -> answer(reply, r));
                case "require" -> ops.require(strings(request, "names"), Duration.ofMillis(number(request,
                        "timeout_ms", 30_000)), r -> answer(reply, r));
                case "reload" -> ops.reloadFromDisk(r -> answer(reply, r));
                case "down" -> ops.down(r -> answer(reply, r));
                case "logs" -> logs(request, reply);
                default -> reply.fail(ExitCode.USAGE, "unknown op \"" + op + "\"; known: ps, start, stop, restart, scale, require,"
                        + " reload, down, logs");
            }
        } catch (BadRequest e) {
            reply.fail(ExitCode.USAGE, e.getMessage());
        }
    }

    private Map<String, Object> ps() {
        List<Object> workers = workers(supervisor.status());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ok", true);
        out.put("instance", supervisor.config().instanceName());
        out.put("pid", pid);
        out.put("config", supervisor.config().file().toString());
        out.put("stopping", supervisor.stopping());
        out.put("workers", workers);
        return out;
    }

    private List<Object> workers(List<WorkerStatus> statuses) {
        long now = epochMillis.getAsLong();
        List<Object> workers = new ArrayList<>();
        for (WorkerStatus w : statuses) {
            workers.add(worker(w, now));
        }
        return workers;
    }

    private Map<String, Object> worker(WorkerStatus w, long now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", w.name());
        m.put("pool", w.pool());
        m.put("instance", w.instance());
        m.put("state", w.state().label());
        m.put("pid", w.pid());
        m.put("ready", w.ready());
        m.put("uptime_ms", w.pid() > 0 && w.startedEpochMillis() > 0 ? Math.max(0, now - w.startedEpochMillis()) : 0);
        m.put("state_since_epoch_ms", w.stateSinceMillis());
        m.put("restarts", w.restarts());
        m.put("failures", w.failures());
        m.put("attempts", w.attempts());
        m.put("last_exit", w.lastExit());
        m.put("reason", w.reason());
        m.put("status", w.status());
        m.putAll(facts.of(w.name()));
        return m;
    }

    private void answer(Reply reply, Operations.Result r) {
        List<Object> workers = workers(r.workers());
        List<Object> failures = new ArrayList<>();
        for (FailureReport f : r.failures()) {
            failures.add(failure(f));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ok", r.ok());
        if (r.ok()) {
            out.put("message", r.message());
        } else {
            out.put("error", r.message());
            out.put("code", r.code().code());
        }
        out.put("workers", workers);
        out.put("failures", failures);
        reply.end(out);
    }

    static Map<String, Object> failure(FailureReport f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("worker", f.worker());
        m.put("pool", f.pool());
        m.put("command", f.command());
        m.put("reason", f.reason());
        m.put("last_exit", f.lastExit());
        m.put("attempts", f.attempts());
        m.put("ran_for_ms", f.ranFor().toMillis());
        m.put("stderr", f.lastStderr());
        return m;
    }

    private void logs(Map<String, Object> request, Reply reply) {
        List<String> targets = request.containsKey("targets") ? strings(request, "targets") : List.of();
        int lines = (int) Math.min(Integer.MAX_VALUE, number(request, "lines", 100));
        boolean follow = Boolean.TRUE.equals(request.get("follow"));
        List<LogLine> recent;
        try {
            recent = supervisor.operations().recentLogs(targets, Math.max(0, lines));
        } catch (IllegalArgumentException e) {
            reply.fail(ExitCode.NOT_FOUND, e.getMessage());
            return;
        }
        for (LogLine line : recent) {
            reply.send(logEvent(line));
        }
        if (!follow) {
            reply.end(Map.of("ok", true));
            return;
        }
        Runnable unsubscribe = supervisor.operations().followLogs(targets, line -> reply.send(logEvent(line)));
        reply.onClose(unsubscribe);
    }

    /** A log line as sent to clients. */
    static Map<String, Object> logEvent(LogLine line) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", "log");
        m.put("seq", line.sequence());
        m.put("time_ms", line.epochMillis());
        m.put("source", line.source());
        m.put("channel", line.channel().name().toLowerCase(java.util.Locale.ROOT));
        m.put("text", line.text());
        return m;
    }

    /** A request field of the wrong type or missing. */
    private static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message);
        }
    }

    private static List<String> targets(Map<String, Object> request) {
        return strings(request, "targets");
    }

    private static boolean wait(Map<String, Object> request) {
        Object v = request.get("wait");
        return v == null || Boolean.TRUE.equals(v);
    }

    private static String string(Map<String, Object> request, String key) {
        Object v = request.get(key);
        if (!(v instanceof String)) {
            throw new BadRequest("\"" + key + "\" must be a string");
        }
        return (String) v;
    }

    /** {@code "count"}: a number of workers, or a string such as {@code "4"} or {@code "50%"}. */
    private static String count(Map<String, Object> request) {
        Object v = request.get("count");
        if (v instanceof Long n) {
            return Long.toString(n);
        }
        if (v instanceof String s) {
            return s;
        }
        throw new BadRequest("\"count\" must be a number or a string such as \"50%\"");
    }

    private static long number(Map<String, Object> request, String key, long fallback) {
        Object v = request.get(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Long)) {
            throw new BadRequest("\"" + key + "\" must be an integer");
        }
        return (Long) v;
    }

    private static List<String> strings(Map<String, Object> request, String key) {
        Object v = request.get(key);
        if (!(v instanceof List<?> list)) {
            throw new BadRequest("\"" + key + "\" must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof String)) {
                throw new BadRequest("\"" + key + "\" must be an array of strings");
            }
            out.add((String) o);
        }
        return out;
    }
}
