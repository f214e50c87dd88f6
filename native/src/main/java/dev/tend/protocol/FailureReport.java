package dev.tend.protocol;

import dev.tend.text.Human;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a user needs to see when a worker cannot be kept running: which worker, the command, how it
 * ended, how many attempts were made, how long the last one ran, and the last lines of its stderr. The
 * supervisor logs it, replies carry it, and clients print it with the same {@link #lines()}.
 *
 * @param worker   the worker name.
 * @param pool     its pool.
 * @param command  the command as configured.
 * @param reason   what happened, as a predicate of the worker: {@code gave up after 6 consecutive failures},
 *                 {@code not ready after 30s (state starting)}.
 * @param lastExit how the last attempt ended ({@code exit status 3}, {@code signal SEGV}), or the start
 *                 error when it could not be started at all.
 * @param attempts how many times it was started.
 * @param ranFor   how long the last attempt ran, in whole milliseconds as replies carry it; zero while it
 *                 still runs.
 * @param stderr   the last lines of its stderr, oldest first.
 */
public record FailureReport(String worker, String pool, String command, String reason, String lastExit,
                            int attempts, Duration ranFor, List<String> stderr) {
    /** How many lines of stderr a report keeps. */
    public static final int STDERR_LINES = 10;

    public FailureReport {
        // Truncated as in a reply, so that a client prints exactly what the supervisor logged.
        ranFor = Duration.ofMillis(ranFor.toMillis());
        stderr = List.copyOf(stderr);
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
        if (stderr.isEmpty()) {
            out.add("  stderr:    (nothing)");
        } else {
            out.add("  last lines of stderr:");
            for (String line : stderr) {
                out.add("    " + line);
            }
        }
        return out;
    }

    /** The report as a reply carries it. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(Protocol.WORKER, worker);
        m.put(Protocol.POOL, pool);
        m.put(Protocol.COMMAND, command);
        m.put(Protocol.REASON, reason);
        m.put(Protocol.LAST_EXIT, lastExit);
        m.put(Protocol.ATTEMPTS, attempts);
        m.put(Protocol.RAN_FOR_MS, ranFor.toMillis());
        m.put(Protocol.STDERR, stderr);
        return m;
    }

    /** A report read from a reply. */
    public static FailureReport fromJson(Map<String, ?> json) {
        return new FailureReport(Members.text(json, Protocol.WORKER), Members.text(json, Protocol.POOL),
                Members.text(json, Protocol.COMMAND), Members.text(json, Protocol.REASON),
                Members.text(json, Protocol.LAST_EXIT), (int) Members.number(json, Protocol.ATTEMPTS),
                Duration.ofMillis(Members.number(json, Protocol.RAN_FOR_MS)), Members.texts(json, Protocol.STDERR));
    }
}
