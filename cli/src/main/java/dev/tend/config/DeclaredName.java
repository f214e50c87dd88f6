package dev.tend.config;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code name = "…"} line of a {@code tend.toml}, found without a TOML parser.
 *
 * <p>Client commands ({@code tend ps}, {@code tend stop}, …) need only the instance name to find the running
 * instance, and loading the parser would cost them more than the rest of their work. They take the first
 * line before any table header that is {@code name = "…"} (any TOML quotes, no escapes, which a valid
 * instance name never needs; a comment may follow). {@link ConfigParser} refuses a file whose {@code name}
 * key this reading would miss or misread, so clients and the instance always agree on the name.
 */
final class DeclaredName {
    /** {@code name = "…"}, with any of TOML's quotes around the key and the value, but no escapes. */
    private static final Pattern NAME_LINE = Pattern.compile("\\s*(?:name|\"name\"|'name')\\s*=\\s*"
            + "(?:\"\"\"([^\"\\\\]*)\"\"\"|'''([^']*)'''|\"([^\"\\\\]*)\"|'([^']*)')\\s*(?:#.*)?");
    private static final String[] MULTILINE_QUOTES = {"\"\"\"", "'''"};

    /** The name and the line it is written on (1-based). */
    record Found(String name, int line) {}

    private DeclaredName() {}

    static Optional<Found> in(String text) {
        String[] rows = text.split("\r?\n", -1);
        String insideString = null;
        for (int i = 0; i < rows.length; i++) {
            String row = rows[i];
            if (insideString != null) {
                if (row.contains(insideString)) {
                    insideString = null;
                }
                continue;
            }
            if (row.strip().startsWith("[")) {
                return Optional.empty();
            }
            Matcher m = NAME_LINE.matcher(row);
            if (m.matches()) {
                for (int group = 1; group <= m.groupCount(); group++) {
                    if (m.group(group) != null) {
                        return Optional.of(new Found(m.group(group), i + 1));
                    }
                }
            }
            insideString = multilineStringOpenedBy(row);
        }
        return Optional.empty();
    }

    /** The quotes of a multi-line string that {@code row} opens and does not close, or null. */
    private static String multilineStringOpenedBy(String row) {
        for (String quotes : MULTILINE_QUOTES) {
            int count = 0;
            for (int at = row.indexOf(quotes); at >= 0; at = row.indexOf(quotes, at + quotes.length())) {
                count++;
            }
            if (count % 2 == 1) {
                return quotes;
            }
        }
        return null;
    }
}
