package dev.tend.config;

import java.nio.file.Path;

/**
 * One problem in a configuration file: where (file, line when known, key path) and what.
 *
 * @param file    the file.
 * @param line    1-based line, or 0 when unknown.
 * @param key     the dotted key path, such as {@code pool.web.count}, or empty for file-level problems.
 * @param message what is wrong and how to fix it.
 */
public record ConfigError(Path file, int line, String key, String message) {

    /** {@code tend.toml:12: pool.web.count: must be at least 1 (got 0)}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(file.toString());
        if (line > 0) {
            b.append(':').append(line);
        }
        b.append(": ");
        if (!key.isEmpty()) {
            b.append(key).append(": ");
        }
        return b.append(message).toString();
    }
}
