package dev.tend.config;

import dev.tend.text.Human;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the log file keys of one table into {@link LogSettings}, each key it does not write taken from
 * {@code fallback} (the top level's settings, for a pool). Problems are reported at their key. No I/O.
 */
final class LogKeys {
    /** Keys a pool, a lazy declaration or the top level may write. */
    static final Set<String> KEYS = Set.of("log_file", "log_max_size", "log_keep");
    /** Top-level key: time stamps on tend's stdout. */
    static final String TIMESTAMPS = "timestamps";

    static final long SMALLEST_MAX_SIZE = 4 << 10;
    static final int MOST_KEPT = 1000;
    // ${VAR} is a variable, not a placeholder: left for the expansion of variables to deal with.
    private static final Pattern PLACEHOLDER = Pattern.compile("(?<!\\$)\\{([^{}]*)}");

    private LogKeys() {}

    /** {@code lookup}: the value of a variable for {@code ${VAR}} in {@code log_file}, as the table sees it. */
    static LogSettings read(Section s, LogSettings fallback, Path directory, Function<String, String> lookup) {
        Optional<String> file = fallback.file();
        if (s.has("log_file")) {
            file = file(s, directory, lookup);
        }
        long maxSize = fallback.maxSize();
        Object size = s.raw("log_max_size");
        if (size instanceof Long bytes) {
            maxSize = maxSize(s, Long.toString(bytes)).orElse(maxSize);
        } else if (size != null) {
            String text = s.string("log_max_size");
            if (text != null) {
                maxSize = maxSize(s, text).orElse(maxSize);
            }
        }
        int keep = fallback.keep();
        Long kept = s.integer("log_keep", 0, MOST_KEPT);
        if (kept != null) {
            keep = kept.intValue();
        }
        return new LogSettings(file, maxSize, keep);
    }

    private static Optional<String> file(Section s, Path directory, Function<String, String> lookup) {
        String written = s.string("log_file");
        if (written == null) {
            return Optional.empty();
        }
        Optional<String> expanded = Interpolation.expandKey(s, "log_file", written, lookup);
        if (expanded.isEmpty()) {
            return Optional.empty();
        }
        String text = expanded.get();
        if (text.isBlank()) {
            s.error("log_file", "empty path: give a file such as \"log/{pool}.log\", or remove the key to print output on"
                    + " tend's stdout");
            return Optional.empty();
        }
        if (text.indexOf('\0') >= 0) {
            s.error("log_file", "the path contains a NUL character (\\u0000); remove it");
            return Optional.empty();
        }
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            String p = m.group();
            if (!p.equals(LogSettings.POOL) && !p.equals(LogSettings.WORKER) && !p.equals(LogSettings.STREAM)) {
                s.error("log_file", "unknown placeholder " + p + "; use {pool}, {worker} (one file per worker) or"
                        + " {stream} (stdout and stderr apart)");
                return Optional.empty();
            }
        }
        if (text.endsWith("/")) {
            s.error("log_file", "\"" + text + "\" names a directory; name a file in it, such as \"" + text + "{pool}.log\"");
            return Optional.empty();
        }
        return Optional.of(directory.resolve(text).normalize().toString());
    }

    private static Optional<Long> maxSize(Section s, String text) {
        try {
            long size = ByteSizes.parse(text);
            if (size != 0 && size < SMALLEST_MAX_SIZE) {
                s.error("log_max_size", "must be 0 (never rotate) or at least " + Human.bytes(SMALLEST_MAX_SIZE) + " (got "
                        + Human.bytes(size) + ")");
                return Optional.empty();
            }
            return Optional.of(size);
        } catch (IllegalArgumentException e) {
            s.error("log_max_size", e.getMessage());
            return Optional.empty();
        }
    }
}
