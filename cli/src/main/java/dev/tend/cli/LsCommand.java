package dev.tend.cli;

import dev.tend.client.ControlClient;
import dev.tend.control.LsRows;
import dev.tend.instance.RunningInstances;
import dev.tend.json.Json;
import dev.tend.protocol.ExitCode;
import dev.tend.protocol.InstanceRow;
import dev.tend.protocol.InstanceStatus;
import dev.tend.protocol.Protocol;
import dev.tend.protocol.Request;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
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

    @Override
    public Integer call() {
        List<InstanceRow> rows = new ArrayList<>();
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
            System.out.print(InstanceRow.table(rows));
        }
        return ExitCode.OK.code();
    }

    private InstanceRow row(RunningInstances.Found found) {
        long uptime = LsRows.uptimeMillis(found.pid());
        try {
            Map<String, Object> reply = ControlClient.request(found.dir().controlSocket(), new Request.Ps().toJson(),
                    event -> { }, timeout);
            if (Boolean.TRUE.equals(reply.get(Protocol.OK))) {
                return InstanceRow.answered(found.name(), found.pid(), uptime, InstanceStatus.fromJson(reply));
            }
        } catch (IOException | RuntimeException e) {
            // stopped, wedged or gone since it was found: listed with what its directory says
        }
        return new InstanceRow(found.name(), found.pid(), found.config().map(Path::toString).orElse(""), uptime, -1, -1);
    }
}
