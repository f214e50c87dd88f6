package dev.tend.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A validated {@code tend.toml}.
 *
 * @param file             the configuration file (absolute).
 * @param name             the {@code name} key, if set; see {@link #instanceName()}.
 * @param failFast         whether one worker given up stops everything.
 * @param pools            the pools, in file order.
 * @param lazy             the lazily started worker declarations, in file order.
 * @param maxSnapshotBytes the largest snapshot of state one worker may publish.
 */
public record Config(Path file, Optional<String> name, boolean failFast, Map<String, PoolConfig> pools,
                     Map<String, LazyConfig> lazy, long maxSnapshotBytes) {
    public Config {
        pools = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(pools));
        lazy = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(lazy));
    }

    /** The same configuration under another instance name ({@code tend up --name}). */
    public Config withName(String instance) {
        return new Config(file, Optional.of(instance), failFast, pools, lazy, maxSnapshotBytes);
    }

    /** The instance name: the {@code name} key, else the name of the directory holding the file. */
    public String instanceName() {
        return name.orElseGet(() -> InstanceNames.fromDirectory(file.getParent()));
    }
}
