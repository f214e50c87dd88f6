package dev.tend.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The problems found in one configuration file by every stage of loading it, so that all of them are
 * reported at once, in line order.
 */
final class Problems {
    private final Path file;
    private final List<ConfigError> errors = new ArrayList<>();

    Problems(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** @param line 1-based, or 0 when the problem has no line. */
    void add(int line, String key, String message) {
        errors.add(new ConfigError(file, line, key, message));
    }

    /** A problem in another file the configuration reads (an {@code env_file}). */
    void addIn(Path other, int line, String key, String message) {
        errors.add(new ConfigError(other, line, key, message));
    }

    /** Every problem so far, in line order (problems on one line in the order found). */
    List<ConfigError> inLineOrder() {
        List<ConfigError> sorted = new ArrayList<>(errors);
        // The configuration file's own problems first, then those of each file it reads.
        sorted.sort(Comparator.comparing((ConfigError e) -> !e.file().equals(file))
                .thenComparing(e -> e.file().toString()).thenComparingInt(ConfigError::line));
        return sorted;
    }

    /** Fails with every problem, in line order, if there are any. */
    void throwIfAny() throws ConfigException {
        if (!errors.isEmpty()) {
            throw new ConfigException(inLineOrder());
        }
    }
}
