package dev.tend.engine;

import dev.tend.config.HealthCheck;
import dev.tend.os.Reactor;
import dev.tend.protocol.HealthEntry;
import dev.tend.text.Human;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The health probe of one running worker process, on the event loop: one probe at a time, each limited by the
 * timeout (a timer), the next one {@code interval} after the end of the last. Until the first probe passes,
 * probes run every second at least, so that {@code ready = "healthy"} is noticed soon; failures then count only
 * once {@code start_period} is over. After {@code failures} consecutive failures that count, the worker is
 * unhealthy: the monitor stops and tells its listener, which restarts the worker.
 */
final class HealthMonitor {
    /** What the monitor tells the engine, on the loop thread. */
    interface Listener {
        /** A probe passed (every time; the engine makes the first one the worker's readiness). */
        void passed();

        /** The failures reached the threshold; {@code report} says which probe, how and what it saw. */
        void unhealthy(String why, List<String> report);

        /** The status changed (for the state board and {@code tend ps}). */
        void changed();
    }

    /** Starts one run of a probe; {@code done} may be called before it returns. */
    interface Launcher {
        ProbeAttempt launch(HealthCheck.Probe probe, Consumer<ProbeResult> done);
    }

    /** How often probes run, at most, before the first one passes. */
    static final Duration FIRST_PASS_INTERVAL = Duration.ofSeconds(1);

    private final HealthCheck check;
    private final Launcher launcher;
    private final Reactor reactor;
    private final LongSupplier epochMillis;
    private final Listener listener;
    private final long startedNanos;
    private ProbeAttempt attempt;
    /** Which run is current: a result of an earlier one (abandoned, or already judged) is dropped. */
    private long run;
    private Reactor.Timer timer;
    private boolean stopped;
    private boolean everPassed;
    private int failures;
    private String status = "starting";
    private String lastResult = "";
    private long lastCheckEpochMillis;
    private String message = "";
    private List<String> output = List.of();

    HealthMonitor(HealthCheck check, Launcher launcher, Reactor reactor, LongSupplier epochMillis, Listener listener) {
        this.check = check;
        this.launcher = launcher;
        this.reactor = reactor;
        this.epochMillis = epochMillis;
        this.listener = listener;
        this.startedNanos = reactor.nanoTime();
    }

    /** Schedules the first probe. */
    void start() {
        scheduleNext();
    }

    /** Stops probing: cancels the timer and abandons the probe under way. Idempotent. */
    void stop() {
        stopped = true;
        run++;
        cancelTimer();
        if (attempt != null) {
            ProbeAttempt a = attempt;
            attempt = null;
            a.abandon();
        }
    }

    HealthEntry snapshot() {
        return new HealthEntry(check.probe().describe(), status, failures, check.failures(), lastResult,
                lastCheckEpochMillis, message, output);
    }

    private void scheduleNext() {
        Duration delay = everPassed || check.interval().compareTo(FIRST_PASS_INTERVAL) < 0 ? check.interval()
                : FIRST_PASS_INTERVAL;
        timer = reactor.schedule(delay.toNanos(), TimeUnit.NANOSECONDS, () -> {
            timer = null;
            probe();
        });
    }

    private void probe() {
        if (stopped) {
            return;
        }
        long current = ++run;
        ProbeAttempt started;
        try {
            started = launcher.launch(check.probe(), result -> {
                if (run == current) {
                    judge(result);
                }
            });
        } catch (RuntimeException e) {
            // Short of descriptors or memory, say: a failed probe, and probing goes on.
            judge(new ProbeResult(false, "tend could not run the probe (" + e.getMessage() + ")", List.of()));
            return;
        }
        if (run == current) {
            attempt = started;
            timer = reactor.schedule(check.timeout().toNanos(), TimeUnit.NANOSECONDS, () -> {
                timer = null;
                if (run == current && attempt != null) {
                    ProbeAttempt a = attempt;
                    List<String> seen = a.output();
                    a.abandon();
                    judge(new ProbeResult(false, "timed out after " + Human.duration(check.timeout()), seen));
                }
            });
        }
    }

    private void judge(ProbeResult result) {
        run++;
        attempt = null;
        cancelTimer();
        lastResult = result.passed() ? "passed" : "failed";
        lastCheckEpochMillis = epochMillis.getAsLong();
        message = result.how();
        output = result.output();
        if (result.passed()) {
            everPassed = true;
            failures = 0;
            status = "healthy";
            listener.changed();
            listener.passed();
        } else if (!everPassed && reactor.nanoTime() - startedNanos < check.startPeriod().toNanos()) {
            // Still in its start period: the worker may not listen yet.
            listener.changed();
        } else {
            failures++;
            if (failures >= check.failures()) {
                status = "unhealthy";
                stop();
                listener.changed();
                listener.unhealthy(check.probe().describe() + " failed " + failures + " time"
                        + (failures == 1 ? "" : "s") + " in a row (last: " + result.how() + ")", report(result));
                return;
            }
            status = "failing";
            listener.changed();
        }
        if (!stopped) {
            scheduleNext();
        }
    }

    private List<String> report(ProbeResult result) {
        List<String> lines = new ArrayList<>();
        lines.add("  probe:     " + check.probe().describe() + " (every " + Human.duration(check.interval())
                + ", timeout " + Human.duration(check.timeout()) + ", failures = " + check.failures() + ")");
        lines.add("  last:      " + result.how());
        if (result.output().isEmpty()) {
            lines.add("  output:    (nothing)");
        } else {
            lines.add("  last output of the probe:");
            result.output().forEach(line -> lines.add("    " + line));
        }
        return lines;
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }
}
