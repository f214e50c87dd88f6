package dev.tend.protocol;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One worker as {@code ps} and every action result describe it (the worker object of
 * docs/control-protocol.md).
 *
 * @param name                  {@code POOL.N}, or the name of a lazily started worker.
 * @param pool                  its pool, or its {@code [lazy.NAME]} declaration.
 * @param instance              its number in the pool (1 for a lazy worker).
 * @param state                 {@code created}, {@code waiting}, {@code starting}, {@code running},
 *                              {@code stopping}, {@code backoff}, {@code stopped}, {@code exited}, {@code failed}
 *                              or {@code scheduled}.
 * @param pid                   its process, 0 when none runs.
 * @param ready                 whether its ready mode is met (it is running), or it is a job whose schedule goes
 *                              on.
 * @param finishedCleanly       whether it exited 0 and will not be replaced: its job is done.
 * @param uptimeMillis          how long its current process has run; 0 without a process.
 * @param stateSinceEpochMillis when it entered its state, in milliseconds since the Unix epoch.
 * @param restarts              how many times tend replaced it after it ended by itself.
 * @param failures              its consecutive failures.
 * @param attempts              how many times a process was started for it.
 * @param lastExit              how its last process ended, or why it could not be started; empty before any.
 * @param reason                why it was given up; empty otherwise.
 * @param status                the last {@code STATUS=} it sent; empty if none.
 * @param published             the state it published, when tend knows of the state file.
 * @param health                its health probe's status, when its pool has a probe and it was started.
 * @param usage                 what its process group used when tend last sampled it; empty without a
 *                              process or before the first sample.
 * @param job                   when it runs next and how long its last run took, if its pool is a scheduled job.
 */
public record WorkerEntry(String name, String pool, int instance, String state, int pid, boolean ready,
                          boolean finishedCleanly, long uptimeMillis, long stateSinceEpochMillis, int restarts,
                          int failures, int attempts, String lastExit, String reason, String status,
                          Optional<PublishedState> published, Optional<HealthEntry> health,
                          Optional<ResourceUsage> usage, Optional<JobEntry> job) {
    /**
     * The version and age of the state a worker published into the state file.
     *
     * @param version   0 if it never published.
     * @param ageMillis the age of that state; meaningless (and {@code null} in JSON) when it never published.
     */
    public record PublishedState(long version, long ageMillis) {}

    /** Ready, or its job done: either way it does not hold back the readiness of the whole instance. */
    public boolean readyOrFinished() {
        return ready || finishedCleanly;
    }

    /** The worker object. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(Protocol.NAME, name);
        m.put(Protocol.POOL, pool);
        m.put(Protocol.INSTANCE, instance);
        m.put(Protocol.STATE, state);
        m.put(Protocol.PID, pid);
        m.put(Protocol.READY, ready);
        m.put(Protocol.FINISHED_CLEANLY, finishedCleanly);
        m.put(Protocol.UPTIME_MS, uptimeMillis);
        m.put(Protocol.STATE_SINCE_EPOCH_MS, stateSinceEpochMillis);
        m.put(Protocol.RESTARTS, restarts);
        m.put(Protocol.FAILURES, failures);
        m.put(Protocol.ATTEMPTS, attempts);
        m.put(Protocol.LAST_EXIT, lastExit);
        m.put(Protocol.REASON, reason);
        m.put(Protocol.STATUS, status);
        published.ifPresent(p -> {
            m.put(Protocol.STATE_VERSION, p.version());
            m.put(Protocol.STATE_AGE_MS, p.version() == 0 ? null : p.ageMillis());
        });
        health.ifPresent(h -> m.put(Protocol.HEALTH, h.toJson()));
        usage.ifPresent(u -> u.putInto(m));
        job.ifPresent(j -> j.putInto(m));
        return m;
    }

    /** A worker object read from a reply. */
    public static WorkerEntry fromJson(Map<String, ?> json) {
        Optional<PublishedState> published = json.containsKey(Protocol.STATE_VERSION)
                ? Optional.of(new PublishedState(Members.number(json, Protocol.STATE_VERSION),
                        Members.number(json, Protocol.STATE_AGE_MS)))
                : Optional.empty();
        return new WorkerEntry(Members.text(json, Protocol.NAME), Members.text(json, Protocol.POOL),
                (int) Members.number(json, Protocol.INSTANCE), Members.text(json, Protocol.STATE),
                (int) Members.number(json, Protocol.PID), Members.flag(json, Protocol.READY),
                Members.flag(json, Protocol.FINISHED_CLEANLY), Members.number(json, Protocol.UPTIME_MS),
                Members.number(json, Protocol.STATE_SINCE_EPOCH_MS), (int) Members.number(json, Protocol.RESTARTS),
                (int) Members.number(json, Protocol.FAILURES), (int) Members.number(json, Protocol.ATTEMPTS),
                Members.text(json, Protocol.LAST_EXIT), Members.text(json, Protocol.REASON),
                Members.text(json, Protocol.STATUS), published, health(json), ResourceUsage.fromJson(json),
                JobEntry.fromJson(json));
    }

    private static Optional<HealthEntry> health(Map<String, ?> json) {
        if (json.get(Protocol.HEALTH) instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Map<String, ?> object = (Map<String, ?>) m;
            return Optional.of(HealthEntry.fromJson(object));
        }
        return Optional.empty();
    }
}
