package dev.tend.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The syntax of a {@code .env} file, as Symfony, Laravel and docker compose read it: {@code KEY=VALUE} lines,
 * blank lines and {@code #} comments, an optional {@code export} prefix, and three kinds of value:
 *
 * <ul>
 *   <li>unquoted: up to the end of the line or a {@code #} after white space (a comment), trimmed;
 *   <li>{@code 'single-quoted'}: literal, no escapes and no references; may span lines;
 *   <li>{@code "double-quoted"}: the escapes {@code \n}, {@code \t}, {@code \r}, {@code \\}, {@code \"} and
 *       {@code \$} (any other backslash is kept as written); may span lines.
 * </ul>
 *
 * <p>Unquoted and double-quoted values may hold {@link Interpolation references}; they are expanded by whoever
 * uses the entries, against the values before them. No I/O.
 */
final class DotEnv {
    /**
     * One variable.
     *
     * @param line   the line its name is on.
     * @param value  the value, escapes decoded; references not yet expanded.
     * @param expand whether {@code value} holds references ({@code $$} for a literal {@code $}).
     */
    record Entry(int line, String key, String value, boolean expand) {}

    /** A line that cannot be read: what is wrong and how to fix it. */
    record Problem(int line, String key, String message) {}

    /**
     * @param entries  the variables, in file order (a name may appear twice: the later wins).
     * @param problems the lines that could not be read; the other lines are still read.
     */
    record Parsed(List<Entry> entries, List<Problem> problems) {}

    private final String text;
    private int at;
    private int line = 1;
    private final List<Entry> entries = new ArrayList<>();
    private final List<Problem> problems = new ArrayList<>();

    private DotEnv(String text) {
        this.text = text;
    }

    static Parsed parse(String text) {
        DotEnv p = new DotEnv(text);
        p.all();
        return new Parsed(List.copyOf(p.entries), List.copyOf(p.problems));
    }

    private void all() {
        while (at < text.length()) {
            skipBlanks();
            if (at >= text.length()) {
                return;
            }
            char c = text.charAt(at);
            if (c == '\n') {
                newline();
            } else if (c == '#') {
                skipLine();
            } else {
                int start = line;
                try {
                    variable();
                } catch (Bad e) {
                    problems.add(new Problem(start, e.key, e.getMessage()));
                    skipLine();
                }
            }
        }
    }

    /** A variable's line, from its name on. */
    private void variable() throws Bad {
        if (text.startsWith("export", at) && at + 6 < text.length() && " \t".indexOf(text.charAt(at + 6)) >= 0) {
            at += 6;
            skipBlanks();
        }
        int nameStart = at;
        while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || "_.-".indexOf(text.charAt(at)) >= 0)) {
            at++;
        }
        String key = text.substring(nameStart, at);
        if (key.isEmpty()) {
            throw new Bad("", "expected a line KEY=VALUE, a # comment or a blank line, not \"" + restOfLine() + "\"");
        }
        if (!Character.isLetter(key.charAt(0)) && key.charAt(0) != '_' || !key.chars().allMatch(
                ch -> ch == '_' || ch < 128 && Character.isLetterOrDigit(ch))) {
            throw new Bad(key, "\"" + key + "\" is not a variable name: letters, digits and '_', not starting with a"
                    + " digit");
        }
        skipBlanks();
        if (at >= text.length() || text.charAt(at) != '=') {
            throw new Bad(key, at >= text.length() || text.charAt(at) == '\n' || text.charAt(at) == '\r'
                    ? "no '=' after the name: write " + key + "= for an empty value"
                    : "expected '=' after the name, not \"" + restOfLine() + "\"; quote a value that holds spaces");
        }
        at++;
        int afterEquals = at;
        skipBlanks();
        if (at >= text.length()) {
            entries.add(new Entry(line, key, "", false));
            return;
        }
        int keyLine = line;
        char c = text.charAt(at);
        if (c == '\'') {
            entries.add(new Entry(keyLine, key, singleQuoted(key), false));
            afterQuote(key);
        } else if (c == '"') {
            entries.add(new Entry(keyLine, key, doubleQuoted(key), true));
            afterQuote(key);
        } else {
            entries.add(new Entry(keyLine, key, unquoted(at > afterEquals), true));
        }
    }

    private String singleQuoted(String key) throws Bad {
        int close = text.indexOf('\'', at + 1);
        if (close < 0) {
            at = text.length();
            throw new Bad(key, "the value's ' is never closed; end the value with '");
        }
        String value = text.substring(at + 1, close);
        countLines(value);
        at = close + 1;
        return value;
    }

    private String doubleQuoted(String key) throws Bad {
        StringBuilder out = new StringBuilder();
        int i = at + 1;
        int lines = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"') {
                at = i + 1;
                line += lines;
                return out.toString();
            }
            if (c == '\\' && i + 1 < text.length()) {
                char e = text.charAt(i + 1);
                switch (e) {
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'r' -> out.append('\r');
                    case '\\' -> out.append('\\');
                    case '"' -> out.append('"');
                    // Kept for the expansion that follows, which reads $$ as one literal $.
                    case '$' -> out.append("$$");
                    default -> out.append('\\').append(e);
                }
                if (e == '\n') {
                    lines++;
                }
                i += 2;
                continue;
            }
            if (c == '\n') {
                lines++;
            }
            out.append(c);
            i++;
        }
        // What follows would be read as part of the value: the rest of the file cannot be trusted.
        at = text.length();
        throw new Bad(key, "the value's \" is never closed; end the value with \" (write \\\" for a quote inside it)");
    }

    /** @param spaced whether white space came before the value, so that a # there starts a comment. */
    private String unquoted(boolean spaced) {
        int start = at;
        int end = start;
        while (end < text.length() && text.charAt(end) != '\n') {
            if (text.charAt(end) == '#' && (end == start ? spaced : Character.isWhitespace(text.charAt(end - 1)))) {
                break;
            }
            end++;
        }
        String value = text.substring(start, end).strip();
        at = end;
        skipLine();
        return value;
    }

    /** After a closing quote: only white space and a comment may follow on the line. */
    private void afterQuote(String key) throws Bad {
        skipBlanks();
        if (at < text.length() && text.charAt(at) == '\r') {
            at++;
        }
        if (at >= text.length() || text.charAt(at) == '\n' || text.charAt(at) == '#') {
            skipLine();
            return;
        }
        throw new Bad(key, "unexpected \"" + restOfLine() + "\" after the closing quote; put the whole value inside"
                + " the quotes");
    }

    private void skipBlanks() {
        while (at < text.length() && (text.charAt(at) == ' ' || text.charAt(at) == '\t')) {
            at++;
        }
    }

    /** Moves past the end of the current line. */
    private void skipLine() {
        while (at < text.length() && text.charAt(at) != '\n') {
            at++;
        }
        if (at < text.length()) {
            newline();
        }
    }

    private void newline() {
        at++;
        line++;
    }

    private void countLines(String s) {
        line += (int) s.chars().filter(ch -> ch == '\n').count();
    }

    private String restOfLine() {
        int end = text.indexOf('\n', at);
        return text.substring(at, end < 0 ? text.length() : end).strip();
    }

    /** A line that cannot be read; carries the variable's name when it was read. */
    private static final class Bad extends Exception {
        private static final long serialVersionUID = 1L;
        private final String key;

        Bad(String key, String message) {
            super(message, null, false, false);
            this.key = key;
        }
    }
}
