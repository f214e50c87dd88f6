package dev.tend.engine;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life of a worker. {@link Worker#moveTo} is the only way to change a worker's state, and it accepts
 * only the transitions drawn here. Each arrow {@code ── event ──▶ TARGET} is one transition, from the state
 * at its left or, on an indented line, from every state named on the heading line above it.
 * WorkerStateTest checks that the drawing shows exactly {@link #next()}, and that docs/architecture.md shows
 * the same drawing: edit the two together.
 *
 * <pre>
 * CREATED ── spawned ──▶ STARTING ── ready ──▶ RUNNING ── stop ──▶ STOPPING ── exit ──▶ STOPPED
 *
 * CREATED, STOPPED, EXITED, FAILED (at rest: no process, no timer)
 *     ── start: spawned ─────────────────────────────────────────▶ STARTING
 *     ── start: depends_on does not hold yet ────────────────────▶ WAITING
 *     ── start: spawn failed, to be retried ─────────────────────▶ BACKOFF
 *     ── start: cannot run at all, or too many failures ─────────▶ FAILED
 *     ── start of a job: its next run planned ───────────────────▶ SCHEDULED
 * WAITING
 *     ── depends_on holds: spawned ──────────────────────────────▶ STARTING
 *     ── depends_on holds: spawn failed, to be retried ──────────▶ BACKOFF
 *     ── depends_on holds: cannot run at all ────────────────────▶ FAILED
 *     ── depends_on holds, a job: its next run planned ──────────▶ SCHEDULED
 *     ── stop: nothing runs ─────────────────────────────────────▶ STOPPED
 * STARTING
 *     ── ready mode met (spawned: start window over) ────────────▶ RUNNING
 * STARTING, RUNNING
 *     ── stop: stdin closed (EOF), stop_signal, grace timer ─────▶ STOPPING
 *     ── exit, to be replaced ───────────────────────────────────▶ BACKOFF
 *     ── exit, not replaced (job done, or restart = "never") ────▶ EXITED
 *     ── exit, too many failures (or shell 126/127): given up ───▶ FAILED
 *     ── exit of a job's run ────────────────────────────────────▶ SCHEDULED
 * STOPPING
 *     ── exit (SIGKILL to its group once the grace is over) ─────▶ STOPPED
 *     ── exit of a job's run stopped for the next (replace) ─────▶ SCHEDULED
 * BACKOFF
 *     ── delay over, or start: spawned ──────────────────────────▶ STARTING
 *     ── spawn failed, to be retried ────────────────────────────▶ BACKOFF
 *     ── cannot run at all, or too many failures ────────────────▶ FAILED
 *     ── stop: the timer is cancelled ───────────────────────────▶ STOPPED
 * SCHEDULED
 *     ── run due (its timer, or start): spawned ─────────────────▶ STARTING
 *     ── stop: the timer is cancelled ───────────────────────────▶ STOPPED
 * </pre>
 *
 * Nothing leads back to CREATED: it is only ever the first state. A worker stays in it when tend began to
 * stop before it could start the worker.
 */
public enum WorkerState {
    /** Created and not started yet: no process was ever spawned for it. */
    CREATED("created"),
    /** Asked to start, but what it {@code depends_on} does not hold yet: no process; it starts once it holds. */
    WAITING("waiting"),
    /** Spawned; not ready yet (its ready mode is not met, or its start window is not over). */
    STARTING("starting"),
    /** Spawned and ready. */
    RUNNING("running"),
    /** Its stdin was closed; it has until the grace period ends to exit before its group is killed. */
    STOPPING("stopping"),
    /** Ended after a stop request; held stopped until started again. */
    STOPPED("stopped"),
    /** Ended by itself and not replaced: its job is done (or its restart policy is "never"). */
    EXITED("exited"),
    /** Failed; waiting out the backoff delay before it is started again. */
    BACKOFF("backoff"),
    /** Given up: too many consecutive failures, or a command that cannot run at all. */
    FAILED("failed"),
    /** A job ({@code schedule} or {@code every}) between runs: no process; a timer starts its next run. */
    SCHEDULED("scheduled");

    private final String label;

    WorkerState(String label) {
        this.label = label;
    }

    /** The lower-case name shown to users and used in JSON. */
    public String label() {
        return label;
    }

    /** Whether a process exists in this state: STARTING, RUNNING, STOPPING. */
    public boolean hasProcess() {
        return this == STARTING || this == RUNNING || this == STOPPING;
    }

    /**
     * Whether the worker is at rest: no process and nothing scheduled, so nothing happens to it until it is
     * asked to start (CREATED, STOPPED, EXITED, FAILED). tend can end only when every worker is at rest, and a
     * retired worker is removed once it is. BACKOFF, SCHEDULED and WAITING have neither a process nor rest: a
     * timer, or the dependencies it waits for, will start it.
     */
    public boolean atRest() {
        return this == CREATED || this == STOPPED || this == EXITED || this == FAILED;
    }

    /** Whether the worker is ready: spawned and its ready mode met (RUNNING). */
    public boolean ready() {
        return this == RUNNING;
    }

    /**
     * Whether the worker has no attempt under way that could still become ready: it has no process (it
     * ended, waits out a backoff, was given up or never started). A request that waits for it to be ready
     * fails at once instead of running into its timeout: another attempt, if any, is a new start. A worker
     * WAITING for its dependencies has no attempt yet: the wait goes on. A SCHEDULED job counts as ready
     * ({@link Worker#ready()}) between its runs.
     */
    public boolean failedBeforeReady() {
        return !hasProcess() && this != WAITING && this != SCHEDULED;
    }

    /**
     * Whether the worker ended by itself and will not be started again unless asked (EXITED, FAILED): when
     * every worker has, and nothing can add one, {@code tend up} is over.
     */
    public boolean endedForGood() {
        return this == EXITED || this == FAILED;
    }

    /** The states this one may move to. */
    public Set<WorkerState> next() {
        return switch (this) {
            case STARTING -> EnumSet.of(RUNNING, STOPPING, EXITED, BACKOFF, FAILED, SCHEDULED);
            case RUNNING -> EnumSet.of(STOPPING, EXITED, BACKOFF, FAILED, SCHEDULED);
            case STOPPING -> EnumSet.of(STOPPED, SCHEDULED);
            case BACKOFF -> EnumSet.of(STARTING, STOPPED, FAILED, BACKOFF);
            case WAITING -> EnumSet.of(STARTING, BACKOFF, FAILED, STOPPED, SCHEDULED);
            case SCHEDULED -> EnumSet.of(STARTING, STOPPED);
            case CREATED, STOPPED, EXITED, FAILED -> EnumSet.of(STARTING, WAITING, FAILED, BACKOFF, SCHEDULED);
        };
    }
}
