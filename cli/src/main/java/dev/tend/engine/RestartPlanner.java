package dev.tend.engine;

import dev.tend.config.Command;
import dev.tend.config.RestartPolicy;
import dev.tend.config.WorkerSettings;
import dev.tend.os.ExitStatus;
import java.time.Duration;

/**
 * Decides what follows the exit of a worker that was not asked to stop: a pure function of the exit,
 * how long it ran, its earlier consecutive failures and its settings.
 *
 * <ul>
 *   <li>The failure count starts again from zero when the worker ran longer than {@code backoff_max}; such a
 *       worker, which was healthy until now, is replaced at once (as runit and supervisord do), without waiting
 *       {@code backoff_min}: the delay is for a worker that keeps failing.</li>
 *   <li>{@code restart = "never"}: EXITED. {@code "on-failure"}: EXITED after exit 0, else replaced.
 *       {@code "always"}: replaced; an exit 0 is not a failure and waits only {@code backoff_min}.</li>
 *   <li>A replaced failure waits {@code backoff_min × 2^(failures−1)}, at most {@code backoff_max}.</li>
 *   <li>After {@code max_failures} consecutive failures the worker is given up (FAILED).</li>
 *   <li>{@code /bin/sh -c} exiting 127 (command not found) or 126 (not executable) is given up at once:
 *       retrying cannot help.</li>
 * </ul>
 */
public final class RestartPlanner {
    private RestartPlanner() {}

    /**
     * What happens next.
     *
     * @param next     EXITED, BACKOFF or FAILED.
     * @param delay    how long to wait before starting again (BACKOFF only).
     * @param failures the consecutive failure count after this exit.
     * @param reason   why, when the worker is given up; otherwise empty.
     */
    public record Decision(WorkerState next, Duration delay, int failures, String reason) {}

    public static Decision afterExit(ExitStatus status, Duration ranFor, int failuresBefore, WorkerSettings settings) {
        boolean healthyRun = ranFor.compareTo(settings.backoffMax()) > 0;
        int failures = healthyRun ? 0 : failuresBefore;
        if (status.success()) {
            if (settings.restart() == RestartPolicy.ALWAYS) {
                return new Decision(WorkerState.BACKOFF, settings.backoffMin(), 0, "");
            }
            return new Decision(WorkerState.EXITED, Duration.ZERO, 0, "");
        }
        failures++;
        if (settings.command() instanceof Command.Shell && status instanceof ExitStatus.Exited exited
                && (exited.code() == 127 || exited.code() == 126)) {
            return new Decision(WorkerState.FAILED, Duration.ZERO, failures, exited.code() == 127
                    ? "gave up: the shell could not find the command (exit status 127)"
                    : "gave up: the shell could not execute the command (exit status 126)");
        }
        if (settings.restart() == RestartPolicy.NEVER) {
            return new Decision(WorkerState.EXITED, Duration.ZERO, failures, "");
        }
        if (failures >= settings.maxFailures()) {
            return new Decision(WorkerState.FAILED, Duration.ZERO, failures,
                    "gave up after " + failures + " consecutive failure" + (failures == 1 ? "" : "s") + " (max_failures = "
                            + settings.maxFailures() + ")");
        }
        return new Decision(WorkerState.BACKOFF, healthyRun ? Duration.ZERO : backoff(failures, settings), failures, "");
    }

    /** The delay before the next start after {@code failures} consecutive failures (at least 1). */
    public static Duration backoff(int failures, WorkerSettings settings) {
        Duration delay = settings.backoffMin();
        for (int i = 1; i < failures && delay.compareTo(settings.backoffMax()) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(settings.backoffMax()) > 0 ? settings.backoffMax() : delay;
    }
}
