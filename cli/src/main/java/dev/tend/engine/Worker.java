package dev.tend.engine;

import dev.tend.os.ExitStatus;
import dev.tend.os.Reactor;
import java.util.Optional;

/**
 * The runtime record of one worker, owned by the event loop. Its state changes only through
 * {@link #moveTo}, which enforces {@link WorkerState#next()}.
 */
final class Worker {
    /** Identity and settings; replaced on reload, effective at the next start. */
    WorkerSpec spec;
    private WorkerState state = WorkerState.CREATED;
    /** The running process, while the state {@link WorkerState#hasProcess() has one}. */
    WorkerProcess process;
    /** The pending backoff or grace timer. */
    Reactor.Timer timer;
    int failures;
    int restarts;
    int attempts;
    ExitStatus lastExit;
    /** Why the last start failed before a process existed, or empty. */
    String startError = "";
    long startedNanos;
    /** The sequence number of the first output line of the current (or last) attempt. */
    long attemptStartSequence;
    long lastRunNanos;
    long startedEpochMillis;
    long stateSinceEpochMillis;
    /** Why the worker was given up; empty otherwise. */
    String givenUpReason = "";
    /** The last {@code STATUS=} of the notify protocol. */
    String statusText = "";
    /** How the stopping process was killed, for the log: empty while it was only asked to stop. */
    String killedBy = "";
    /** Why tend could not look after the current process (a handler of its output or exit threw), or empty. */
    String handlingFailure = "";
    /** The health probe of the current (or last) process, if its pool has one. */
    HealthMonitor health;
    /** Why it is being stopped to be restarted (its health probe failed), or empty. */
    String unhealthy = "";
    /** Said after how its last process ended: why tend ended it, or empty. */
    String exitNote = "";
    /** Stopped by an operator: not started again until asked to. */
    boolean held;
    /** To be removed from the table once it has ended. */
    boolean retiring;
    /** When it runs next, if its pool is a scheduled job; null otherwise. */
    JobTimer job;

    Worker(WorkerSpec spec) {
        this.spec = spec;
    }

    String name() {
        return spec.name();
    }

    WorkerState state() {
        return state;
    }

    void moveTo(WorkerState next) {
        if (!state.next().contains(next)) {
            throw new IllegalStateException("worker " + spec.name() + ": no transition from " + state + " to " + next);
        }
        state = next;
    }

    WorkerStatus status() {
        return new WorkerStatus(spec.name(), spec.pool(), spec.instance(), state,
                process == null ? 0 : process.pid(), ready(), finishedCleanly(), startedEpochMillis,
                stateSinceEpochMillis, restarts, failures, attempts,
                lastExitText(), givenUpReason, statusText, Optional.ofNullable(health).map(HealthMonitor::snapshot),
                Optional.ofNullable(job).map(j -> new WorkerStatus.Job(j.nextEpochMillis(),
                        lastExit == null ? -1 : lastRunNanos / 1_000_000)));
    }

    /**
     * Ready: its ready mode met (RUNNING), or a job whose schedule goes on (SCHEDULED, or a run under way that
     * nobody asked to stop): a job is there to run at its times, not to be up.
     */
    boolean ready() {
        return state.ready() || job != null && (state == WorkerState.SCHEDULED || state.hasProcess() && !held);
    }

    /** Exited 0 and not replaced: its job is done. */
    boolean finishedCleanly() {
        return state == WorkerState.EXITED && lastExit != null && lastExit.success();
    }

    /**
     * Ready, or its job done: either way it does not hold back the readiness of the whole instance (what
     * {@code tend run} waits for before running its command; {@link WorkerStatus#readyOrFinished()} is the same
     * on a snapshot).
     */
    boolean readyOrFinished() {
        return ready() || finishedCleanly();
    }

    /**
     * At rest short of {@link #readyOrFinished() ready or finished}, and nothing will start it again unless
     * someone asks: given up (FAILED), failed with {@code restart = "never"} (EXITED, not cleanly), or held
     * stopped (STOPPED). A worker backing off may still get there; one just CREATED is about to be started.
     */
    boolean leftUnfinished() {
        return state == WorkerState.FAILED || state == WorkerState.STOPPED
                || state == WorkerState.EXITED && !finishedCleanly();
    }

    /** How the last attempt ended: why it could not be started, else how its process ended; "" if neither. */
    String lastExitText() {
        if (!startError.isEmpty()) {
            return startError;
        }
        return lastExit == null ? "" : lastExit.describe() + (exitNote.isEmpty() ? "" : " (" + exitNote + ")");
    }

    /** Stops its health probe, if any; the last status stays for {@code tend ps}. */
    void stopHealth() {
        if (health != null) {
            health.stop();
        }
    }

    void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }
}
