package dev.tend.protocol;

import java.util.Map;
import java.util.Optional;

/**
 * What a process group (a worker and its children), or tend itself, used when tend last sampled it: the
 * {@code cpu_percent} and {@code rss_bytes} members of the worker object and of {@code ps}'s final message in
 * docs/control-protocol.md.
 *
 * @param cpuPercent CPU time over the last sampling period as a percentage of one CPU (200 = two CPUs busy).
 * @param rssBytes   resident memory, summed over the processes of the group.
 */
public record ResourceUsage(double cpuPercent, long rssBytes) {
    /** Adds the two members to a JSON object. */
    public void putInto(Map<String, Object> json) {
        json.put(Protocol.CPU_PERCENT, Math.round(cpuPercent * 10) / 10.0);
        json.put(Protocol.RSS_BYTES, rssBytes);
    }

    /** The usage in a JSON object, or empty when tend did not sample it (yet). */
    public static Optional<ResourceUsage> fromJson(Map<String, ?> json) {
        if (!(json.get(Protocol.RSS_BYTES) instanceof Number rss)) {
            return Optional.empty();
        }
        Object cpu = json.get(Protocol.CPU_PERCENT);
        return Optional.of(new ResourceUsage(cpu instanceof Number n ? n.doubleValue() : 0, rss.longValue()));
    }
}
