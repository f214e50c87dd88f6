package dev.tend.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One table of the parsed document with typed, reporting accessors: a value of the wrong type is
 * recorded as a {@link ConfigError} naming the key and its line, and the accessor returns null so that
 * validation goes on and every problem is reported at once.
 */
final class Section {
    private final String path;
    private final Map<String, Object> values;
    private final Problems problems;

    /** Collects errors for one file, placing each on its line. */
    static final class Problems {
        private final Path file;
        private final TomlSourceMap source;
        private final List<ConfigError> errors = new ArrayList<>();

        Problems(Path file, TomlSourceMap source) {
            this.file = file;
            this.source = source;
        }

        /** Places the error on the key's line or, for a key that is missing, on its table's line. */
        void add(String key, String message) {
            int line = 0;
            for (String k = key; line == 0 && !k.isEmpty(); k = k.contains(".") ? k.substring(0, k.lastIndexOf('.')) : "") {
                line = source.lineOf(k);
            }
            errors.add(new ConfigError(file, line, key, message));
        }


        int lineOf(String key) {
            return source.lineOf(key);
        }

        List<ConfigError> sorted() {
            List<ConfigError> list = new ArrayList<>(errors);
            list.sort(Comparator.comparingInt(ConfigError::line));
            return list;
        }
    }

    Section(String path, Map<String, Object> values, Problems problems) {
        this.path = path;
        this.values = unquoted(values);
        this.problems = problems;
    }

    /** toml4j keeps the quotes of quoted keys ({@code [pool."a b"]} gives {@code "a b"}); drop them. */
    private static Map<String, Object> unquoted(Map<String, Object> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k.length() >= 2 && (k.startsWith("\"") && k.endsWith("\"")
                || k.startsWith("'") && k.endsWith("'")) ? k.substring(1, k.length() - 1) : k, v));
        return out;
    }

    String path() {
        return path;
    }

    String keyPath(String key) {
        if (key.isEmpty()) {
            return path;
        }
        return path.isEmpty() ? key : path + "." + key;
    }

    boolean has(String key) {
        return values.containsKey(key);
    }

    void error(String key, String message) {
        problems.add(keyPath(key), message);
    }

    /** Reports keys not in {@code known}, suggesting the nearest known one. */
    void rejectUnknown(Set<String> known) {
        for (String key : values.keySet()) {
            if (!known.contains(key)) {
                String suggestion = Suggestions.nearest(key, known);
                error(key, "unknown key" + (suggestion == null ? "" : "; did you mean '" + suggestion + "'?")
                        + " (valid keys here: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
            }
        }
    }

    String string(String key) {
        Object v = values.get(key);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        error(key, "must be a string, not " + typeName(v));
        return null;
    }

    Boolean bool(String key) {
        Object v = values.get(key);
        if (v == null || v instanceof Boolean) {
            return (Boolean) v;
        }
        error(key, "must be true or false, not " + typeName(v));
        return null;
    }

    Long integer(String key, long min, long max) {
        Object v = values.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Long)) {
            error(key, "must be an integer, not " + typeName(v));
            return null;
        }
        long n = (Long) v;
        if (n < min || n > max) {
            error(key, "must be between " + min + " and " + max + " (got " + n + ")");
            return null;
        }
        return n;
    }

    Duration duration(String key) {
        Object v = values.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String)) {
            error(key, "must be a duration string such as \"5s\" or \"250ms\", not " + typeName(v)
                    + (v instanceof Long ? " (write \"" + v + "s\" for seconds)" : ""));
            return null;
        }
        try {
            return Durations.parse((String) v);
        } catch (IllegalArgumentException e) {
            error(key, e.getMessage());
            return null;
        }
    }

    /** A sub-table; an absent key gives an empty section, a non-table value an error and null. */
    Section table(String key) {
        Object v = values.get(key);
        if (v == null) {
            return new Section(keyPath(key), Map.of(), problems);
        }
        if (!(v instanceof Map)) {
            error(key, "must be a table ([" + keyPath(key) + "]), not " + typeName(v));
            return null;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) v;
        return new Section(keyPath(key), map, problems);
    }

    /** Sub-tables of this table in the order the file writes them. */
    Map<String, Section> tablesInFileOrder() {
        List<String> keys = new ArrayList<>(values.keySet());
        keys.sort(Comparator.comparingInt(k -> lineOrMax(keyPath(k))));
        Map<String, Section> out = new LinkedHashMap<>();
        for (String k : keys) {
            Section s = table(k);
            if (s != null) {
                out.put(k, s);
            }
        }
        return out;
    }

    private int lineOrMax(String key) {
        int line = problems.lineOf(key);
        return line == 0 ? Integer.MAX_VALUE : line;
    }

    Object raw(String key) {
        return values.get(key);
    }

    Set<String> keys() {
        return values.keySet();
    }

    static String typeName(Object v) {
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof Long) {
            return "an integer";
        }
        if (v instanceof Double) {
            return "a float";
        }
        if (v instanceof Boolean) {
            return "a boolean";
        }
        if (v instanceof List) {
            return "an array";
        }
        if (v instanceof Map) {
            return "a table";
        }
        return "a date or time";
    }
}
