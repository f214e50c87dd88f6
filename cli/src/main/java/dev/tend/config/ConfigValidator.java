package dev.tend.config;

import dev.tend.config.ConfigDraft.Worker;
import dev.tend.config.FileSystemCheck.Launch;
import dev.tend.text.Human;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The third stage of loading: the rules a {@link ConfigDraft} with its defaults applied must follow as a
 * whole. Every pool and lazy declaration has a command, every lazy declaration a pattern, no
 * {@code backoff_min} is longer than its {@code backoff_max}, and the file declares something to run. Then it
 * builds the {@link Config} and lists what {@link FileSystemCheck} must look at. No I/O.
 */
final class ConfigValidator {
    /**
     * @param config   the configuration; only to be used when no stage reported a problem.
     * @param launches the working directories and programs to check on the file system.
     */
    record Validated(Config config, List<Launch> launches) {}

    private ConfigValidator() {}

    /** {@code environment}: tend's own, under the variables of the file, for {@code ${VAR}} in {@code log_file}. */
    static Validated validate(ConfigDraft draft, Map<String, String> environment) {
        List<Launch> launches = new ArrayList<>();
        Map<String, PoolConfig> pools = new LinkedHashMap<>();
        LogSettings topLog = LogKeys.read(draft.top(), LogSettings.NONE, draft.directory(),
                name -> Variables.lookup(environment, draft.defaults().env(), name));
        ResourceLimits topLimits = ResourceLimitKeys.read(draft.top(), ResourceLimits.NONE);
        for (ConfigDraft.Pool pool : draft.pools()) {
            Optional<JobSettings> job = JobKeys.read(pool.worker().where());
            job.ifPresent(j -> onlyOneWorker(pool));
            Optional<WorkerSettings> settings = settings(pool.worker(), draft.directory(), topLog, topLimits, environment,
                    launches, job);
            if (settings.isPresent() && pool.count().isPresent()) {
                pools.put(pool.name(), new PoolConfig(pool.name(), pool.count().get(), settings.get()));
            }
        }
        Map<String, LazyConfig> lazy = new LinkedHashMap<>();
        for (ConfigDraft.Lazy declaration : draft.lazy()) {
            Section where = declaration.worker().where();
            if (declaration.pattern().isEmpty() && !where.has("pattern")) {
                where.error("pattern", "missing: the names this declaration starts, as a glob like \"redis-*\"");
            }
            Optional<WorkerSettings> settings = settings(declaration.worker(), draft.directory(), topLog, topLimits,
                    environment, launches, Optional.empty());
            if (settings.isPresent() && declaration.pattern().isPresent() && declaration.max().isPresent()) {
                lazy.put(declaration.name(), new LazyConfig(declaration.name(), declaration.pattern().get(),
                        declaration.max().get(), settings.get()));
            }
        }
        checkDependencies(draft);
        Section top = draft.top();
        if (!top.has("pool") && !top.has("lazy")) {
            top.error("pool", "no pools defined; add a table such as [pool.web] with a command");
        }
        Boolean timestamps = top.bool(LogKeys.TIMESTAMPS);
        Config config = new Config(draft.file(), draft.name(), draft.failFast().orElse(false), pools, lazy,
                draft.maxSnapshotBytes().orElse(Defaults.MAX_SNAPSHOT), timestamps != null && timestamps);
        return new Validated(config, launches);
    }

    /** A job runs one process per run: several workers would each run the same job at the same times. */
    private static void onlyOneWorker(ConfigDraft.Pool pool) {
        if (pool.count().isPresent() && !pool.count().get().equals(new Count.Fixed(1))) {
            pool.worker().where().error("count", "a scheduled pool (schedule or every) runs one process per run: count"
                    + " must be 1 (got " + pool.count().get() + "); for jobs that run side by side, declare a pool each");
        }
    }

