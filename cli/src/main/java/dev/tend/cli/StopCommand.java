package dev.tend.cli;

import dev.tend.protocol.Op;
import dev.tend.protocol.Request;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tend stop}. */
@Command(name = "stop", mixinStandardHelpOptions = true,
        header = "Stop workers, pools or all gracefully, and hold them stopped.",
        description = {"Stops the targets the usual way (stdin closed, stop_signal, the process group killed after the grace) and holds them stopped until `tend start`. Waits until they have ended.",
            "A target that other workers depend on (depends_on) is not stopped while they run: the stop is refused with exit code 1, naming them; --with-dependents stops them first."})
final class StopCommand extends TargetAction {
    @Option(names = "--with-dependents",
            description = "Also stop the workers that depend on the targets, directly or not: they first, the targets once they are gone.")
    boolean withDependents;

    @Override
    Op op() {
        return Op.STOP;
    }

    @Override
    Request request() {
        return new Request.Action(op(), targets, !noWait, Request.Action.DEFAULT_ROLLING, withDependents);
    }
}
