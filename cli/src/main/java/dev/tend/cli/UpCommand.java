package dev.tend.cli;

import dev.tend.cli.console.ConsoleOutput;
import dev.tend.cli.console.LinePrinter;
import dev.tend.config.Config;
import dev.tend.engine.Supervisor;
import dev.tend.engine.SupervisorSettings;
import dev.tend.os.Fds;
import dev.tend.os.Reactor;
import dev.tend.os.Signal;
import dev.tend.os.SignalRelay;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tend up}: runs every pool until stopped. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Starts every pool and keeps its workers running; prints their output prefixed with",
            "the worker name. Ctrl-C or SIGTERM stops them gracefully (stdin closed, then the process",
            "group is killed after the grace period); a second Ctrl-C kills them at once.",
            "Exits 0 when stopped by a signal; when every worker has finished by itself, exits 0 if all",
            "succeeded and 1 if any was given up."})
final class UpCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "auto",
            description = "auto (colors on a terminal unless NO_COLOR is set), plain, color, or journal"
                    + " (sd-daemon <N> priority prefixes for journald). Default: ${DEFAULT-VALUE}.")
    LogFormat logFormat;

    enum LogFormat { auto, plain, color, journal }

    @Override
    public Integer call() throws Exception {
        Config c = config.load();
        LinePrinter printer = new LinePrinter(style(), 4);
        c.pools().values().forEach(p -> printer.widen(p.name().length() + 1
                + Integer.toString(p.count().resolve(Runtime.getRuntime().availableProcessors())).length()));
        try (ConsoleOutput output = new ConsoleOutput(printer);
             Reactor reactor = new Reactor(UpCommand::internalError)) {
            Supervisor supervisor = new Supervisor(c, settings(), output, reactor);
            SignalRelay.install(reactor, Set.of(Signal.TERM, Signal.INT, Signal.HUP), supervisor::onSignal);
            reactor.execute(supervisor::start);
            reactor.run();
            return supervisor.exitCode();
        }
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

    private LinePrinter.Style style() {
        return switch (logFormat) {
            case plain -> LinePrinter.Style.PLAIN;
            case color -> LinePrinter.Style.COLOR;
            case journal -> LinePrinter.Style.JOURNAL;
            case auto -> Fds.isTerminal(1) && System.getenv("NO_COLOR") == null
                    && !"dumb".equals(System.getenv("TERM")) ? LinePrinter.Style.COLOR : LinePrinter.Style.PLAIN;
        };
    }

    private static void internalError(Throwable t) {
        System.err.println("tend: internal error in the event loop: " + t);
        t.printStackTrace(System.err);
    }
}
