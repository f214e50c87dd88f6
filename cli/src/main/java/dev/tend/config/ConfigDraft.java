package dev.tend.config;

import dev.tend.os.Signal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@code tend.toml} says, between parsing and validation: each value already read into its type
 * and checked on its own. A key that is absent, or written with a value that was refused (and reported),
 * is empty; {@link Defaults} fills in the absent ones.
 *
 * @param file     the configuration file (absolute).
 * @param top      the document, to report problems against.
 * @param name     the {@code name} key.
 * @param failFast the {@code fail_fast} key.
 * @param defaults the settings written at the top level for every pool and lazy declaration.
 * @param pools    the {@code [pool.*]} tables, in file order.
 * @param lazy     the {@code [lazy.*]} tables, in file order.
 * @param maxSnapshotBytes {@code [state] max_snapshot}.
 */
record ConfigDraft(Path file, Section top, Optional<String> name, Optional<Boolean> failFast, Worker defaults,
                   List<Pool> pools, List<Lazy> lazy, Optional<Long> maxSnapshotBytes) {
    ConfigDraft {
        pools = List.copyOf(pools);
        lazy = List.copyOf(lazy);
    }

    /** The directory relative paths start from. */
    Path directory() {
        return file.getParent();
    }

    /**
     * How the workers of one table run, as written in it.
     *
     * @param where the table, to report problems against.
     * @param cwd   the {@code cwd} key as written (relative to the file's directory, or absolute).
     * @param env   the {@code env} table; {@link Defaults} merges the top-level {@code [env]} under it.
     * @param startWindow the {@code start_window} key.
     * @param dependsOn   the {@code depends_on} key (pools and lazy declarations only: never a default).
     * @param health      the {@code health} table of a pool or lazy declaration (never taken from the top level).
     * @param stopSignalAfter the {@code stop_signal_after} key.
     */
    record Worker(Section where, Optional<Command> command, Optional<String> cwd, Map<String, String> env,
                  Optional<RestartPolicy> restart, Optional<Duration> backoffMin, Optional<Duration> backoffMax,
                  Optional<Integer> maxFailures, Optional<Duration> grace, Optional<Signal> stopSignal,
                  Optional<ReadyMode> ready, Optional<Duration> startWindow, List<DependsOn.Entry> dependsOn,
                  Optional<HealthCheck> health, Optional<Duration> stopSignalAfter) {
        Worker {
            env = Map.copyOf(env);
            dependsOn = List.copyOf(dependsOn);
        }

        /** The same table with its variables merged and expanded ({@link Variables}). */
        Worker withVariables(Optional<Command> expandedCommand, Optional<String> expandedCwd, Map<String, String> merged) {
            return new Worker(where, expandedCommand, expandedCwd, merged, restart, backoffMin, backoffMax, maxFailures,
                    grace, stopSignal, ready, startWindow, dependsOn, health, stopSignalAfter);
        }
    }

    /** A {@code [pool.NAME]} table. */
    record Pool(String name, Optional<Count> count, Worker worker) {}

    /** A {@code [lazy.NAME]} table. */
    record Lazy(String name, Optional<String> pattern, Optional<Integer> max, Worker worker) {}
}
