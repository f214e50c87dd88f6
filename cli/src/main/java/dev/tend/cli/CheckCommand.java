package dev.tend.cli;

import dev.tend.config.Config;
import dev.tend.config.Count;
import dev.tend.config.Dependency;
import dev.tend.config.LazyConfig;
import dev.tend.config.PoolConfig;
import dev.tend.config.WorkerSettings;
import dev.tend.engine.FdBudget;
import dev.tend.os.CurrentProcess;
import dev.tend.protocol.ExitCode;
import dev.tend.text.Human;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code tend check}: validates a configuration without starting anything. */
@Command(name = "check", mixinStandardHelpOptions = true,
        header = "Validate the configuration without starting anything.",
        description = {"Validates the configuration without starting anything. Prints \"ok\" and one line per pool, or every error with its file, line and key (exit 2)."})
final class CheckCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Override
    public Integer call() throws Exception {
        Config c = config.load();
        int processors = Runtime.getRuntime().availableProcessors();
        System.out.println("ok: " + c.file() + " (instance " + c.instanceName() + ")");
        for (PoolConfig pool : c.pools().values()) {
            int n = pool.count().resolve(processors);
            System.out.println("  pool " + pool.name() + ": " + n + " worker" + (n == 1 ? "" : "s")
                    + (pool.count() instanceof Count.CpuShare ? " (" + pool.count() + " of "
                    + processors + " processor" + (processors == 1 ? "" : "s") + ")" : "") + ", "
                    + summary(pool.worker()));
        }
        for (LazyConfig lazy : c.lazy().values()) {
            System.out.println("  lazy " + lazy.name() + ": names matching " + lazy.pattern() + ", up to " + lazy.max()
                    + ", " + summary(lazy.worker()));
        }
        // tend check runs under the same launcher, so with the limit tend up would have.
        FdBudget.warning(c, processors, CurrentProcess.openFileLimit())
                .ifPresent(warning -> System.err.println("tend: warning: " + warning));
        return ExitCode.OK.code();
    }

    private static String summary(WorkerSettings w) {
        return "restart " + w.restart().configName() + ", grace " + Human.duration(w.grace())
                + w.stopSignal().map(s -> " + SIG" + s).orElse("") + ", ready " + w.ready().configName()
                + (w.start().dependsOn().isEmpty() ? "" : ", after " + w.start().dependsOn().stream()
                        .map(Dependency::toString).collect(Collectors.joining(", ")))
                + w.health().map(h -> ", health " + h.probe().describe() + " every " + Human.duration(h.interval()))
                        .orElse("")
                + ": " + w.command().display().replace("\n", "\\n");
    }
}
