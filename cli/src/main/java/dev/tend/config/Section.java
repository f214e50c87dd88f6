package dev.tend.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.tomlj.TomlArray;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * One table of the parsed document with typed, reporting accessors: a value of the wrong type is recorded
 * as a {@link ConfigError} naming the key and its line, and the accessor returns null so that loading goes
 * on and every problem is reported at once.
 *
 * <p>Lines come from the parser: a key's line is where it is written, whether under a {@code [table]}
 * header, as a dotted key ({@code pool.web.count = 2}) or inside an inline table; a key that is missing is
 * reported on the line of its table.
 */
final class Section {
    private final String path;
    private final TomlTable table;
    private final int line;
    private final Problems problems;

    private Section(String path, TomlTable table, int line, Problems problems) {
        this.path = path;
        this.table = table;
        this.line = line;
        this.problems = problems;
    }

    /** The whole document; problems with it as a whole have no line. */
    static Section root(TomlTable document, Problems problems) {
        return new Section("", document, 0, problems);
    }

    /** The dotted key path of this table, such as {@code pool.web}; empty for the document. */
    String path() {
        return path;
    }

    String keyPath(String key) {
        if (key.isEmpty()) {
            return path;
        }
        return path.isEmpty() ? key : path + "." + key;
    }

    /** The line where {@code key} is written, else the line of this table (0 for the document). */
    int lineOf(String key) {
        TomlPosition at = key.isEmpty() || !table.contains(List.of(key)) ? null : table.inputPositionOf(List.of(key));
        return at == null ? line : at.line();
    }

    boolean has(String key) {
        return table.contains(List.of(key));
    }

    /** Reports a problem with {@code key} (empty: with this table) on its line. */
    void error(String key, String message) {
        problems.add(lineOf(key), keyPath(key), message);
    }

    /** Reports a problem with {@code key} (empty: with this table) on a line the parser does not know of. */
    void errorAt(int line, String key, String message) {
        problems.add(line, keyPath(key), message);
    }

    /** Reports keys not in {@code known}, suggesting the nearest known one. */
    void rejectUnknown(Set<String> known) {
        for (String key : table.keySet()) {
            if (!known.contains(key)) {
                String suggestion = Suggestions.nearest(key, known);
                error(key, "unknown key" + (suggestion == null ? "" : "; did you mean '" + suggestion + "'?")
                        + " (valid keys here: " + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
    }

    String string(String key) {
        Object v = raw(key);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        error(key, "must be a string, not " + typeName(v));
        return null;
    }

    Boolean bool(String key) {
        Object v = raw(key);
        if (v == null || v instanceof Boolean) {
            return (Boolean) v;
        }
        error(key, "must be true or false, not " + typeName(v));
        return null;
    }

    Long integer(String key, long min, long max) {
        Object v = raw(key);
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
        Object v = raw(key);
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

    /** A sub-table; an absent key gives an empty section, a value that is not a table an error and null. */
    Section table(String key) {
        Object v = raw(key);
        if (v == null) {
            return new Section(keyPath(key), table.getTableOrEmpty(List.of(key)), line, problems);
        }
        if (!(v instanceof TomlTable)) {
            error(key, "must be a table ([" + keyPath(key) + "]), not " + typeName(v));
            return null;
        }
        return new Section(keyPath(key), (TomlTable) v, lineOf(key), problems);
    }

    /** The sub-tables of this table, by name, in the order the file writes them. */
    Map<String, Section> tables() {
        Map<String, Section> out = new LinkedHashMap<>();
        for (String key : table.keySet()) {
            Section s = table(key);
            if (s != null) {
                out.put(key, s);
            }
        }
        return out;
    }

    /** The value of {@code key} as the parser gives it, or null. */
    Object raw(String key) {
        return table.get(List.of(key));
    }

    Set<String> keys() {
        return table.keySet();
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
        if (v instanceof TomlArray) {
            return "an array";
        }
        if (v instanceof TomlTable) {
            return "a table";
        }
        return "a date or time";
    }
}
