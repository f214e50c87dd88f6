package dev.tend.cli;

import dev.tend.instance.RunPhase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tend run}. */
@Command(name = "run", mixinStandardHelpOptions = true,
        header = "Start every pool, run a command once all are ready, then stop everything.",
        description = {"Starts every pool, waits until every worker is ready, runs COMMAND with the instance's environment (TEND_SOCKET, TEND_NAME, …), then stops everything gracefully and exits with COMMAND's exit code. If a worker is given up, the ready timeout passes or the instance is stopped (tend down) first, COMMAND is not run and the exit code is 4, after the failure reports if any. A worker given up while COMMAND runs is reported, and the exit code is 1 if COMMAND passes (unless --ignore-worker-failure). Ctrl-C or SIGTERM tears down at any point (exit 128 + the signal)."})
final class RunCommand implements Callable<Integer> {
    @Mixin
    StartOptions start;

    @Option(names = "--ready-timeout", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
            description = "How long the workers have to become ready (default: ${DEFAULT-VALUE}).")
    Duration readyTimeout;

    @Option(names = "--ignore-worker-failure",
            description = "Exit with COMMAND's exit code even if a worker was given up while it ran (default: exit 1 then).")
    boolean ignoreWorkerFailure;

    @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "The command to run, after --.")
    List<String> command;

    @Override
    public Integer call() throws Exception {
        return start.run(new RunPhase(command, readyTimeout, !ignoreWorkerFailure));
    }
}
