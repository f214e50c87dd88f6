package dev.tend.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.config.CronSchedule;
import dev.tend.config.JobSettings;
import dev.tend.os.Reactor;
import dev.tend.testing.Await;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A schedule's timer on a real loop, against a wall clock the test sets: it runs with the real time but can be
 * stepped forward or back, as NTP or a suspend would.
 */
class JobTimerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long NOON = Instant.parse("2026-03-02T12:00:00Z").toEpochMilli();
    private static final JobSettings EVERY_MINUTE = new JobSettings(new JobSettings.Cron(parse("* * * * *"),
            ZoneOffset.UTC), JobSettings.Overlap.SKIP);

    private final Reactor reactor = new Reactor(Throwable::printStackTrace);
    private final Thread loop = new Thread(reactor::run, "job-timer-test");
    private final long start = System.nanoTime();
    /** The wall clock: the real time since the test began, plus this. */
    private final AtomicLong offset = new AtomicLong();
    /** The wall clock's time at each run due, and how late it was said to be. */
    private final List<long[]> runs = new CopyOnWriteArrayList<>();

    private static CronSchedule parse(String text) {
        try {
            return CronSchedule.parse(text);
        } catch (CronSchedule.Invalid e) {
            throw new AssertionError(e);
        }
    }

    private long wall() {
        return offset.get() + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    @BeforeEach
    void startLoop() {
        loop.start();
    }

    @AfterEach
    void stopLoop() throws InterruptedException {
        reactor.stop();
        loop.join();
        reactor.close();
    }

    private <T> T onLoop(Supplier<T> action) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        reactor.execute(() -> result.complete(action.get()));
        return result.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private JobTimer started(JobSettings settings) throws Exception {
        return onLoop(() -> {
            JobTimer timer = new JobTimer(settings, reactor, this::wall, late -> runs.add(new long[] {wall(), late}));
            timer.start();
            return timer;
        });
    }

    @Test
    void shouldRunOnceAfterTheClockJumpsForwardAndPlanFromThen() throws Exception {
        offset.set(NOON + 59_800);
        JobTimer timer = started(EVERY_MINUTE);
        assertEquals(NOON + 60_000, (long) onLoop(timer::nextEpochMillis));
        // Before it fires, the machine "sleeps" three and a half hours.
        offset.addAndGet(Duration.ofMinutes(210).toMillis());
        Await.until(WAIT, "the run due", () -> !runs.isEmpty());
        long[] run = runs.get(0);
        assertTrue(run[1] >= Duration.ofMinutes(209).toMillis(), "said to be late: " + run[1]);
        long next = onLoop(timer::nextEpochMillis);
        assertEquals(0, next % 60_000, "at a whole minute");
        assertTrue(next > run[0] && next <= run[0] + 60_000, "the next run is planned from now, not from the missed ones");
        assertEquals(1, runs.size(), "one run, not one per missed minute");
    }

    @Test
    void shouldPlanAgainWhenTheClockGoesBack() throws Exception {
        offset.set(NOON + 59_800);
        JobTimer timer = started(EVERY_MINUTE);
        // Stepped back an hour, less 500 ms: when the timer fires, the clock says 11:00:59.5, not 12:01.
        offset.addAndGet(-Duration.ofHours(1).toMillis() - 500);
        Await.until(WAIT, "the run due at 11:01", () -> !runs.isEmpty());
        long[] run = runs.get(0);
        long elevenOhOne = NOON - Duration.ofHours(1).toMillis() + 60_000;
        assertTrue(run[0] >= elevenOhOne && run[0] < elevenOhOne + 2_000, "ran when the clock said 11:01, at "
                + Instant.ofEpochMilli(run[0]));
        assertTrue(run[1] < 2_000, "not late: " + run[1]);
        assertEquals(elevenOhOne + 60_000, (long) onLoop(timer::nextEpochMillis));
    }

    @Test
    void shouldKeepEveryOnTheMonotonicClockWhateverTheWallClockDoes() throws Exception {
        offset.set(NOON);
        JobTimer timer = started(new JobSettings(new JobSettings.Every(Duration.ofMillis(300)), JobSettings.Overlap.SKIP));
        offset.addAndGet(-Duration.ofDays(1).toMillis());
        Await.until(WAIT, "two runs", () -> runs.size() >= 2);
        onLoop(() -> {
            timer.cancel();
            return null;
        });
        assertEquals(0, (long) onLoop(timer::nextEpochMillis), "cancelled: nothing planned");
    }
}
