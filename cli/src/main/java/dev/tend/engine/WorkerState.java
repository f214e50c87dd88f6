package dev.tend.engine;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life of a worker. {@link Worker#moveTo} is the only way to change a worker's state, and it accepts
 * only the transitions listed here.
 *
 * <pre>
 *                  spawn ok                ready (mode met)
 *   (created) ──────────────▶ STARTING ─────────────────────▶ RUNNING
 *        │ spawn impossible      │  ▲                            │
 *        ▼                       │  │ backoff elapsed            │ stop: stdin closed (EOF),
 *      FAILED ◀── too many ──────┤  └────── BACKOFF ◀────────────┤       stop_signal, grace timer
 *        ▲        failures       │ exit, to be replaced ▲        ▼
 *        │                       └──────────────────────┘     STOPPING ── exit ──▶ STOPPED
 *        │                                                       (grace over: SIGKILL to the group)
 *        └── a worker given up stays FAILED until started again
 *   RUNNING/STARTING ── exit, not to be replaced (done, or restart = "never") ──▶ EXITED
 * </pre>
 * STOPPED, EXITED and FAILED are at rest: no process, no timer. {@code start} moves them to STARTING.
 */
public enum WorkerState {
    /** Spawned; not ready yet (its ready mode is not met). */
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
    FAILED("failed");

    private final String label;

    WorkerState(String label) {
        this.label = label;
    }

    /** The lower-case name shown to users and used in JSON. */
    public String label() {
        return label;
    }

    /** Whether a process exists in this state. */
    public boolean hasProcess() {
        return this == STARTING || this == RUNNING || this == STOPPING;
    }

    /** Whether the worker is at rest: no process and nothing scheduled. */
    public boolean atRest() {
        return this == STOPPED || this == EXITED || this == FAILED;
    }

    /** The states this one may move to. */
    public Set<WorkerState> next() {
        return switch (this) {
            case STARTING -> EnumSet.of(RUNNING, STOPPING, EXITED, BACKOFF, FAILED);
            case RUNNING -> EnumSet.of(STOPPING, EXITED, BACKOFF, FAILED);
            case STOPPING -> EnumSet.of(STOPPED);
            case BACKOFF -> EnumSet.of(STARTING, STOPPED, FAILED, BACKOFF);
            case STOPPED, EXITED, FAILED -> EnumSet.of(STARTING, FAILED, BACKOFF);
        };
    }
}
