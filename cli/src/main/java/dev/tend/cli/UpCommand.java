package dev.tend.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code tend up}: runs every pool until stopped. */
@Command(name = "up", mixinStandardHelpOptions = true,
        header = "Run every pool and keep the workers alive.",
        description = {"Starts every pool and keeps its workers running; prints their output prefixed with the worker name. Ctrl-C or SIGTERM stops them gracefully (stdin closed, then the process group is killed after the grace period); a second Ctrl-C kills them at once; SIGHUP reloads.",
            "Exits 0 when stopped by a signal; when every worker has finished by itself, exits 0 if all succeeded and 1 if any was given up."})
final class UpCommand implements Callable<Integer> {
    @Mixin
    StartOptions start;

    @Override
    public Integer call() throws Exception {
        return start.run(null);
    }
}
