package dev.tend.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.tomlj.TomlArray;

/**
 * Reads a pool's {@code watch}, {@code watch_ignore} and {@code watch_debounce} keys into {@link WatchSettings}.
 * Problems are reported at their key: a pattern that does not compile, a value of the wrong type, and
 * {@code watch_ignore} or {@code watch_debounce} without {@code watch} (they would do nothing). No I/O.
 */
final class WatchKeys {
    /** Keys of a pool (not of the top level, nor of a lazy declaration). */
    static final Set<String> KEYS = Set.of("watch", "watch_ignore", "watch_debounce");

    private WatchKeys() {}

    /** {@code base}: the pool's directory, which the patterns are relative to. */
    static WatchSettings read(Section s, Path base) {
        List<Glob> watch = patterns(s, "watch");
        List<Glob> ignore = patterns(s, "watch_ignore");
        Duration debounce = s.duration("watch_debounce");
        if (!s.has("watch")) {
            for (String key : List.of("watch_ignore", "watch_debounce")) {
                if (s.has(key)) {
                    s.error(key, "has no effect without watch: add watch = [\"src/\"] (what to restart the pool for), or"
                            + " remove " + key);
                }
            }
        }
        return new WatchSettings(base, watch, ignore, debounce == null ? WatchSettings.DEFAULT_DEBOUNCE : debounce);
    }

    private static List<Glob> patterns(Section s, String key) {
        Object raw = s.raw(key);
        List<Glob> out = new ArrayList<>();
        if (raw == null) {
            return out;
        }
        if (!(raw instanceof TomlArray array)) {
            s.error(key, "must be an array of paths or globs, such as [\"src/**/*.php\", \"config/\"], not "
                    + Section.typeName(raw));
            return out;
        }
        if (array.isEmpty()) {
            s.error(key, "empty: list " + (key.equals("watch") ? "what to restart the pool for, such as [\"src/\"]"
                    : "what not to restart it for, such as [\"var/**\", \"*.swp\"]") + ", or remove the key");
            return out;
        }
        for (int i = 0; i < array.size(); i++) {
            Object element = array.get(i);
            if (!(element instanceof String text)) {
                s.error(key, "every element must be a string (a path or glob), not " + Section.typeName(element));
                return List.of();
            }
            try {
                out.add(Glob.compile(text));
            } catch (IllegalArgumentException e) {
                s.error(key, e.getMessage());
            }
        }
        return out;
    }
}
