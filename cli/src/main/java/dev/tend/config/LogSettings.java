package dev.tend.config;

import java.util.Optional;

/**
 * Where a worker's output is written besides tend's stdout: the {@code log_file}, {@code log_max_size} and
 * {@code log_keep} keys of a pool, a lazy declaration or the top level.
 *
 * @param file    the path template, absolute, with the placeholders {@code {pool}}, {@code {worker}} and
 *                {@code {stream}} still in it; empty: the output goes to tend's stdout.
 * @param maxSize the size at which the file is rotated, in bytes; 0: never.
 * @param keep    how many rotated files are kept ({@code web.log.1} … {@code web.log.N}); 0: the file is
 *                emptied instead.
 */
public record LogSettings(Optional<String> file, long maxSize, int keep) {
    /** The placeholders a {@code log_file} may hold. */
    public static final String POOL = "{pool}";
    public static final String WORKER = "{worker}";
    public static final String STREAM = "{stream}";

    /** No log file: output goes to tend's stdout. */
    public static final LogSettings NONE = new LogSettings(Optional.empty(), 10L << 20, 5);
}
