package dev.tend.config;

import dev.tend.text.Human;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Reads the {@code max_memory} key of one table into {@link ResourceLimits}, taken from {@code fallback} (the
 * top level's, for a pool) when the table does not write it. Problems are reported at their key. No I/O.
 */
final class ResourceLimitKeys {
    static final String MAX_MEMORY = "max_memory";
    /** Keys a pool, a lazy declaration or the top level may write. */
    static final Set<String> KEYS = Set.of(MAX_MEMORY);
    /** Below this, any program (a shell, {@code sleep}) would be over the limit at once and restarted forever. */
    static final long SMALLEST_MAX_MEMORY = 1 << 20;

    private ResourceLimitKeys() {}

    static ResourceLimits read(Section s, ResourceLimits fallback) {
        Object raw = s.raw(MAX_MEMORY);
        if (raw == null) {
            return fallback;
        }
        String text;
        if (raw instanceof Long bytes) {
            text = Long.toString(bytes);
        } else if (raw instanceof String written) {
            text = written;
        } else {
            s.error(MAX_MEMORY, "must be a size such as \"512MiB\", not " + Section.typeName(raw));
            return fallback;
        }
        long size;
        try {
            size = ByteSizes.parse(text);
        } catch (IllegalArgumentException e) {
            s.error(MAX_MEMORY, e.getMessage());
            return fallback;
        }
        if (size == 0) {
            return ResourceLimits.NONE;
        }
        if (size < SMALLEST_MAX_MEMORY) {
            s.error(MAX_MEMORY, "must be at least " + Human.bytes(SMALLEST_MAX_MEMORY) + " (got " + Human.bytes(size)
                    + "), or 0 for no limit; write e.g. \"512MiB\"");
            return fallback;
        }
        return new ResourceLimits(OptionalLong.of(size));
    }
}
