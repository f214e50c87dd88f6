package dev.tend.cli;

import dev.tend.protocol.Op;
import dev.tend.protocol.Request;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tend restart}. */
@Command(name = "restart", mixinStandardHelpOptions = true,
        header = "Restart workers, pools or all, and wait until they are ready.",
        description = {"Stops then starts the targets, all at once or, with --rolling, one at a time; waits until they are ready again. Their consecutive failures count from zero again."})
final class RestartCommand extends TargetAction {
    @Option(names = "--rolling",
            description = {"One target at a time: each is started again and ready before the next is stopped. The restart stops at the first target not ready within 60s; the rest keep running."})
    boolean rolling;

    @Override
    Op op() {
        return Op.RESTART;
    }

    @Override
    Request request() {
        return new Request.Action(op(), targets, !noWait, rolling);
    }
}
