package dev.tend.cli;

import dev.tend.protocol.Op;
import picocli.CommandLine.Command;

/** {@code tend stop}. */
@Command(name = "stop", mixinStandardHelpOptions = true,
        header = "Stop workers, pools or all gracefully, and hold them stopped.",
        description = {"Stops the targets the usual way (stdin closed, stop_signal, the process group killed after the grace) and holds them stopped until `tend start`. Waits until they have ended."})
final class StopCommand extends TargetAction {
    @Override
    Op op() {
        return Op.STOP;
    }
}
