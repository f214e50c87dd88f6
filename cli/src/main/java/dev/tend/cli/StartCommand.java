package dev.tend.cli;

import dev.tend.protocol.Op;
import picocli.CommandLine.Command;

/** {@code tend start}. */
@Command(name = "start", mixinStandardHelpOptions = true,
        header = "Start workers, pools or all, and wait until they are ready.",
        description = {"Starts the targets that are not running (also ones held by `tend stop` or given up). Waits until they are ready; exits 1 with the worker's report if one fails first."})
final class StartCommand extends TargetAction {
    @Override
    Op op() {
        return Op.START;
    }
}
