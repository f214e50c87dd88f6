package dev.tend.cli;

import dev.tend.json.Json;
import dev.tend.protocol.ExitCode;
import dev.tend.text.Human;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tend ps}. */
@Command(name = "ps", aliases = "status", mixinStandardHelpOptions = true,
        header = "Show every worker: state, pid, readiness, restarts, published state.",
        description = {"One row per worker: name, pid, state, ready, uptime, restarts, last exit, and the version and age of its published state. Served from tend's memory and the state file without disturbing any worker.",
            "--ready: exits 0 only when every worker is ready (or finished its job), 1 otherwise: a readiness probe for Kubernetes or scripts."})
final class PsCommand implements Callable<Integer> {
    @Mixin
    InstanceOptions instance;

    @Option(names = "--json", description = "Print the status as one JSON object (see docs/control-protocol.md).")
    boolean json;

    @Option(names = "--ready", description = "Exit 0 if every worker is ready, 1 if not; print a one-line summary.")
    boolean ready;

    @Override
    public Integer call() {
        Map<String, Object> reply = ClientCall.send(instance, Map.of("op", "ps"));
        if (!Boolean.TRUE.equals(reply.get("ok"))) {
            return ClientCall.report(reply, System.out, System.err);
        }
        List<Map<String, Object>> workers = workers(reply);
        if (json) {
            System.out.println(Json.write(reply));
            return ExitCode.OK.code();
        }
        if (ready) {
            return readiness(workers);
        }
        System.out.print(table(workers));
        return ExitCode.OK.code();
    }

    private static int readiness(List<Map<String, Object>> workers) {
        List<String> waiting = new ArrayList<>();
        for (Map<String, Object> w : workers) {
            if (!isReady(w)) {
                waiting.add(w.get("name") + " (" + w.get("state") + ")");
            }
        }
        int done = workers.size() - waiting.size();
        System.out.println(done + "/" + workers.size() + " ready" + (waiting.isEmpty() ? "" : "; not ready: "
                + String.join(", ", waiting)));
        return (waiting.isEmpty() ? ExitCode.OK : ExitCode.FAILURE).code();
    }

    /** Ready, or done: a worker that finished its job cleanly does not hold a probe back. */
    static boolean isReady(Map<String, Object> w) {
        return Boolean.TRUE.equals(w.get("ready"))
                || ("exited".equals(w.get("state")) && "exit status 0".equals(w.get("last_exit")));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> workers(Map<String, Object> reply) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : (List<Object>) reply.getOrDefault("workers", List.of())) {
            out.add((Map<String, Object>) o);
        }
        return out;
    }

    static String table(List<Map<String, Object>> workers) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "PID", "STATE", "READY", "UPTIME", "RESTARTS", "LAST EXIT", "STATE VER", "AGE"});
        for (Map<String, Object> w : workers) {
            long pid = (Long) w.get("pid");
            long uptime = (Long) w.get("uptime_ms");
            Object version = w.get("state_version");
            Object age = w.get("state_age_ms");
            String status = String.valueOf(w.getOrDefault("status", ""));
            rows.add(new String[] {
                String.valueOf(w.get("name")),
                pid == 0 ? "-" : Long.toString(pid),
                w.get("state") + (status.isEmpty() ? "" : " (" + status + ")"),
                Boolean.TRUE.equals(w.get("ready")) ? "yes" : "no",
                pid == 0 ? "-" : Human.elapsed(Duration.ofMillis(uptime)),
                String.valueOf(w.get("restarts")),
                String.valueOf(w.get("last_exit")).isEmpty() ? "-" : String.valueOf(w.get("last_exit")),
                version instanceof Long v && v > 0 ? "v" + v : "-",
                age instanceof Long a && version instanceof Long v && v > 0 ? Human.elapsed(Duration.ofMillis(a)) : "-",
            });
        }
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(row[i]);
                if (i < row.length - 1) {
                    line.append(" ".repeat(widths[i] - row[i].length() + 2));
                }
            }
            b.append(line.toString().stripTrailing()).append('\n');
        }
        return b.toString();
    }
}
