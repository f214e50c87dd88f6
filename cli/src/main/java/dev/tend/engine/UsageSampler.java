package dev.tend.engine;

import dev.tend.os.Reactor;
import dev.tend.os.UsageScanner;
import dev.tend.protocol.ResourceUsage;
import dev.tend.text.Human;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Samples what every worker's process group, and tend itself, use: CPU (as a percentage of one CPU) and resident
 * memory, read in one scan of {@code /proc} ({@link UsageScanner}) on the event loop, no thread.
 *
 * <p>It samples only when someone needs the figures, so that an idle tend costs nothing: every {@link #PERIOD}
 * while a running worker's pool has {@code max_memory} (a worker over it at a sample is handed to
 * {@code overLimit}, which restarts it), at least as often as {@linkplain #demand demanded} while a live view is
 * open, and when {@code tend ps} asks ({@link #refresh}). With none of these, no timer is armed.
 *
 * <p>A worker's CPU figure is its group's CPU time over the time since its previous sample, or since its process
 * was spawned when this is its first. Figures are kept with the pid they were taken of, so a restarted worker
 * shows nothing until its new process is sampled.
 */
public final class UsageSampler {
    /**
     * How often usage is sampled while a running worker's pool has {@code max_memory} and nobody demands more. One
     * sample costs a few milliseconds of CPU with 100 workers (docs/performance.md), well under 0.1% of a CPU at
     * this period, and a worker that leaks is caught within 5 s of going over its limit.
     */
    public static final Duration PERIOD = Duration.ofSeconds(5);
    /** The shortest period a demand may ask for: more often would cost the loop, and CPU figures get coarse. */
    public static final Duration SHORTEST_PERIOD = Duration.ofMillis(250);
    /** How old a sample {@link #refresh} reuses rather than taking another: {@code tend ps} in a loop scans at most once a second. */
    public static final Duration FRESH = Duration.ofSeconds(1);

    /** A demand for samples at least every {@code period}; {@link #close()} withdraws it. */
    public final class Registration implements AutoCloseable {
        private final long periodNanos;
        private final Runnable afterSample;

        private Registration(long periodNanos, Runnable afterSample) {
            this.periodNanos = periodNanos;
            this.afterSample = afterSample;
        }

        /** Withdraws the demand; the sampler goes back to the longest period still needed, or stops. Idempotent. */
        @Override
        public void close() {
            demands.remove(this);
        }
    }

    private record Track(int pid, long atNanos, long cpuNanos, ResourceUsage usage) {}

    private final Reactor reactor;
    private final Collection<Worker> workers;
    private final BiConsumer<Worker, String> overLimit;
    private final Consumer<String> trouble;
    private final Set<Registration> demands = new LinkedHashSet<>();
    private final Map<String, Track> tracks = new HashMap<>();
    private UsageScanner scanner;
    private Track own;
    private Optional<ResourceUsage> ownUsage = Optional.empty();
    private Reactor.Timer timer;
    private long nextNanos;
    private long lastNanos;
    private boolean sampled;
    private boolean troubleSaid;

    /**
     * @param workers   the supervisor's workers, a live view read at each sample.
     * @param overLimit called with a worker over its {@code max_memory} and what to say about it.
     * @param trouble   told once if {@code /proc} cannot be read; sampling goes on trying.
     */
    UsageSampler(Reactor reactor, Collection<Worker> workers, BiConsumer<Worker, String> overLimit,
                 Consumer<String> trouble) {
        this.reactor = reactor;
        this.workers = workers;
        this.overLimit = overLimit;
        this.trouble = trouble;
    }

    /** A worker's process was spawned: its pool's {@code max_memory}, if any, needs the timer. On the loop thread. */
    void spawned(Worker worker) {
        if (timer == null && worker.spec.settings().limits().any()) {
            arm(PERIOD.toNanos());
        }
    }

    /**
     * Takes a sample now unless the last one is younger than {@link #FRESH}: what {@code tend ps} calls before it
     * reads the figures. On the loop thread.
     */
    public void refresh() {
        if (!sampled || reactor.nanoTime() - lastNanos >= FRESH.toNanos()) {
            scan();
        }
    }

    /**
     * Makes the sampler sample at least every {@code period} (no more often than {@link #SHORTEST_PERIOD}) until
     * the registration is closed: what a live view asks for while it is open. On the loop thread.
     *
     * @param afterSample run on the loop thread after each sample while registered (those of the timer and those
     *                    {@link #refresh} takes), e.g. to push the figures to a live view.
     */
    public Registration demand(Duration period, Runnable afterSample) {
        long nanos = Math.max(SHORTEST_PERIOD.toNanos(), Math.min(period.toNanos(), PERIOD.toNanos()));
        Registration r = new Registration(nanos, afterSample);
        demands.add(r);
        if (timer == null || nextNanos - reactor.nanoTime() > nanos) {
            if (timer != null) {
                timer.cancel();
            }
            arm(nanos);
        }
        return r;
    }

    /** {@link #demand(Duration, Runnable)} without a callback. */
    public Registration demand(Duration period) {
        return demand(period, () -> { });
    }

    /** The period in force: the shortest one demanded, else {@link #PERIOD}; empty while the timer is off. */
    public Optional<Duration> period() {
        return timer == null ? Optional.empty() : Optional.of(Duration.ofNanos(periodNanos()));
    }

    /** What the process {@code pid} of {@code worker} used at the last sample; empty if it was not sampled. */
    public Optional<ResourceUsage> of(String worker, int pid) {
        Track t = tracks.get(worker);
        return t != null && pid > 0 && t.pid() == pid ? Optional.of(t.usage()) : Optional.empty();
    }

    /** What tend itself used between its last two samples; empty before the second. */
    public Optional<ResourceUsage> own() {
        return ownUsage;
    }

    private long periodNanos() {
        long nanos = PERIOD.toNanos();
        for (Registration r : demands) {
            nanos = Math.min(nanos, r.periodNanos);
        }
        return nanos;
    }

    private void arm(long delayNanos) {
        nextNanos = reactor.nanoTime() + delayNanos;
        timer = reactor.schedule(delayNanos, TimeUnit.NANOSECONDS, this::sample);
    }

    /** Whether the timer must go on: a demand is open, or a running worker's pool has a limit. */
    private boolean needed() {
        if (!demands.isEmpty()) {
            return true;
        }
        for (Worker w : workers) {
            if (w.process != null && w.spec.settings().limits().any()) {
                return true;
            }
        }
        return false;
    }

    private void sample() {
        timer = null;
        try {
            scan();
        } finally {
            if (needed()) {
                arm(periodNanos());
            }
        }
    }

    private void scan() {
        List<Worker> running = new ArrayList<>();
        for (Worker w : workers) {
            if (w.process != null) {
                running.add(w);
            }
        }
        int[] groups = new int[running.size()];
        for (int i = 0; i < groups.length; i++) {
            groups[i] = running.get(i).process.pid();
        }
        UsageScanner.Sample sample;
        try {
            if (scanner == null) {
                scanner = new UsageScanner();
            }
            sample = scanner.scan(groups);
        } catch (RuntimeException e) {
            if (!troubleSaid) {
                troubleSaid = true;
                trouble.accept("cannot sample CPU and memory (" + e.getMessage() + "); ps shows none, and max_memory"
                        + " is not enforced until it can");
            }
            return;
        }
        long now = reactor.nanoTime();
        sampled = true;
        lastNanos = now;
        Map<String, Track> seen = new HashMap<>();
        for (Worker w : running) {
            int pid = w.process.pid();
            UsageScanner.Usage used = sample.groups().get(pid);
            if (used == null) {
                continue;
            }
            Track before = tracks.get(w.name());
            boolean same = before != null && before.pid() == pid;
            Track t = track(pid, now, used, same ? before.atNanos() : w.startedNanos, same ? before.cpuNanos() : 0);
            seen.put(w.name(), t);
            checkLimit(w, used.rssBytes());
        }
        tracks.clear();
        tracks.putAll(seen);
        ownSample(now, sample.self());
        for (Registration r : List.copyOf(demands)) {
            if (demands.contains(r)) {
                r.afterSample.run();
            }
        }
    }

    private void ownSample(long now, UsageScanner.Usage self) {
        Track ownBefore = own;
        own = track(0, now, self, ownBefore == null ? now : ownBefore.atNanos(),
                ownBefore == null ? self.cpuNanos() : ownBefore.cpuNanos());
        if (ownBefore != null) {
            ownUsage = Optional.of(own.usage());
        }
    }

    private static Track track(int pid, long now, UsageScanner.Usage used, long sinceNanos, long cpuBefore) {
        long elapsed = now - sinceNanos;
        // A child that moved to a group of its own takes its time with it: the group's total can go down.
        double cpu = elapsed > 0 ? Math.max(0, used.cpuNanos() - cpuBefore) * 100.0 / elapsed : 0;
        return new Track(pid, now, used.cpuNanos(), new ResourceUsage(cpu, used.rssBytes()));
    }

    private void checkLimit(Worker w, long rss) {
        OptionalLong limit = w.spec.settings().limits().maxMemoryBytes();
        if (limit.isPresent() && rss > limit.getAsLong() && w.state() != WorkerState.STOPPING) {
            overLimit.accept(w, "uses " + Human.bytes(rss) + " > max_memory " + Human.bytes(limit.getAsLong()));
        }
    }
}
