package dev.tend.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Publishers in other processes, SIGKILLed at random instants while publishing snapshots of random size
 * (up to 256 KiB) in a tight loop: {@value #LANES} slot(s), each with its own succession of {@link #ROUNDS}
 * writer JVMs. Every other kill is aimed at a write in progress (odd sequence word), the others land at random
 * instants. (Two lanes were measured and not faster on 2 cores: the JVM start-ups just slow each other
 * down.) A reader thread here validates every snapshot the whole time. After each kill the last complete
 * snapshot must still be readable, and the next incarnation's first publish must be exactly the next version.
 */
class CrashTortureTest {
    private static final int LANES = 1;
    /** Kill-and-restart rounds per slot; each costs one JVM start (about 0.1 s on 2 cores, see HelperJvm). */
    private static final int ROUNDS = Integer.getInteger("tend.torture.rounds", 250);
    private static final int MAX_PAYLOAD = 256 * 1024;

    @TempDir
    Path dir;

    private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    private final AtomicInteger midWrite = new AtomicInteger();
    private final AtomicInteger lockHeld = new AtomicInteger();
    private final AtomicLong startupNanos = new AtomicLong();
    private final AtomicInteger liveWriters = new AtomicInteger();

    @Test
    void killedPublishersNeverExposeATornSnapshotNorBlockAnyone() throws InterruptedException {
        long seed = Long.getLong("tend.torture.seed", System.nanoTime());
        try (StateFile file = StateFile.create(dir.resolve("state"));
             StateReader reader = StateReader.open(file.path())) {
            List<SlotReader> slots = new ArrayList<>();
            for (int lane = 0; lane < LANES; lane++) {
                file.allocate("torture." + lane, "torture");
                slots.add(reader.slot("torture." + lane));
            }
            AtomicBoolean done = new AtomicBoolean();
            AtomicLong reads = new AtomicLong();
            AtomicLong validated = new AtomicLong();
            AtomicLong slowestReadNanos = new AtomicLong();
            Thread readerThread = new Thread(() -> {
                long[] last = new long[LANES];
                try {
                    while (!done.get()) {
                        if (liveWriters.get() == 0) {
                            // Leave the CPU to the writers' JVM start-up (2 cores for everything).
                            LockSupport.parkNanos(100_000);
                            continue;
                        }
                        for (int lane = 0; lane < LANES; lane++) {
                            long start = System.nanoTime();
                            Snapshot snapshot = slots.get(lane).snapshot();
                            slowestReadNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
                            reads.incrementAndGet();
                            if (snapshot.version() < last[lane]) {
                                throw new AssertionError("version went back from " + last[lane] + " to "
                                        + snapshot.version());
                            }
                            if (snapshot.version() != last[lane]) {
                                Payloads.verify(snapshot);
                                validated.incrementAndGet();
                                last[lane] = snapshot.version();
                            }
                        }
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            }, "torture-reader");
            readerThread.start();

            long started = System.nanoTime();
            List<Thread> lanes = new ArrayList<>();
            for (int lane = 0; lane < LANES; lane++) {
                int id = lane;
                Thread thread = new Thread(() -> {
                    try (RawFile raw = new RawFile(file.path())) {
                        killRepeatedly(file, raw, id, slots.get(id), new SplittableRandom(seed + id));
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }, "torture-lane-" + lane);
                lanes.add(thread);
                thread.start();
            }
            for (Thread thread : lanes) {
                thread.join(Duration.ofMinutes(5).toMillis());
            }
            done.set(true);
            readerThread.join(Duration.ofSeconds(10).toMillis());
            assertTrue(failures.isEmpty(), () -> "failed (seed " + seed + "): " + failures.peek());
            int kills = LANES * ROUNDS;
            System.out.printf("CrashTortureTest: %d kills in %.1f s, %d of them mid-write (odd sequence left), %d while"
                            + " holding the slot lock; %d reads, %d versions validated, slowest read %.2f ms, mean"
                            + " start-up %.0f ms%n",
                    kills, (System.nanoTime() - started) / 1e9, midWrite.get(), lockHeld.get(), reads.get(),
                    validated.get(), slowestReadNanos.get() / 1e6, startupNanos.get() / 1e6 / kills);
            assertTrue(midWrite.get() > 0, "no kill landed inside a write; the test would prove nothing");
            assertTrue(lockHeld.get() > 0, "no kill landed while a writer held the slot lock; takeovers went untested");
            assertTrue(validated.get() > kills, "the reader validated only " + validated + " versions");
        }
    }

    private void killRepeatedly(StateFile file, RawFile raw, int slot, SlotReader slotReader,
                                SplittableRandom random) {
        for (int round = 0; round < ROUNDS && failures.isEmpty(); round++) {
            long before = raw.publishedVersion(slot);
            long epoch;
            synchronized (file) {
                epoch = file.newIncarnation(slot).token();
                file.setOwner(slot, OwnerState.STARTING, 0, System.currentTimeMillis());
            }
            long spawned = System.nanoTime();
            try (JvmChild writer = JvmChild.helper("torture-writer", file.path().toString(), "torture." + slot,
                    Long.toString(epoch), Integer.toString(MAX_PAYLOAD))) {
                String first = writer.readLine(Duration.ofSeconds(30));
                startupNanos.addAndGet(System.nanoTime() - spawned);
                synchronized (file) {
                    file.setOwner(slot, OwnerState.RUNNING, writer.pid(), System.currentTimeMillis());
                }
                assertEquals("first " + (before + 1), first, "the successor continues at version + 1");
                liveWriters.incrementAndGet();
                try {
                    long target = before + 1 + random.nextInt(6);
                    Deadline.await(Duration.ofSeconds(30), "version " + target,
                            () -> slotReader.version() >= target);
                    if (round % 2 == 0) {
                        // At a random instant of the publish loop: encoding, locking, copying, flipping, unlocking.
                        LockSupport.parkNanos(random.nextLong(2_000_000));
                    } else {
                        // On purpose while it writes: the instant a torn snapshot could exist.
                        Deadline.await(Duration.ofSeconds(30), "a write in progress", () -> {
                            long inactive = raw.buffer(slot, (int) ((raw.publishedVersion(slot) + 1) & 1));
                            return inactive != 0 && (raw.seq(inactive) & 1) == 1;
                        });
                    }
                    writer.kill();
                } finally {
                    liveWriters.decrementAndGet();
                }
            }
            synchronized (file) {
                file.setOwner(slot, OwnerState.BACKOFF, 0, System.currentTimeMillis());
            }
            long published = raw.publishedVersion(slot);
            long inactive = raw.buffer(slot, (int) ((published + 1) & 1));
            if (inactive != 0 && (raw.seq(inactive) & 1) == 1) {
                midWrite.incrementAndGet();
            }
            // Left behind by a writer killed while it held the slot lock: its successor must take it over.
            if (raw.getLong(RawFile.descriptor(slot) + StateFileLayout.LOCK_OWNER_OFFSET) != StateFileLayout.LOCK_FREE) {
                lockHeld.incrementAndGet();
            }
            Snapshot survivor = slotReader.snapshot();
            assertEquals(published, survivor.version(), "the last complete snapshot stays readable");
            Payloads.verify(survivor);
        }
    }
}
