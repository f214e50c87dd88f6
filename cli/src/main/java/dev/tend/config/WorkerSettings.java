package dev.tend.config;

import dev.tend.os.Signal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Everything that says how one worker runs, shared by pools and lazily started workers.
 *
 * @param command     what it runs.
 * @param cwd         its working directory (absolute).
 * @param env         variables set on top of the supervisor's environment and the top-level {@code [env]}.
 * @param restart     when it is replaced after ending.
 * @param backoffMin  the first delay before replacing a failed worker.
 * @param backoffMax  the longest delay; also how long a worker must run for its failure count to reset.
 * @param maxFailures consecutive failures after which it is given up.
 * @param grace       how long it has to stop after its stdin is closed before its process group is killed.
 * @param stopSignal  a signal sent to the process group together with closing stdin, if any.
 * @param ready       when it counts as ready.
 * @param start       when it may start ({@code depends_on}) and when a start counts ({@code start_window}).
 * @param health      its health probe ({@code [pool.NAME.health]}), if any.
 * @param stopSignalAfter how long after closing stdin {@code stopSignal} is sent (zero: together with it).
 * @param log         where its output is written (a log file, or tend's stdout).
 * @param limits      what it may use before it is restarted ({@code max_memory}).
 * @param watch       the files whose changes restart its pool under {@code tend up --watch} (pools only).
 * @param job         when a scheduled pool runs ({@code schedule} or {@code every}); empty for a pool that runs
 *                    continuously.
 */
public record WorkerSettings(Command command, Path cwd, Map<String, String> env, RestartPolicy restart,
                             Duration backoffMin, Duration backoffMax, int maxFailures, Duration grace,
                             Optional<Signal> stopSignal, ReadyMode ready, StartRules start,
                             Optional<HealthCheck> health, Duration stopSignalAfter, LogSettings log,
                             ResourceLimits limits, WatchSettings watch, Optional<JobSettings> job) {
    public WorkerSettings {
        env = Map.copyOf(env);
    }

    /** The same settings running another command. */
    public WorkerSettings withCommand(Command other) {
        return new WorkerSettings(other, cwd, env, restart, backoffMin, backoffMax, maxFailures, grace, stopSignal,
                ready, start, health, stopSignalAfter, log, limits, watch, job);
    }

    /**
     * The same settings without their log file: what a reload compares to decide on a restart (a changed log
     * file only reopens the file).
     */
    public WorkerSettings withoutLog() {
        return new WorkerSettings(command, cwd, env, restart, backoffMin, backoffMax, maxFailures, grace, stopSignal,
                ready, start, health, stopSignalAfter, LogSettings.NONE, limits, watch, job);
    }
}
