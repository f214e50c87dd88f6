package dev.tend.instance;

import dev.tend.engine.WorkerStatus;
import dev.tend.os.OrphanReaper;
import dev.tend.os.ProcessInfo;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The process groups of the workers' processes (each worker leads its own, so its pid is the group's id),
 * for telling a straggler of a worker's group from a process that escaped every group.
 *
 * <p>A worker's group is kept while its process runs, and once that process has ended (or its worker was
 * removed) for as long as a live descendant of tend is still in it: the group got SIGKILL when its main
 * process exited, so whoever is left there is only finishing dying. Ended groups found empty are
 * forgotten: a long run with many restarts keeps about as many groups as it has workers, not every pid it
 * ever saw. Loop thread only.
 */
final class WorkerGroups {
    /**
     * Ended groups kept beyond one per worker before looking for empty ones: the look reads /proc (about a
     * millisecond), so it is done once per so many ends rather than at each.
     */
    static final int SLACK = 16;

    /** The group of each worker's current (or last) process, by worker name. */
    private final Map<String, Integer> current = new HashMap<>();
    /** Groups whose process has ended, until they are found empty. */
    private final Set<Integer> ended = new HashSet<>();

    /** A worker changed: a new process is its group from now on; the group of the one before has ended. */
    void changed(WorkerStatus status) {
        Integer before = status.pid() > 0 ? current.put(status.name(), status.pid()) : current.remove(status.name());
        if (before != null && before != status.pid()) {
            ended(before);
        }
    }

    /** A worker was removed: the group of its last process has ended. */
    void removed(String name) {
        Integer before = current.remove(name);
        if (before != null) {
            ended(before);
        }
    }

    private void ended(int group) {
        ended.add(group);
        if (ended.size() > current.size() + SLACK) {
            forgetEmpty();
        }
    }

    /** Whether {@code group} is the group of a worker's process, running or ended but not yet empty. */
    boolean contains(int group) {
        return ended.contains(group) || current.containsValue(group);
    }

    /** How many groups are remembered. */
    int size() {
        return ended.size() + current.size();
    }

    /** Forgets the ended groups that no live descendant of tend is in any more. */
    void forgetEmpty() {
        if (ended.isEmpty()) {
            return;
        }
        Set<Integer> occupied = OrphanReaper.descendants().stream().filter(ProcessInfo::isLive)
                .map(pid -> ProcessInfo.processGroup(pid).orElse(-1)).collect(Collectors.toSet());
        ended.retainAll(occupied);
    }
}
