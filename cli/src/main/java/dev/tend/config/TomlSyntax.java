package dev.tend.config;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;
import org.tomlj.TomlVersion;

/**
 * TOML 1.0 text to a tree of tables (tomlj), or the first syntax error, said so that it can be fixed.
 *
 * <p>Only the first error is reported: after one, the parser's recovery often reports the same mistake
 * again further down. Two mistakes get a message of their own, because the parser's would point away from
 * them: a key with no value ({@code count =}), reported on its key; and an array or multi-line string that
 * is never closed, reported on the line where it opens rather than where the parser noticed.
 */
final class TomlSyntax {
    /** What the parser says it expected where a value is missing. */
    private static final String EXPECTED_VALUE = "a number, a boolean, a date/time, an array, or a table";

    private TomlSyntax() {}

    static TomlTable parse(Path file, String text) throws ConfigException {
        TomlParseResult result = Toml.parse(text, TomlVersion.V1_0_0);
        if (!result.hasErrors()) {
            return result;
        }
        TomlParseError first = result.errors().stream()
                .min(Comparator.comparingInt((TomlParseError e) -> e.position().line())
                        .thenComparingInt(e -> e.position().column()))
                .orElseThrow();
        throw new ConfigException(List.of(describe(file, text, result, first)));
    }

    private static ConfigError describe(Path file, String text, TomlParseResult partial, TomlParseError error) {
        TomlPosition at = error.position();
        String message = error.getMessage();
        boolean atLineEnd = message.startsWith("Unexpected end of line") || message.startsWith("Unexpected end of input");
        if (atLineEnd && message.endsWith(EXPECTED_VALUE)) {
            Optional<String> key = keyWithoutValue(text, at.line());
            if (key.isPresent()) {
                return new ConfigError(file, at.line(), key.get(), "no value after '='; give one or remove the line");
            }
        }
        String closer = message.contains("expected \"\"\"") ? "\"\"\"" : message.contains("expected '''") ? "'''"
                : message.contains("expected ]") ? "]" : null;
        if (closer != null) {
            Optional<Map.Entry<List<String>, TomlPosition>> open = lastKeyBefore(partial, at);
            boolean opensOneOfThose = open.isPresent() && (closer.equals("]")
                    ? partial.get(open.get().getKey()) instanceof TomlArray
                    : partial.get(open.get().getKey()) instanceof String);
            if (opensOneOfThose && open.get().getValue().line() < at.line()) {
                String key = String.join(".", open.get().getKey());
                String opener = closer.equals("]") ? "[" : closer;
                return new ConfigError(file, open.get().getValue().line(), "", "TOML syntax error: Unterminated value: "
                        + key + " = " + opener + " … has no closing " + closer + " (line " + at.line() + ", column "
                        + at.column() + ": " + message + ")");
            }
        }
        return new ConfigError(file, at.line(), "", "TOML syntax error: " + message + " (column " + at.column() + ")"
                + hint(message));
    }

    private static String hint(String message) {
        if (message.startsWith("Invalid escape sequence") || message.startsWith("Invalid unicode escape")) {
            return "; in a \"basic string\" write \\\\ for a backslash, or use a 'literal string', which has no escapes";
        }
        if (message.startsWith("Integer is too large")) {
            return "; TOML integers stop at " + Long.MAX_VALUE + ", and tend's are far smaller: count is 1 to "
                    + Count.MAX_WORKERS + ", max_failures 1 to " + ConfigParser.MAX_FAILURES_LIMIT + ", max 1 to "
                    + ConfigParser.LAZY_MAX_LIMIT;
        }
        if (message.startsWith("Unexpected end of line") && message.contains("expected }")) {
            return "; an inline table { … } must be written on one line";
        }
        return "";
    }

    /**
     * The key written on {@code line} with nothing after its '='. The parser drops such a key, so this
     * parses the text again with a placeholder value after the '=' and asks where the key went.
     */
    private static Optional<String> keyWithoutValue(String text, int line) {
        String[] rows = text.split("\n", -1);
        if (line < 1 || line > rows.length) {
            return Optional.empty();
        }
        String row = rows[line - 1];
        int equals = firstEqualsOutsideQuotes(row);
        if (equals < 0) {
            return Optional.empty();
        }
        rows[line - 1] = row.substring(0, equals + 1) + " 0" + row.substring(equals + 1);
        TomlParseResult again = Toml.parse(String.join("\n", rows), TomlVersion.V1_0_0);
        if (again.errors().stream().anyMatch(e -> e.position().line() <= line)) {
            return Optional.empty();
        }
        return again.entryPathSet(true).stream()
                .map(Map.Entry::getKey)
                .filter(path -> again.inputPositionOf(path).line() == line)
                .max(Comparator.comparingInt(List::size))
                .map(path -> String.join(".", path));
    }

    /** The key written last before {@code at}, with its position. */
    private static Optional<Map.Entry<List<String>, TomlPosition>> lastKeyBefore(TomlParseResult partial,
                                                                                  TomlPosition at) {
        Comparator<TomlPosition> order = Comparator.comparingInt(TomlPosition::line).thenComparingInt(TomlPosition::column);
        return partial.entryPathSet(true).stream()
                .map(entry -> Map.entry(entry.getKey(), partial.inputPositionOf(entry.getKey())))
                .filter(entry -> order.compare(entry.getValue(), at) < 0)
                .max(Comparator.comparing(Map.Entry::getValue, order));
    }

    /** The index of the first '=' in {@code row} outside a quoted key, or -1. */
    private static int firstEqualsOutsideQuotes(String row) {
        char quote = 0;
        for (int i = 0; i < row.length(); i++) {
            char c = row.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote == '"') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '=') {
                return i;
            }
        }
        return -1;
    }
}
