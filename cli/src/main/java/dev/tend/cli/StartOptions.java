package dev.tend.cli;

import dev.tend.cli.console.ConsoleOutput;
import dev.tend.config.Config;
import dev.tend.config.Names;
import dev.tend.engine.CodeWatch;
import dev.tend.engine.RarePaths;
import dev.tend.engine.SupervisorSettings;
import dev.tend.instance.InstanceRunner;
import dev.tend.os.NativeException;
import dev.tend.os.NativeWarmUp;
import dev.tend.protocol.ExitCode;
import dev.tend.state.StateException;
import java.io.IOException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What {@code tend up} and {@code tend run} share: which configuration, under which name, printed how. */
final class StartOptions {
    @Mixin
    ConfigOptions config;

    @Mixin
    OutputOptions output;

    @Option(names = "--name", paramLabel = "NAME", description = "Instance name (default: name in the config,"
            + " else the config file's directory name).")
    String name;

    @Option(names = "--watch", description = "Restart a pool, one worker at a time, when files its watch key lists"
            + " change (for development; off unless given, so production can keep watch in the file).")
    boolean watch;

    /** Loads the configuration, runs the instance (with {@code companion}, or none) and returns its exit code. */
    int run(InstanceRunner.Companion companion) throws Exception {
        // The native bindings and the classes of a worker's first restart load on the other core while this one
        // parses the configuration: the first come before the first worker can start, the others before its first
        // restart.
        NativeWarmUp warmUp = NativeWarmUp.start(RarePaths::load);
        Config c;
        try {
            c = config.load();
        } finally {
            warmUp.await();
        }
        if (name != null) {
            if (!Names.INSTANCE.isValid(name)) {
                throw new UserException(ExitCode.USAGE, Names.INSTANCE.invalid(name));
            }
            c = c.withName(name);
        }
        try (ConsoleOutput out = output.console(c)) {
            return new InstanceRunner(c, settings(), out, watch).run(companion);
        } catch (CodeWatch.CannotWatch e) {
            throw new UserException(ExitCode.FAILURE, "cannot watch for --watch: " + e.getMessage());
        } catch (InstanceRunner.AlreadyRunningException e) {
            throw new UserException(ExitCode.FAILURE, e.getMessage());
        } catch (IOException | NativeException | StateException e) {
            // The runtime directory, its lock, socket or state file could not be set up: nothing was started.
            throw new UserException(ExitCode.FAILURE, "cannot set up instance " + c.instanceName() + ": "
                    + e.getMessage());
        }
    }

    private static SupervisorSettings settings() {
        return new SupervisorSettings(System.getenv(), childNofile(), Runtime.getRuntime().availableProcessors(),
                System::currentTimeMillis);
    }

    /** The soft RLIMIT_NOFILE tend was started with, which the launcher records before the JVM raises it. */
    private static long childNofile() {
        String value = System.getProperty("tend.rlimit.nofile", "");
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
