package dev.tend.instance;

import dev.tend.engine.LogLine;
import dev.tend.engine.Supervisor;
import dev.tend.engine.SupervisorListener;
import dev.tend.engine.WorkerStatus;
import dev.tend.os.NativeException;
import dev.tend.os.OrphanReaper;
import dev.tend.os.ProcessInfo;
import dev.tend.os.Processes;
import dev.tend.os.Reactor;
import dev.tend.os.Signal;
import dev.tend.os.Subreaper;
import dev.tend.text.Human;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;

/**
 * Everything tend does about processes that are not workers but descend from them.
 *
 * <ul>
 *   <li>tend is a child subreaper (PID 1 is one anyway): a process that a worker started and then left
 *       behind (a double fork, a daemon) becomes tend's child instead of init's, so tend can reap it when it
 *       exits (no zombies accumulate, which matters most as a container's PID 1) and find it at shutdown.</li>
 *   <li>On every SIGCHLD, exited children that are not workers are reaped. Workers are never reaped here:
 *       their exit status is collected through their pidfd.</li>
 *   <li>At shutdown, once every worker has ended, descendants still alive have escaped their worker's
 *       process group (setsid, setpgid): they get SIGTERM, then SIGKILL after the longest grace.</li>
 * </ul>
 */
final class Descendants implements SupervisorListener {
    private final Supervisor supervisor;
    private final Reactor reactor;
    private final IntPredicate managed;
    private Phase phase = Phase.WAITING;
    /** Told to stop again: no more grace for anyone. */
    private boolean killing;
    /** Whoever is still in a worker's group is being killed with it. */
    private final WorkerGroups workerGroups = new WorkerGroups();

    private enum Phase { WAITING, TERMINATING, DONE }

    Descendants(Supervisor supervisor, Reactor reactor, IntPredicate managed) {
        this.supervisor = supervisor;
        this.reactor = reactor;
        this.managed = managed;
    }

    @Override
    public void workerChanged(WorkerStatus status) {
        workerGroups.changed(status);
    }

    @Override
    public void workerRemoved(String name) {
        workerGroups.removed(name);
    }

    /** Asked again while stopping: whoever escaped the workers' groups is killed now, not after the grace. */
    @Override
    public void killing() {
        killing = true;
        signal(remaining(), Signal.KILL);
    }

    /** Becomes the subreaper of every process that descends from tend. */
    static void adopt() {
        if (!Subreaper.isPid1()) {
            Subreaper.enable();
        }
    }

    /** Reaps children that are not workers; called on SIGCHLD. */
    void reapOrphans() {
        for (OrphanReaper.Reaped r : OrphanReaper.sweep(managed)) {
            if (phase == Phase.WAITING) {
                supervisor.announce(LogLine.Channel.NOTICE, "reaped process " + r.pid() + " left by a worker ("
                        + r.status().describe() + ")");
            }
        }
        if (phase == Phase.TERMINATING && remaining().isEmpty()) {
            phase = Phase.DONE;
            supervisor.recheckCompletion();
        }
    }

    /**
     * The completion gate: first called once every worker has ended; true once no descendant is left.
     */
    boolean settled() {
        if (phase == Phase.WAITING) {
            reapOrphans();
            List<Integer> escaped = remaining();
            if (escaped.isEmpty()) {
                phase = Phase.DONE;
            } else {
                phase = Phase.TERMINATING;
                if (killing) {
                    // The workers got SIGKILL; so do these. Their exits end the phase, as below.
                    signal(escaped, Signal.KILL);
                    return false;
                }
                Duration grace = supervisor.config().longestGrace();
                supervisor.announce(LogLine.Channel.WARNING, escaped.size() + " process"
                        + (escaped.size() == 1 ? "" : "es") + " started under tend outlived "
                        + (escaped.size() == 1 ? "its" : "their") + " parent, outside any worker's process group ("
                        + escaped.stream().map(String::valueOf).collect(Collectors.joining(", "))
                        + "); sending SIGTERM, SIGKILL after " + Human.duration(grace));
                signal(escaped, Signal.TERM);
                reactor.schedule(grace.toNanos(), TimeUnit.NANOSECONDS, () -> {
                    if (phase == Phase.TERMINATING) {
                        signal(remaining(), Signal.KILL);
                    }
                });
            }
        }
        return phase == Phase.DONE;
    }

    /**
     * Live descendants outside every worker's process group: zombies are reaped, not signalled, and a process
     * still in a worker's group already got that group's SIGKILL and is only finishing dying.
     */
    private List<Integer> remaining() {
        return OrphanReaper.descendants().stream()
                .filter(pid -> !managed.test(pid) && ProcessInfo.isLive(pid)
                        && !workerGroups.contains(ProcessInfo.processGroup(pid).orElse(-1)))
                .collect(Collectors.toList());
    }

    private static void signal(List<Integer> pids, Signal signal) {
        for (int pid : pids) {
            // A process that is gone by now (ESRCH) needs nothing more. Our children cannot be reaped by anyone
            // else, so their pids cannot have been reused since we listed them.
            try {
                Processes.signal(pid, signal);
            } catch (NativeException e) {
                // EPERM: it made itself another user's; tend cannot stop it, and waits for it as for the others.
            }
        }
    }
}
