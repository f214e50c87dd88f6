package dev.tend.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each key and table of a TOML document is written, found by scanning the text.
 *
 * <p>toml4j gives values but no positions, and it silently drops a key written without a value
 * ({@code count =}). This scanner recovers both so that every configuration error can name its line.
 * It understands what {@code tend.toml} uses: tables, arrays of tables, quoted keys, comments, strings
 * (including multi-line ones) and arrays spanning lines.
 */
final class TomlSourceMap {
    private final Map<String, Integer> lines = new HashMap<>();
    private final List<String> emptyValues = new ArrayList<>();

    private TomlSourceMap() {}

    static TomlSourceMap scan(String text) {
        TomlSourceMap map = new TomlSourceMap();
        String[] rows = text.split("\r?\n", -1);
        String table = "";
        String multiline = null;
        int depth = 0;
        for (int i = 0; i < rows.length; i++) {
            int lineNo = i + 1;
            String row = rows[i];
            if (multiline != null) {
                if (row.contains(multiline)) {
                    multiline = null;
                }
                continue;
            }
            if (depth > 0) {
                depth += bracketBalance(stripComment(row));
                continue;
            }
            String line = stripComment(row).trim();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("[")) {
                boolean arrayTable = line.startsWith("[[");
                int close = line.lastIndexOf(arrayTable ? "]]" : "]");
                String inner = line.substring(arrayTable ? 2 : 1, close < 0 ? line.length() : close);
                table = normalizePath(inner);
                map.lines.putIfAbsent(table, lineNo);
                continue;
            }
            int eq = indexOutsideQuotes(line, '=');
            if (eq < 0) {
                continue;
            }
            String key = join(table, normalizePath(line.substring(0, eq)));
            map.lines.putIfAbsent(key, lineNo);
            String value = line.substring(eq + 1).trim();
            if (value.isEmpty()) {
                map.emptyValues.add(key);
                continue;
            }
            if (value.startsWith("\"\"\"") || value.startsWith("'''")) {
                String quote = value.substring(0, 3);
                if (value.indexOf(quote, 3) < 0) {
                    multiline = quote;
                }
            } else if (value.startsWith("[")) {
                depth = bracketBalance(value);
            }
        }
        return map;
    }

    /** The line where a key path or table header is first written, or 0. */
    int lineOf(String keyPath) {
        Integer line = lines.get(keyPath);
        return line == null ? 0 : line;
    }

    /** Key paths written with nothing after {@code =}. */
    List<String> emptyValues() {
        return emptyValues;
    }

    private static String join(String table, String key) {
        return table.isEmpty() ? key : table + "." + key;
    }

    /** {@code pool . "web"} becomes {@code pool.web}: the form used for lookups. */
    static String normalizePath(String dotted) {
        StringBuilder out = new StringBuilder();
        StringBuilder part = new StringBuilder();
        char quote = 0;
        for (char c : dotted.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    part.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '.') {
                out.append(out.length() > 0 ? "." : "").append(part.toString().trim());
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        out.append(out.length() > 0 ? "." : "").append(part.toString().trim());
        return out.toString();
    }

    private static String stripComment(String row) {
        int hash = indexOutsideQuotes(row, '#');
        return hash < 0 ? row : row.substring(0, hash);
    }

    private static int indexOutsideQuotes(String s, char target) {
        int[] found = {-1};
        forEachUnquoted(s, i -> {
            if (s.charAt(i) == target) {
                found[0] = i;
                return false;
            }
            return true;
        });
        return found[0];
    }

    private static int bracketBalance(String s) {
        int[] balance = {0};
        forEachUnquoted(s, i -> {
            char c = s.charAt(i);
            balance[0] += c == '[' ? 1 : c == ']' ? -1 : 0;
            return true;
        });
        return balance[0];
    }

    /**
     * Visits the index of every character outside TOML strings ("…" with backslash escapes, '…' literal),
     * the quotes themselves excluded, until {@code visit} returns false.
     */
    private static void forEachUnquoted(String s, java.util.function.IntPredicate visit) {
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote == '"') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (!visit.test(i)) {
                return;
            }
        }
    }
}