    private static void checkDependencies(ConfigDraft draft) {
        List<DependsOn.Node> nodes = new ArrayList<>();
        Map<String, RestartPolicy> pools = new LinkedHashMap<>();
        for (ConfigDraft.Pool pool : draft.pools()) {
            nodes.add(new DependsOn.Node(pool.name(), pool.worker().dependsOn()));
            pools.put(pool.name(), pool.worker().restart().orElse(null));
        }
        for (ConfigDraft.Lazy declaration : draft.lazy()) {
            nodes.add(new DependsOn.Node(declaration.name(), declaration.worker().dependsOn()));
        }
        DependsOn.check(nodes, pools);
        Set<String> jobs = new HashSet<>();
        draft.pools().stream().filter(p -> p.worker().where().has("schedule") || p.worker().where().has("every"))
                .forEach(p -> jobs.add(p.name()));
        for (DependsOn.Node node : nodes) {
            for (DependsOn.Entry e : node.entries()) {
                if (jobs.contains(e.dependency().pool()) && e.dependency().condition() == Dependency.Condition.COMPLETED) {
                    e.error(e.dependency().pool() + " is a scheduled job: it runs again at its times, so it never"
                            + " completes; depend on it as \"started\" or \"ready\"");
                }
            }
        }
    }

    /** A table's worker settings, when every one of them is valid; adds what to check on the file system. */
    private static Optional<WorkerSettings> settings(Worker w, Path directory, LogSettings topLog, ResourceLimits topLimits,
                                                     Map<String, String> environment, List<Launch> launches,
                                                     Optional<JobSettings> job) {
        Section where = w.where();
        LogSettings log = LogKeys.read(where, topLog, directory, name -> Variables.lookup(environment, w.env(), name));
        ResourceLimits limits = ResourceLimitKeys.read(where, topLimits);
        if (w.command().isEmpty() && !where.has("command")) {
            where.error("command", "missing: the program to run, as [\"program\", \"arg\"] or a shell command string");
        }
        if (w.backoffMin().isPresent() && w.backoffMax().isPresent()
                && w.backoffMin().get().compareTo(w.backoffMax().get()) > 0) {
            where.error(where.has("backoff_min") ? "backoff_min" : "backoff_max", "backoff_min ("
                    + Human.duration(w.backoffMin().get()) + ") is longer than backoff_max ("
                    + Human.duration(w.backoffMax().get()) + ")");
        }
        if (w.ready().orElse(null) == ReadyMode.HEALTHY && w.health().isEmpty() && !where.has("health")) {
            where.error("ready", "ready = \"healthy\" needs a health probe: add a [" + where.keyPath("health")
                    + "] table with exec, tcp or http" + (where.has("ready") ? "" : " (ready = \"healthy\" is set at the top"
                    + " level for every pool)"));
        }
        StopSignalRules.check(w);
        if (w.cwd().isEmpty() && where.has("cwd")) {
            return Optional.empty();
        }
        Path cwd = w.cwd().map(text -> directory.resolve(text).normalize()).orElse(directory);
        launches.add(new Launch(where, w.cwd(), cwd, w.command(), w.env()));
        WatchSettings watch = WatchKeys.read(where, cwd);
        if (w.command().isEmpty() || w.restart().isEmpty() || w.backoffMin().isEmpty() || w.backoffMax().isEmpty()
                || w.maxFailures().isEmpty() || w.grace().isEmpty() || w.ready().isEmpty() || w.startWindow().isEmpty()
                || w.health().isEmpty() && where.has("health") || w.stopSignalAfter().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new WorkerSettings(w.command().get(), cwd, w.env(), w.restart().get(), w.backoffMin().get(),
                w.backoffMax().get(), w.maxFailures().get(), w.grace().get(), w.stopSignal(), w.ready().get(),
                new StartRules(w.startWindow().get(), w.dependsOn().stream().map(DependsOn.Entry::dependency).toList()),
                w.health(), w.stopSignalAfter().get(), log, limits, watch, job));
    }
}
