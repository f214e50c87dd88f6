package dev.tend.config;

import java.util.OptionalLong;

/**
 * What a worker may use before tend restarts it: the {@code max_memory} key of a pool, a lazy declaration or
 * the top level.
 *
 * @param maxMemoryBytes the resident memory of its process group (summed over the worker and its children) above
 *                       which it is restarted the graceful way; empty: no limit.
 */
public record ResourceLimits(OptionalLong maxMemoryBytes) {
    /** No limit. */
    public static final ResourceLimits NONE = new ResourceLimits(OptionalLong.empty());

    /** Whether any limit is set, which needs the usage of the worker sampled. */
    public boolean any() {
        return maxMemoryBytes.isPresent();
    }
}
