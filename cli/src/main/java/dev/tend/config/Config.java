package dev.tend.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A validated {@code tend.toml}.
 *
 * @param file             the configuration file (absolute).
 * @param name             the {@code name} key, if set; see {@link #instanceName()}.
 * @param failFast         whether one worker given up stops everything.
 * @param pools            the pools, in file order.
 * @param lazy             the lazily started worker declarations, in file order.
 * @param maxSnapshotBytes the largest snapshot of state one worker may publish.
 * @param timestamps       the top-level {@code timestamps} key: time stamps on the lines tend prints.
 */
public record Config(Path file, Optional<String> name, boolean failFast, Map<String, PoolConfig> pools,
                     Map<String, LazyConfig> lazy, long maxSnapshotBytes, boolean timestamps) {
    public Config {
        pools = Collections.unmodifiableMap(new LinkedHashMap<>(pools));
        lazy = Collections.unmodifiableMap(new LinkedHashMap<>(lazy));
    }

    /** The same configuration under another instance name ({@code tend up --name}). */
    public Config withName(String instance) {
        return new Config(file, Optional.of(instance), failFast, pools, lazy, maxSnapshotBytes, timestamps);
    }

    /** The worker settings of the pool or lazy declaration called {@code poolOrLazy}, if there is one. */
    public Optional<WorkerSettings> workerSettings(String poolOrLazy) {
        PoolConfig pool = pools.get(poolOrLazy);
        if (pool != null) {
            return Optional.of(pool.worker());
        }
        return Optional.ofNullable(lazy.get(poolOrLazy)).map(LazyConfig::worker);
    }

    /** The longest grace of any pool or lazy declaration; zero without any. */
    public Duration longestGrace() {
        return Stream.concat(pools.values().stream().map(PoolConfig::worker),
                        lazy.values().stream().map(LazyConfig::worker))
                .map(WorkerSettings::grace).max(Duration::compareTo).orElse(Duration.ZERO);
    }

    /** The instance name: the {@code name} key, else the name of the directory holding the file. */
    public String instanceName() {
        return name.orElseGet(() -> Names.instanceFromDirectory(file.getParent()));
    }
}
