package dev.tend.engine;

import dev.tend.protocol.HealthEntry;
import java.util.Optional;

/**
 * A snapshot of one worker, taken on the loop thread and safe to hand to any other thread.
 *
 * @param name              {@code POOL.I} or the lazily started name.
 * @param pool              its pool or lazy declaration.
 * @param instance          its number in the pool.
 * @param state             its state.
 * @param pid               the pid of its running process, or 0.
 * @param ready             whether it is running and its ready mode is met.
 * @param finishedCleanly   whether it has exited 0 and is not replaced: its job is done.
 * @param startedEpochMillis when its current (or last) process started, or 0 if it never started.
 * @param stateSinceMillis  when it entered its current state.
 * @param restarts          how many times it was replaced after ending by itself.
 * @param failures          its current count of consecutive failures.
 * @param attempts          how many times it was started.
 * @param lastExit          how its last process ended ({@code exit status 1}, {@code signal KILL}), or empty.
 * @param reason            why it was given up, or empty.
 * @param status            the last {@code STATUS=} it sent with the notify protocol, or empty.
 * @param health            its health probe's status, once it was started with a probe.
 * @param job               when it runs next and how long its last run took, if its pool is a scheduled job.
 */
public record WorkerStatus(String name, String pool, int instance, WorkerState state, int pid, boolean ready,
                           boolean finishedCleanly, long startedEpochMillis, long stateSinceMillis, int restarts,
                           int failures, int attempts, String lastExit, String reason, String status,
                           Optional<HealthEntry> health, Optional<Job> job) {
    /**
     * A scheduled job's timing.
     *
     * @param nextRunEpochMillis when its next run is planned; 0 while it is stopped.
     * @param lastRunMillis      how long its last run took; -1 before its first.
     */
    public record Job(long nextRunEpochMillis, long lastRunMillis) {}

    /** Ready, or its job done: either way it does not hold back the readiness of the whole instance. */
    public boolean readyOrFinished() {
        return ready || finishedCleanly;
    }
}
