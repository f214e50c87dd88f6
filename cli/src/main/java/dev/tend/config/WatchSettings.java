package dev.tend.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a pool restarts for when tend runs with {@code --watch}: changes of the files its {@code watch} patterns
 * match and its {@code watch_ignore} patterns do not, after a {@code watch_debounce} without further changes.
 *
 * @param base     the directory the patterns are relative to: the pool's {@code cwd} (absolute).
 * @param watch    the {@code watch} patterns; empty when the pool watches nothing.
 * @param ignore   the {@code watch_ignore} patterns.
 * @param debounce how long after the last change the pool is restarted.
 */
public record WatchSettings(Path base, List<Glob> watch, List<Glob> ignore, Duration debounce) {
    /** How long a pool waits for more changes before restarting, unless {@code watch_debounce} says. */
    public static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(300);

    /** A pool that watches nothing. */
    public static final WatchSettings NONE = new WatchSettings(Path.of("/"), List.of(), List.of(), DEFAULT_DEBOUNCE);

    public WatchSettings {
        watch = List.copyOf(watch);
        ignore = List.copyOf(ignore);
    }

    /** Whether the pool watches anything. */
    public boolean enabled() {
        return !watch.isEmpty();
    }

    /** Whether a change of {@code path} (absolute) restarts the pool. */
    public boolean triggers(Path path) {
        String relative = relative(path);
        return !relative.isEmpty() && watch.stream().anyMatch(g -> g.matches(relative)) && !ignoredRelative(relative);
    }

    /** Whether {@code path} (absolute) is ignored: a directory that is ignored is not watched at all. */
    public boolean ignores(Path path) {
        String relative = relative(path);
        return !relative.isEmpty() && ignoredRelative(relative);
    }

    /** What must be watched to see every change the patterns match. */
    public List<Glob.Root> roots() {
        return watch.stream().map(g -> g.root(base)).distinct().toList();
    }

    private boolean ignoredRelative(String relative) {
        return ignore.stream().anyMatch(g -> g.matches(relative));
    }

    private String relative(Path path) {
        return base.relativize(path.normalize()).toString();
    }
}
