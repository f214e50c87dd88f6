package dev.tend.engine;

import dev.tend.config.Config;
import dev.tend.config.Dependency;
import dev.tend.config.LazyConfig;
import dev.tend.config.PoolConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The order {@code depends_on} sets: whether a worker may start (every pool it depends on has reached its
 * condition), and whether a worker may be stopped (no worker that depends on its pool still has a process).
 * Conditions are read from the workers' states, never stored, so they are always those of the moment.
 * Loop thread only; no I/O.
 */
final class StartOrder {
    private final Collection<Worker> workers;
    private Config seen;
    private Set<String> dependedOn = Set.of();

    /** @param workers the supervisor's workers (a live view). */
    StartOrder(Collection<Worker> workers) {
        this.workers = workers;
    }

    /** Whether some pool or lazy declaration of {@code config} names {@code pool} in its depends_on. */
    boolean dependedOn(Config config, String pool) {
        if (config != seen) {
            seen = config;
            Set<String> names = new HashSet<>();
            config.pools().values().stream().map(PoolConfig::worker)
                    .forEach(w -> w.start().dependsOn().forEach(d -> names.add(d.pool())));
            config.lazy().values().stream().map(LazyConfig::worker)
                    .forEach(w -> w.start().dependsOn().forEach(d -> names.add(d.pool())));
            dependedOn = names;
        }
        return dependedOn.contains(pool);
    }

    /** The dependencies of {@code worker} that do not hold now, in the order written. */
    List<Dependency> unmet(Worker worker) {
        return unmet(worker, new HashMap<>());
    }

    /** The same, with the conditions already worked out in this pass ({@code known}), which it adds to. */
    List<Dependency> unmet(Worker worker, Map<Dependency, Boolean> known) {
        List<Dependency> dependsOn = worker.spec.settings().start().dependsOn();
        if (dependsOn.isEmpty()) {
            return List.of();
        }
        List<Dependency> out = new ArrayList<>();
        for (Dependency d : dependsOn) {
            if (!known.computeIfAbsent(d, this::holds)) {
                out.add(d);
            }
        }
        return out;
    }

    /** Whether every worker of the pool has reached the condition (a pool without workers has). */
    private boolean holds(Dependency dependency) {
        for (Worker w : workers) {
            if (!w.retiring && w.spec.pool().equals(dependency.pool()) && !reached(w, dependency.condition())) {
                return false;
            }
        }
        return true;
    }

    private static boolean reached(Worker w, Dependency.Condition condition) {
        return switch (condition) {
            case STARTED -> w.state() == WorkerState.STARTING || w.state() == WorkerState.RUNNING || w.finishedCleanly();
            case READY -> w.readyOrFinished();
            case COMPLETED -> w.finishedCleanly();
        };
    }

    /** The pools some worker with a process depends on: their workers must not be stopped yet. */
    Set<String> heldUp() {
        Set<String> pools = new HashSet<>();
        for (Worker w : workers) {
            if (w.state().hasProcess()) {
                w.spec.settings().start().dependsOn().forEach(d -> pools.add(d.pool()));
            }
        }
        return pools;
    }

    /**
     * The workers that depend on one of {@code pools}, directly or through others, and are not at rest: they have
     * a process, or will have one by themselves (backing off, waiting).
     */
    List<Worker> runningDependents(Set<String> pools) {
        Set<String> reached = new HashSet<>(pools);
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Worker w : workers) {
                if (!reached.contains(w.spec.pool())
                        && w.spec.settings().start().dependsOn().stream().anyMatch(d -> reached.contains(d.pool()))) {
                    reached.add(w.spec.pool());
                    grew = true;
                }
            }
        }
        reached.removeAll(pools);
        return workers.stream().filter(w -> reached.contains(w.spec.pool()) && !w.state().atRest() && !w.retiring)
                .collect(Collectors.toList());
    }

    /** What a worker waits for, as {@code tend ps} shows it: {@code for db to be ready, migrate to complete}. */
    static String describe(List<Dependency> unmet) {
        return "for " + unmet.stream().map(d -> d.pool() + switch (d.condition()) {
            case STARTED -> " to start";
            case READY -> " to be ready";
            case COMPLETED -> " to complete";
        }).collect(Collectors.joining(", "));
    }
}
