package dev.tend.cli;

import dev.tend.cli.console.ConsoleOutput;
import dev.tend.config.Config;
import dev.tend.config.InstanceNames;
import dev.tend.engine.SupervisorSettings;
import dev.tend.instance.InstanceRunner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tend up}: runs every pool until stopped. */
@Command(name = "up", mixinStandardHelpOptions = true,
        header = "Run every pool and keep the workers alive.",
        description = {"Starts every pool and keeps its workers running; prints their output prefixed with",
            "the worker name. Ctrl-C or SIGTERM stops them gracefully (stdin closed, then the process",
            "group is killed after the grace period); a second Ctrl-C kills them at once; SIGHUP reloads.",
            "Exits 0 when stopped by a signal; when every worker has finished by itself, exits 0 if all",
            "succeeded and 1 if any was given up."})
final class UpCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Mixin
    OutputOptions output;

    @Option(names = "--name", paramLabel = "NAME", description = "Instance name (default: name in the config,"
            + " else the config file's directory name).")
    String name;

    @Override
    public Integer call() throws Exception {
        Config c = named(config.load(), name);
        try (ConsoleOutput out = output.console(c)) {
            return new InstanceRunner(c, settings(), out).run();
        } catch (InstanceRunner.AlreadyRunningException e) {
            throw new UserException(ExitCodes.FAILURE, e.getMessage());
        }
    }

    static Config named(Config config, String name) {
        if (name == null) {
            return config;
        }
        if (!InstanceNames.isValid(name)) {
            throw new UserException(ExitCodes.USAGE, "invalid instance name \"" + name + "\": " + InstanceNames.rule());
        }
        return config.withName(name);
    }

    static SupervisorSettings settings() {
        return new SupervisorSettings(System.getenv(), childNofile(), Runtime.getRuntime().availableProcessors(),
                System::currentTimeMillis);
    }

    /** The soft RLIMIT_NOFILE tend was started with, which the launcher records before the JVM raises it. */
    static long childNofile() {
        String value = System.getProperty("tend.rlimit.nofile", "");
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
