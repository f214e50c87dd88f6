package dev.tend.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A pattern of {@code watch} or {@code watch_ignore}, matched against paths relative to a pool's directory,
 * with {@code /} between names.
 *
 * <ul>
 *   <li>{@code *} matches within a name, {@code ?} one character, {@code [abc]}, {@code [a-z]} and {@code [!a]}
 *       a character of a set, {@code {php,twig}} one of the alternatives, {@code \} quotes the next character;
 *   <li>{@code **} as a whole name matches any number of directories, none included: {@code src/**}{@code /*.php}
 *       matches {@code src/a.php} and {@code src/a/b.php};
 *   <li>a pattern without {@code /} matches a name at any depth ({@code *.swp}, {@code node_modules}); one with
 *       a {@code /} (a trailing or leading one included: {@code config/}, {@code ./composer.json}) is anchored to
 *       the pool's directory;
 *   <li>a pattern that matches a directory matches everything below it.
 * </ul>
 *
 * Equal when written alike. No I/O.
 */
public final class Glob {
    private static final String WILD = "*?[{\\";

    /** Where a pattern's matches can be: the directory to watch, and how. */
    public enum Reach {
        /** Anywhere below the directory. */
        TREE,
        /** The path itself, no wildcard: everything below it if it is a directory, else the one file. */
        ENTRY
    }

    /**
     * The part of the file system a pattern can match.
     *
     * @param path  the directory (for {@link Reach#ENTRY}, the path named).
     * @param reach how much of it.
     */
    public record Root(Path path, Reach reach) {}

    private final String text;
    private final boolean anchored;
    private final List<String> segments;
    private final Pattern regex;

    private Glob(String text, boolean anchored, List<String> segments, Pattern regex) {
        this.text = text;
        this.anchored = anchored;
        this.segments = segments;
        this.regex = regex;
    }

    /**
     * Compiles a pattern.
     *
     * @throws IllegalArgumentException saying what is wrong and how to write it.
     */
    public static Glob compile(String text) {
        if (text.isBlank()) {
            throw new IllegalArgumentException("empty pattern; write a path or a glob such as \"src/**/*.php\"");
        }
        if (text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("the pattern contains a NUL character (\\u0000); remove it");
        }
        if (text.startsWith("/")) {
            throw new IllegalArgumentException("\"" + text + "\" is absolute; patterns are relative to the pool's cwd"
                    + " (or the configuration file's directory), such as \"src/**/*.php\" or \"../shared/\"");
        }
        // Any slash anchors the pattern, that of a leading ./ too: ./composer.json is the one next to the config.
        boolean anchored = text.contains("/");
        String body = text;
        while (body.startsWith("./")) {
            body = body.substring(2);
        }
        while (body.endsWith("/")) {
            body = body.substring(0, body.length() - 1);
        }
        if (body.isEmpty() || body.equals(".")) {
            body = "**";
            anchored = true;
        }
        List<String> segments = List.of(body.split("/", -1));
        boolean leading = true;
        for (String segment : segments) {
            if (segment.isEmpty()) {
                throw new IllegalArgumentException("\"" + text + "\" has an empty name between two slashes; remove one");
            }
            if (segment.equals("..")) {
                if (!leading) {
                    throw new IllegalArgumentException("\"" + text + "\": \"..\" may only begin a pattern, as in"
                            + " \"../shared/\"");
                }
            } else {
                leading = false;
            }
            if (segment.equals(".")) {
                throw new IllegalArgumentException("\"" + text + "\": remove the \"./\" inside it");
            }
        }
        try {
            return new Glob(text, anchored, segments, Pattern.compile(translate(body, text)));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not a valid pattern (" + e.getDescription() + ")");
        }
    }

    /** The pattern as written. */
    public String text() {
        return text;
    }

    /** Whether {@code relative} (a path relative to the pool's directory, {@code /} between names) matches. */
    public boolean matches(String relative) {
        if (relative.isEmpty()) {
            return false;
        }
        if (!anchored) {
            for (String name : relative.split("/")) {
                if (regex.matcher(name).matches()) {
                    return true;
                }
            }
            return false;
        }
        // The path or a directory above it.
        int slash = -1;
        do {
            slash = relative.indexOf('/', slash + 1);
            String prefix = slash < 0 ? relative : relative.substring(0, slash);
            if (regex.matcher(prefix).matches()) {
                return true;
            }
        } while (slash >= 0);
        return false;
    }

    /** What must be watched below {@code base} to see every path this pattern matches. */
    public Root root(Path base) {
        if (!anchored) {
            return new Root(base, Reach.TREE);
        }
        Path dir = base;
        for (int i = 0; i < segments.size(); i++) {
            String segment = segments.get(i);
            if (isWild(segment)) {
                // Anywhere below: whatever the wildcards match may be a directory, and everything below it matches.
                return new Root(dir.normalize(), Reach.TREE);
            }
            dir = dir.resolve(segment);
        }
        return new Root(dir.normalize(), Reach.ENTRY);
    }

    private static boolean isWild(String segment) {
        for (int i = 0; i < segment.length(); i++) {
            if (WILD.indexOf(segment.charAt(i)) >= 0) {
                return true;
            }
        }
        return false;
    }

    private static String translate(String glob, String text) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> {
                    int end = i;
                    while (end < glob.length() && glob.charAt(end) == '*') {
                        end++;
                    }
                    boolean wholeName = end - i >= 2 && (i == 0 || glob.charAt(i - 1) == '/')
                            && (end == glob.length() || glob.charAt(end) == '/');
                    if (wholeName && end < glob.length()) {
                        out.append("(?:[^/]*/)*");
                        end++;
                    } else if (wholeName) {
                        out.append(".*");
                    } else {
                        out.append("[^/]*");
                    }
                    i = end;
                }
                case '?' -> {
                    out.append("[^/]");
                    i++;
                }
                case '[' -> i = characterClass(glob, i, text, out);
                case '{' -> i = alternatives(glob, i, text, out);
                case '\\' -> {
                    if (i + 1 >= glob.length()) {
                        throw new IllegalArgumentException("\"" + text + "\" ends with a lone \\; write \\\\ for a"
                                + " backslash");
                    }
                    out.append(Pattern.quote(String.valueOf(glob.charAt(i + 1))));
                    i += 2;
                }
                case '}', ',' -> {
                    out.append(Pattern.quote(String.valueOf(c)));
                    i++;
                }
                default -> {
                    out.append(Pattern.quote(String.valueOf(c)));
                    i++;
                }
            }
        }
        return out.toString();
    }

    private static int characterClass(String glob, int open, String text, StringBuilder out) {
        int i = open + 1;
        boolean negated = i < glob.length() && (glob.charAt(i) == '!' || glob.charAt(i) == '^');
        if (negated) {
            i++;
        }
        int first = i;
        // A ] right after the [ (or [!) is a member, as in shells.
        if (i < glob.length() && glob.charAt(i) == ']') {
            i++;
        }
        while (i < glob.length() && glob.charAt(i) != ']') {
            i++;
        }
        if (i >= glob.length() || i == first) {
            throw new IllegalArgumentException("\"" + text + "\": the [ at position " + (open + 1) + " is not closed by"
                    + " a ]; write \\[ for a bracket");
        }
        StringBuilder set = new StringBuilder();
        for (int k = first; k < i; k++) {
            char m = glob.charAt(k);
            if (m == '/') {
                continue;
            }
            if (m == '-' && k > first && k < i - 1) {
                set.append('-');
            } else if (Character.isLetterOrDigit(m)) {
                set.append(m);
            } else {
                set.append('\\').append(m);
            }
        }
        // A name never contains a slash: a set does not match one, and neither does its complement.
        out.append(negated ? "[^" + set + "/]" : "[" + set + "]");
        return i + 1;
    }

    private static int alternatives(String glob, int open, String text, StringBuilder out) {
        int close = glob.indexOf('}', open);
        int nested = glob.indexOf('{', open + 1);
        if (close < 0) {
            throw new IllegalArgumentException("\"" + text + "\": the { at position " + (open + 1) + " is not closed by"
                    + " a }; write \\{ for a brace");
        }
        if (nested >= 0 && nested < close) {
            throw new IllegalArgumentException("\"" + text + "\": braces cannot be nested; list every alternative in"
                    + " one {a,b,c}");
        }
        List<String> parts = new ArrayList<>();
        for (String alternative : glob.substring(open + 1, close).split(",", -1)) {
            parts.add(translate(alternative, text));
        }
        out.append("(?:").append(String.join("|", parts)).append(')');
        return close + 1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Glob other && other.text.equals(text);
    }

    @Override
    public int hashCode() {
        return Objects.hash(text);
    }

    @Override
    public String toString() {
        return text;
    }
}
