package dev.tend.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The final message of {@code ps}: the instance and every worker.
 *
 * @param instance the instance name.
 * @param pid      tend's pid.
 * @param config   the absolute path of the configuration file.
 * @param stopping whether tend is stopping everything.
 * @param workers  every worker, in the order they were created.
 * @param usage    what tend itself used when it last sampled it; empty before the first sample.
 */
public record InstanceStatus(String instance, long pid, String config, boolean stopping, List<WorkerEntry> workers,
                             Optional<ResourceUsage> usage) {
    /** The {@code event} member of the status as {@code subscribe} streams it. */
    public static final String EVENT = "status";

    public InstanceStatus {
        workers = List.copyOf(workers);
    }

    /** The final message, {@code "ok": true} first. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = header();
        List<Object> entries = new ArrayList<>();
        workers.forEach(w -> entries.add(w.toJson()));
        m.put(Protocol.WORKERS, entries);
        return m;
    }

    /** The final message of a {@code ps} that asked for the table: the workers as {@link StatusTable}'s lines. */
    public Map<String, Object> toTableJson() {
        Map<String, Object> m = header();
        m.put(Protocol.TABLE, StatusTable.lines(workers));
        return m;
    }

    /** The status as an event of {@code subscribe}: the members of {@link #toJson()}, with {@code event} for {@code ok}. */
    public Map<String, Object> toEventJson() {
        Map<String, Object> m = toJson();
        m.remove(Protocol.OK);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put(Protocol.EVENT, EVENT);
        event.putAll(m);
        return event;
    }

    /**
     * The same status as far as a view can tell, not counting the time that passed: uptimes and the ages of
     * published states are zero, as they grow between any two looks without anything having changed.
     */
    public InstanceStatus timeless() {
        List<WorkerEntry> still = new ArrayList<>(workers.size());
        for (WorkerEntry w : workers) {
            still.add(new WorkerEntry(w.name(), w.pool(), w.instance(), w.state(), w.pid(), w.ready(),
                    w.finishedCleanly(), 0, w.stateSinceEpochMillis(), w.restarts(), w.failures(), w.attempts(),
                    w.lastExit(), w.reason(), w.status(), w.published().map(p -> new WorkerEntry.PublishedState(
                            p.version(), 0)), w.health(), w.usage(),
                    w.job().map(j -> new JobEntry(j.nextRunEpochMillis(), 0, j.lastRunMillis()))));
        }
        return new InstanceStatus(instance, pid, config, stopping, still, usage);
    }

    private Map<String, Object> header() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(Protocol.OK, true);
        m.put(Protocol.INSTANCE, instance);
        m.put(Protocol.PID, pid);
        m.put(Protocol.CONFIG, config);
        m.put(Protocol.STOPPING, stopping);
        usage.ifPresent(u -> u.putInto(m));
        return m;
    }

    /** The status read from a successful {@code ps} reply or a {@code subscribe} event. */
    public static InstanceStatus fromJson(Map<String, ?> json) {
        List<WorkerEntry> workers = new ArrayList<>();
        Members.objects(json, Protocol.WORKERS).forEach(w -> workers.add(WorkerEntry.fromJson(w)));
        return new InstanceStatus(Members.text(json, Protocol.INSTANCE), Members.number(json, Protocol.PID),
                Members.text(json, Protocol.CONFIG), Members.flag(json, Protocol.STOPPING), workers,
                ResourceUsage.fromJson(json));
    }
}
