package dev.tend.config;

import java.util.regex.Pattern;

/**
 * A {@code [lazy.NAME]} table: workers started on demand ({@code tend require}) under any name that matches
 * {@code pattern}; {@code {name}} in the command is replaced by that name. Callers never supply a command.
 *
 * @param name    the table name.
 * @param pattern a glob ({@code *} and {@code ?}) the requested names must match.
 * @param max     how many such workers may run at once.
 * @param worker  how each one runs; its command still holds the {@code {name}} placeholder.
 */
public record LazyConfig(String name, String pattern, int max, WorkerSettings worker) {

    /** Whether a requested worker name matches this declaration's pattern. */
    public boolean matches(String workerName) {
        return globRegex(pattern).matcher(workerName).matches();
    }

    static Pattern globRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*') {
                regex.append(".*");
            } else if (c == '?') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
