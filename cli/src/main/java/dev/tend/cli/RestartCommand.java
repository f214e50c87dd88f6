package dev.tend.cli;

import dev.tend.protocol.Op;
import picocli.CommandLine.Command;

/** {@code tend restart}. */
@Command(name = "restart", mixinStandardHelpOptions = true,
        header = "Restart workers, pools or all, and wait until they are ready.",
        description = {"Stops then starts the targets (all at once); waits until they are ready again."})
final class RestartCommand extends TargetAction {
    @Override
    Op op() {
        return Op.RESTART;
    }
}
