package dev.tend.engine;

import dev.tend.text.Human;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a user needs to see when a worker cannot be kept running: which worker, the command, how it
 * ended, how many attempts were made, how long the last one ran, and the last lines of its stderr.
 *
 * @param worker     the worker name.
 * @param pool       its pool.
 * @param command    the command as configured.
 * @param reason     what happened, as a predicate of the worker: {@code gave up after 6 consecutive failures},
 *                   {@code not ready after 30s (state starting)}.
 * @param lastExit   how the last attempt ended ({@code exit status 3}, {@code signal SEGV}), or the start
 *                   error when it could not be started at all.
 * @param attempts   how many times it was started.
 * @param ranFor     how long the last attempt ran.
 * @param lastStderr the last lines of its stderr, oldest first.
 */
public record FailureReport(String worker, String pool, String command, String reason, String lastExit,
                            int attempts, Duration ranFor, List<String> lastStderr) {
    public static final int STDERR_LINES = 10;

    public FailureReport {
        lastStderr = List.copyOf(lastStderr);
    }

    /** The headline: {@code web.2 gave up after 6 consecutive failures (max_failures = 6)}. */
    public String headline() {
        return worker + " " + reason;
    }

    /** The report as lines, the headline first. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add(headline());
        out.add("  pool:      " + pool);
        out.add("  command:   " + command);
        out.add("  last exit: " + lastExit + (ranFor.isZero() ? "" : " after running " + Human.duration(ranFor)));
        out.add("  attempts:  " + attempts);
        if (lastStderr.isEmpty()) {
            out.add("  stderr:    (nothing)");
        } else {
            out.add("  last lines of stderr:");
            for (String line : lastStderr) {
                out.add("    " + line);
            }
        }
        return out;
    }
}
