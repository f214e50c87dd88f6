package dev.tend.engine;

import dev.tend.config.Config;
import dev.tend.config.LazyConfig;
import dev.tend.config.PoolConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * What a reload changes, decided from the old and new configurations alone.
 *
 * @param added       pools only the new configuration has: started.
 * @param removed     pools only the old one has: stopped and removed.
 * @param restarted   pools whose worker settings changed: their current workers (a {@code tend scale} holds)
 *                    restarted one at a time. Log file settings do not count: the output sink follows them.
 * @param resized     pools whose {@code count} in the file changed: scaled to it (after their restart, when
 *                    also restarted). Until the file's count changes, a pool keeps the size it was scaled to.
 * @param unchanged   pools neither restarted nor resized: their workers keep running.
 * @param lazyChanged lazy declarations added, removed or changed: their running workers are restarted
 *                    (or stopped, when removed).
 */
public record ReloadPlan(List<String> added, List<String> removed, List<String> restarted, List<String> resized,
                         List<String> unchanged, List<String> lazyChanged) {

    /** Compares two configurations; {@code processors} sizes CPU-share counts. */
    public static ReloadPlan between(Config before, Config after, int processors) {
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> restarted = new ArrayList<>();
        List<String> resized = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        for (PoolConfig pool : after.pools().values()) {
            PoolConfig old = before.pools().get(pool.name());
            if (old == null) {
                added.add(pool.name());
                continue;
            }
            boolean settings = !old.worker().withoutLog().equals(pool.worker().withoutLog());
            boolean size = old.count().resolve(processors) != pool.count().resolve(processors);
            if (settings) {
                restarted.add(pool.name());
            }
            if (size) {
                resized.add(pool.name());
            }
            if (!settings && !size) {
                unchanged.add(pool.name());
            }
        }
        for (String name : before.pools().keySet()) {
            if (!after.pools().containsKey(name)) {
                removed.add(name);
            }
        }
        List<String> lazyChanged = new ArrayList<>();
        for (LazyConfig lazy : before.lazy().values()) {
            LazyConfig next = after.lazy().get(lazy.name());
            if (next == null || !withoutLog(lazy).equals(withoutLog(next))) {
                lazyChanged.add(lazy.name());
            }
        }
        for (String name : after.lazy().keySet()) {
            if (!before.lazy().containsKey(name)) {
                lazyChanged.add(name);
            }
        }
        return new ReloadPlan(added, removed, restarted, resized, unchanged, lazyChanged);
    }

    private static LazyConfig withoutLog(LazyConfig lazy) {
        return new LazyConfig(lazy.name(), lazy.pattern(), lazy.max(), lazy.worker().withoutLog());
    }

    /** One line for the log: {@code reload: 1 added (db), 1 restarted (web), 2 unchanged}. */
    public String summary() {
        List<String> parts = new ArrayList<>();
        part(parts, "added", added);
        part(parts, "removed", removed);
        part(parts, "restarted", restarted);
        part(parts, "resized", resized);
        part(parts, "lazy changed", lazyChanged);
        parts.add(unchanged.size() + " unchanged");
        return String.join(", ", parts);
    }

    private static void part(List<String> parts, String what, List<String> names) {
        if (!names.isEmpty()) {
            parts.add(names.size() + " " + what + " (" + String.join(", ", names) + ")");
        }
    }
}
