package dev.tend.protocol;

import dev.tend.text.Human;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * When a scheduled job ({@code schedule} or {@code every}) runs next and how long its last run took: the
 * {@code next_run_epoch_ms}, {@code next_run_in_ms} and {@code last_run_ms} members of the worker object in
 * docs/control-protocol.md. Its last run's exit is the worker's {@code last_exit}.
 *
 * @param nextRunEpochMillis when its next run is planned, in milliseconds since the Unix epoch; 0 while it is
 *                           stopped (then {@code null} in JSON).
 * @param nextRunInMillis    how long until then, when the entry was made; meaningless when not planned.
 * @param lastRunMillis      how long its last run took; -1 before its first (then {@code null} in JSON).
 */
public record JobEntry(long nextRunEpochMillis, long nextRunInMillis, long lastRunMillis) {
    /** Adds the three members to a JSON object. */
    public void putInto(Map<String, Object> json) {
        json.put(Protocol.NEXT_RUN_EPOCH_MS, nextRunEpochMillis == 0 ? null : nextRunEpochMillis);
        json.put(Protocol.NEXT_RUN_IN_MS, nextRunEpochMillis == 0 ? null : nextRunInMillis);
        json.put(Protocol.LAST_RUN_MS, lastRunMillis < 0 ? null : lastRunMillis);
    }

    /** The job's timing in a worker object, or empty when the worker is not a job. */
    public static Optional<JobEntry> fromJson(Map<String, ?> json) {
        if (!json.containsKey(Protocol.NEXT_RUN_EPOCH_MS)) {
            return Optional.empty();
        }
        return Optional.of(new JobEntry(number(json, Protocol.NEXT_RUN_EPOCH_MS, 0),
                number(json, Protocol.NEXT_RUN_IN_MS, 0), number(json, Protocol.LAST_RUN_MS, -1)));
    }

    private static long number(Map<String, ?> json, String key, long absent) {
        return json.get(key) instanceof Number n ? n.longValue() : absent;
    }

    /** What {@code tend ps} adds to the job's state: {@code next in 7s, last run 1.2s}. */
    public String summary() {
        String next = nextRunEpochMillis == 0 ? "no run planned"
                : "next in " + Human.elapsed(Duration.ofMillis(Math.max(0, nextRunInMillis)));
        return lastRunMillis < 0 ? next : next + ", last run " + Human.elapsed(Duration.ofMillis(lastRunMillis));
    }
}
