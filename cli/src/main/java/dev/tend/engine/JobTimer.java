package dev.tend.engine;

import dev.tend.config.JobSettings;
import dev.tend.os.Reactor;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * When a scheduled job runs next: one timer on the event loop, armed for the next planned run and armed again each
 * time it fires, whatever became of the run (overlapping runs are {@link Supervisor}'s to settle).
 *
 * <p>{@code every} is planned on the monotonic clock, from one planned start to the next, so a change of the wall
 * clock does not move it. A {@code schedule} is planned on the wall clock in its zone, and the timer armed for the
 * time left until then; when it fires the wall clock is read again: if it is still before the planned time (the
 * clock was stepped back) the run is planned anew from the clock's time; if it is past (the machine slept, or the
 * clock was stepped forward) the job runs once and the next run is planned from now, so missed runs never come in
 * a burst. Loop thread only.
 */
final class JobTimer {
    /** A timer may fire a little before the wall clock says the time has come (the clocks drift apart). */
    private static final long EARLY_MILLIS = 1000;

    private final JobSettings settings;
    private final Reactor reactor;
    private final LongSupplier epochMillis;
    /** Called with how late, in milliseconds, the run that is due now is. */
    private final LongConsumer due;
    private Reactor.Timer timer;
    /** The next run on the clock it is planned on: monotonic nanoseconds ({@code every}) or epoch milliseconds. */
    private long planned;
    private long nextEpochMillis;
    /** A run to start as soon as the current one has ended (overlap = "queue" or "replace", or tend start). */
    private boolean runPending;

    JobTimer(JobSettings settings, Reactor reactor, LongSupplier epochMillis, LongConsumer due) {
        this.settings = settings;
        this.reactor = reactor;
        this.epochMillis = epochMillis;
        this.due = due;
    }

    JobSettings settings() {
        return settings;
    }

    /** Plans the first run from now, unless a run is planned already. */
    void start() {
        if (timer != null) {
            return;
        }
        if (settings.when() instanceof JobSettings.Every every) {
            planned = reactor.nanoTime() + every.interval().toNanos();
            arm(every.interval().toNanos());
        } else {
            planFrom(epochMillis.getAsLong());
        }
    }

    /** No more runs until {@link #start()}. */
    void cancel() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        nextEpochMillis = 0;
        runPending = false;
    }

    /** When the next run is planned, in milliseconds since the epoch; 0 when none is (the job is stopped). */
    long nextEpochMillis() {
        return nextEpochMillis;
    }

    /** Asks for a run as soon as possible: at once if none runs, else once the current one has ended. */
    void requestRun() {
        runPending = true;
    }

    /** Whether a run was asked for; asking again is needed for another. */
    boolean takeRunPending() {
        boolean pending = runPending;
        runPending = false;
        return pending;
    }

    private void fired() {
        timer = null;
        long late;
        if (settings.when() instanceof JobSettings.Every every) {
            long now = reactor.nanoTime();
            late = TimeUnit.NANOSECONDS.toMillis(now - planned);
            long interval = every.interval().toNanos();
            planned = planned + interval > now ? planned + interval : now + interval;
            arm(planned - now);
        } else {
            long now = epochMillis.getAsLong();
            if (now < planned - EARLY_MILLIS) {
                // The clock went back: the times it shows again are planned as it names them.
                planFrom(now);
                return;
            }
            if (now < planned) {
                arm(TimeUnit.MILLISECONDS.toNanos(planned - now));
                nextEpochMillis = planned;
                return;
            }
            late = now - planned;
            planFrom(now);
        }
        due.accept(late);
    }

    private void planFrom(long nowMillis) {
        JobSettings.Cron cron = (JobSettings.Cron) settings.when();
        Optional<ZonedDateTime> next = cron.schedule().next(Instant.ofEpochMilli(nowMillis).atZone(cron.zone()));
        if (next.isEmpty()) {
            // The parser refuses expressions that name no time at all; this is one that names none for years.
            nextEpochMillis = 0;
            return;
        }
        planned = next.get().toInstant().toEpochMilli();
        arm(TimeUnit.MILLISECONDS.toNanos(planned - nowMillis));
        nextEpochMillis = planned;
    }

    /** Arms the timer; the time of the next run shown is the wall clock's now plus the delay. */
    private void arm(long delayNanos) {
        long delay = Math.max(0, delayNanos);
        nextEpochMillis = epochMillis.getAsLong() + TimeUnit.NANOSECONDS.toMillis(delay);
        timer = reactor.schedule(delay, TimeUnit.NANOSECONDS, this::fired);
    }
}
