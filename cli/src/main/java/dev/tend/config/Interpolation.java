package dev.tend.config;

import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Variable references in a configuration value: {@code ${VAR}}, {@code ${VAR:-default}} (the default when VAR
 * is unset or empty; the default may itself hold references) and {@code ${VAR:?message}} (an error with that
 * message when VAR is unset or empty); {@code $$} is a literal {@code $}. A {@code $} followed by anything else
 * is left as it is, so {@code $HOME} without braces, and the shell's {@code $1} or {@code $var} in an argument
 * of {@code sh -c}, are not touched. A reference to an unset variable without a default is an error, never an
 * empty string. No I/O.
 *
 * <p>A string key opts into expansion with {@link #expandKey}, which reports a problem at the key's line.
 */
public final class Interpolation {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** A reference that cannot be expanded: its message says which and how to fix it. */
    public static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message, null, false, false);
        }
    }

    private final String text;
    private final Function<String, String> lookup;
    private int at;

    private Interpolation(String text, Function<String, String> lookup) {
        this.text = text;
        this.lookup = lookup;
    }

    /**
     * {@code text} with its references replaced.
     *
     * @param lookup a variable's value, or null when it is unset.
     */
    public static String expand(String text, Function<String, String> lookup) throws Failure {
        if (text.indexOf('$') < 0) {
            return text;
        }
        Interpolation i = new Interpolation(text, lookup);
        return i.until(-1);
    }

    /**
     * {@code text}, the value of {@code key} in {@code where}, expanded; a problem is reported at the key's line
     * and gives an empty result.
     */
    static Optional<String> expandKey(Section where, String key, String text, Function<String, String> lookup) {
        try {
            return Optional.of(expand(text, lookup));
        } catch (Failure e) {
            where.error(key, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Reads up to the end of the text, or, inside a default ({@code openedAt} is where its {@code ${} is), up to
     * its closing brace, which it consumes.
     */
    private String until(int openedAt) throws Failure {
        boolean closingBrace = openedAt >= 0;
        StringBuilder out = new StringBuilder();
        while (at < text.length()) {
            char c = text.charAt(at);
            if (closingBrace && c == '}') {
                at++;
                return out.toString();
            }
            if (c == '$' && at + 1 < text.length() && text.charAt(at + 1) == '$') {
                out.append('$');
                at += 2;
            } else if (c == '$' && at + 1 < text.length() && text.charAt(at + 1) == '{') {
                out.append(reference());
            } else {
                out.append(c);
                at++;
            }
        }
        if (closingBrace) {
            throw unclosed(openedAt);
        }
        return out.toString();
    }

    /** One {@code ${…}} starting at {@link #at}. */
    private String reference() throws Failure {
        int start = at;
        at += 2;
        int nameEnd = at;
        while (nameEnd < text.length() && (text.charAt(nameEnd) == '_' || text.charAt(nameEnd) < 128
                && Character.isLetterOrDigit(text.charAt(nameEnd)))) {
            nameEnd++;
        }
        String name = text.substring(at, nameEnd);
        int close = text.indexOf('}', nameEnd);
        if (close < 0) {
            throw unclosed(start);
        }
        if (!NAME.matcher(name).matches()) {
            throw new Failure("\"" + text.substring(start, close + 1) + "\" does not name a variable (letters, digits"
                    + " and '_', not starting with a digit); write $$ for a literal $");
        }
        String value = lookup.apply(name);
        at = nameEnd;
        if (text.charAt(at) == '}') {
            at++;
            if (value == null) {
                throw unset(name);
            }
            return value;
        }
        String operator = text.startsWith(":-", at) ? ":-" : text.startsWith(":?", at) ? ":?" : "";
        if (operator.isEmpty()) {
            throw new Failure("\"${" + name + text.charAt(at) + "…\": after the name write }, :-default or :?message"
                    + " (e.g. ${" + name + ":-8080}); write $$ for a literal $");
        }
        at += 2;
        String rest = until(start);
        boolean missing = value == null || value.isEmpty();
        if (operator.equals(":-")) {
            return missing ? rest : value;
        }
        if (missing) {
            throw new Failure(name + (value == null ? " is not set" : " is empty") + ": "
                    + (rest.isEmpty() ? "it is required" : rest));
        }
        return value;
    }

    private Failure unclosed(int from) {
        return new Failure("\"" + text.substring(from) + "\": ${ without its closing }; write $$ for a literal $");
    }

    private static Failure unset(String name) {
        if (name.startsWith("TEND_")) {
            return new Failure("${" + name + "} is not set: tend sets the TEND_* variables for each worker as it"
                    + " starts, after the configuration is read; let the worker's shell expand it (command = \"… $"
                    + name + "\"), or write $${" + name + "} to pass the text on");
        }
        return new Failure("${" + name + "} is not set; set it in tend's environment, an env_file or an env table,"
                + " give a default (${" + name + ":-value}), or write $${" + name + "} for the text itself");
    }
}
