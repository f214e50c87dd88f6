package dev.tend.cli;

import dev.tend.protocol.Request;
import dev.tend.protocol.StatusText;
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
        StatusText.View view = json ? StatusText.View.JSON : ready ? StatusText.View.READY : StatusText.View.TABLE;
        Map<String, Object> reply = ClientCall.send(instance, answer.resolve(),
                new Request.Ps(view == StatusText.View.TABLE));
        return StatusText.of(reply, view).print(System.out, System.err);
    }
}
