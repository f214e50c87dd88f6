package dev.tend.cli;

import dev.tend.client.ControlClient;
import dev.tend.instance.RunningInstances;
import dev.tend.json.Json;
import dev.tend.protocol.ExitCode;
import dev.tend.protocol.InstanceStatus;
import dev.tend.protocol.Protocol;
import dev.tend.protocol.Request;
import dev.tend.protocol.WorkerEntry;
import dev.tend.text.Human;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tend ls}: the running instances this user can reach. */
@Command(name = "ls", mixinStandardHelpOptions = true,
        header = "List the running instances: name, config file, pid, uptime, workers ready.",
        description = {"One row per running instance this user can reach (the runtime directories of TEND_RUNTIME_DIR, or /run/tend, $XDG_RUNTIME_DIR/tend and the temporary one): its name, the pid and uptime of its tend up, how many of its workers are ready, and the configuration file it was started from.",
            "Each instance is asked for its workers (a ps); one that does not answer within --timeout shows ? for them."})
final class LsCommand implements Callable<Integer> {
    @Option(names = "--json",
            description = "Print one JSON object: {\"instances\": [{name, pid, config, uptime_ms, ready, workers}, ...]}.")
    boolean json;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "2s", converter = DurationConverter.class,
            description = "How long to wait for each instance's answer (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    /** What is listed of one instance; ready and workers are -1 when it did not answer. */
    record Row(String name, long pid, String config, long uptimeMillis, int ready, int workers) {
        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(Protocol.NAME, name);
            m.put(Protocol.PID, pid);
            m.put(Protocol.CONFIG, config);
            m.put(Protocol.UPTIME_MS, uptimeMillis);
            m.put(Protocol.READY, ready < 0 ? null : (long) ready);
            m.put(Protocol.WORKERS, workers < 0 ? null : (long) workers);
            return m;
        }
    }

    @Override
    public Integer call() {
        List<Row> rows = new ArrayList<>();
        for (RunningInstances.Found found : RunningInstances.list(System.getenv())) {
            rows.add(row(found));
        }
        if (json) {
            List<Object> instances = new ArrayList<>();
            rows.forEach(r -> instances.add(r.toJson()));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("instances", instances);
            System.out.println(Json.write(out));
        } else if (rows.isEmpty()) {
            System.out.println("no running instance");
        } else {
            System.out.print(table(rows));
        }
        return ExitCode.OK.code();
    }

    private Row row(RunningInstances.Found found) {
        long uptime = ProcessHandle.of(found.pid()).flatMap(p -> p.info().startInstant())
                .map(start -> Math.max(0, Duration.between(start, Instant.now()).toMillis())).orElse(0L);
        String config = found.config().map(Path::toString).orElse("");
        int ready = -1;
        int workers = -1;
        try {
            Map<String, Object> reply = ControlClient.request(found.dir().controlSocket(), new Request.Ps().toJson(),
                    event -> { }, timeout);
            if (Boolean.TRUE.equals(reply.get(Protocol.OK))) {
                InstanceStatus status = InstanceStatus.fromJson(reply);
                workers = status.workers().size();
                ready = (int) status.workers().stream().filter(WorkerEntry::readyOrFinished).count();
                config = status.config();
            }
        } catch (IOException | RuntimeException e) {
            // stopped, wedged or gone since it was found: listed with what its directory says
        }
        return new Row(found.name(), found.pid(), config, uptime, ready, workers);
    }

    private static String table(List<Row> rows) {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"NAME", "PID", "UPTIME", "READY", "CONFIG"});
        for (Row r : rows) {
            cells.add(new String[] {r.name(), Long.toString(r.pid()), Human.elapsed(Duration.ofMillis(r.uptimeMillis())),
                r.workers() < 0 ? "?" : r.ready() + "/" + r.workers(), r.config().isEmpty() ? "-" : r.config()});
        }
        int[] widths = new int[cells.get(0).length];
        for (String[] row : cells) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : cells) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + (widths[i] + 2) + "s", row[i]));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }
}
