package dev.tend.cli;

import dev.tend.json.Json;
import dev.tend.protocol.ExitCode;
import dev.tend.protocol.InstanceStatus;
import dev.tend.protocol.Protocol;
import dev.tend.protocol.ReadinessSummary;
import dev.tend.protocol.Request;
import dev.tend.protocol.StatusTable;
import dev.tend.protocol.WorkerEntry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tend ps}. */
@Command(name = "ps", aliases = "status", mixinStandardHelpOptions = true,
        header = "Show every worker: state, pid, readiness, restarts, published state.",
        description = {"A line naming the instance, its pid and its configuration file, then one row per worker: name, pid, state, ready, uptime, restarts, last exit, CPU use and resident memory (RSS) of its process group, and the version and age of its published state. Served from tend's memory and the state file without disturbing any worker.",
            "--ready: exits 0 only when every worker is ready (or finished its job), 1 otherwise: a readiness probe for Kubernetes or scripts."})
final class PsCommand implements Callable<Integer> {
    @Mixin
    InstanceOptions instance;

    @Mixin
    AnswerTimeout answer = new AnswerTimeout();

    @Option(names = "--json", description = "Print the status as one JSON object (see docs/control-protocol.md).")
    boolean json;

    @Option(names = "--ready", description = "Exit 0 if every worker is ready, 1 if not; print a one-line summary.")
    boolean ready;

    @Option(names = "--watch", description = "Keep the view on screen and up to date, as `tend top` does.")
    boolean watch;

    @Override
    public Integer call() {
        if (watch) {
            return TopCommand.watch(instance, answer.resolve(), "tend ps --watch");
        }
        boolean table = !json && !ready;
        Map<String, Object> reply = ClientCall.send(instance, answer.resolve(), new Request.Ps(table));
        if (!Boolean.TRUE.equals(reply.get(Protocol.OK))) {
            return ClientCall.report(reply, System.out, System.err);
        }
        if (json) {
            System.out.println(Json.write(reply));
            return ExitCode.OK.code();
        }
        List<String> lines = table ? StatusTable.fromJson(reply).orElse(null) : null;
        if (lines == null) {
            List<WorkerEntry> workers = InstanceStatus.fromJson(reply).workers();
            if (ready) {
                return readiness(workers);
            }
            lines = StatusTable.lines(workers);
        }
        StringBuilder out = new StringBuilder(header(reply)).append('\n');
        for (String line : lines) {
            out.append(line).append('\n');
        }
        System.out.print(out);
        return ExitCode.OK.code();
    }

    /** The line above the table: which instance this is, so that two of the same name are told apart. */
    static String header(Map<String, Object> reply) {
        return "instance " + reply.get(Protocol.INSTANCE) + " (pid " + reply.get(Protocol.PID) + ") from "
                + reply.get(Protocol.CONFIG) + (Boolean.TRUE.equals(reply.get(Protocol.STOPPING)) ? ", stopping" : "");
    }

    private static int readiness(List<WorkerEntry> workers) {
        ReadinessSummary summary = ReadinessSummary.of(workers);
        System.out.println(summary.line());
        return summary.exitCode().code();
    }
}
