package dev.tend.cli;

import dev.tend.config.Config;
import dev.tend.config.Count;
import dev.tend.config.Dependency;
import dev.tend.config.LazyConfig;
import dev.tend.config.PoolConfig;
import dev.tend.config.WorkerSettings;
import dev.tend.engine.FdBudget;
import dev.tend.engine.WorkerEnvironment;
import dev.tend.os.CurrentProcess;
import dev.tend.protocol.ExitCode;
import dev.tend.text.Human;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tend check}: validates a configuration without starting anything. */
@Command(name = "check", mixinStandardHelpOptions = true,
        header = "Validate the configuration without starting anything.",
        description = {"Validates the configuration without starting anything. Prints \"ok\" and one line per pool, or every error with its file, line and key (exit 2).",
            "With --show POOL, prints instead the command, working directory, stop sequence and environment of a pool (or lazy declaration) once every env_file, env table and $${VAR} is applied; values of variables whose names look secret (PASSWORD, SECRET, TOKEN, KEY, ...) and passwords in URLs are masked."})
final class CheckCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Option(names = "--show", paramLabel = "POOL",
            description = "Print the final command, cwd and environment of this pool or lazy declaration (secrets masked).")
    String show;

    @Override
    public Integer call() throws Exception {
        Config c = config.load();
        if (show != null) {
            WorkerSettings settings = c.workerSettings(show).orElseThrow(() -> new UserException(ExitCode.USAGE,
                    "--show: no pool or lazy declaration named " + show + " in " + c.file() + " (it has: "
                    + String.join(", ", names(c)) + ")"));
            int inherited = WorkerEnvironment.build(System.getenv(), settings.env(), Map.of()).size() - settings.env().size();
            PoolDetails.print((c.pools().containsKey(show) ? "pool " : "lazy ") + show, settings, inherited, System.out);
            return ExitCode.OK.code();
        }
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

    private static List<String> names(Config c) {
        List<String> names = new ArrayList<>(c.pools().keySet());
        names.addAll(c.lazy().keySet());
        return names;
    }

    private static String summary(WorkerSettings w) {
        return w.job().map(j -> "scheduled " + j.describe()).orElse("restart " + w.restart().configName())
                + ", grace " + Human.duration(w.grace())
                + w.stopSignal().map(s -> " + SIG" + s + (w.stopSignalAfter().isZero() ? ""
                        : " after " + Human.duration(w.stopSignalAfter()))).orElse("") + ", ready " + w.ready().configName()
                + (w.start().dependsOn().isEmpty() ? "" : ", after " + w.start().dependsOn().stream()
                        .map(Dependency::toString).collect(Collectors.joining(", ")))
                + w.health().map(h -> ", health " + h.probe().describe() + " every " + Human.duration(h.interval()))
                        .orElse("")
                + (w.limits().maxMemoryBytes().isPresent()
                        ? ", max_memory " + Human.bytes(w.limits().maxMemoryBytes().getAsLong()) : "")
                + (w.watch().enabled() ? ", restarted with --watch on " + w.watch().watch().stream().map(Object::toString)
                        .collect(Collectors.joining(", ")) : "")
                + ": " + w.command().display().replace("\n", "\\n");
    }
}
