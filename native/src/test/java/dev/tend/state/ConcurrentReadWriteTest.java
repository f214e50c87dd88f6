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
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readers racing a writer in other threads of this JVM: every snapshot read must be whole. */
class ConcurrentReadWriteTest {
    private static final int PUBLISHES = 20_000;

    @TempDir
    Path dir;

    @Test
    void readersNeverSeeATornSnapshotAndVersionsNeverGoBack() throws InterruptedException {
        try (StateFile file = StateFile.create(dir.resolve("state"));
             StateReader reader = StateReader.open(file.path())) {
            int slot = file.allocate("w.1", "w");
            long epoch = file.newIncarnation(slot).token();
            AtomicBoolean done = new AtomicBoolean();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            AtomicLong changesSeen = new AtomicLong();
            List<Thread> readers = new ArrayList<>();
            StateReader second = StateReader.open(file.path());
            for (int r = 0; r < 2; r++) {
                // Separate readers in one JVM: one shares the StateReader's slot cache, one has its own file.
                StateReader own = r == 0 ? reader : second;
                Thread thread = new Thread(() -> {
                    long last = 0;
                    try {
                        SlotReader slotReader = own.slot("w.1");
                        while (!done.get()) {
                            Snapshot snapshot = slotReader.snapshot();
                            long version = snapshot.version();
                            if (version < last) {
                                throw new AssertionError("version went back from " + last + " to " + version);
                            }
                            if (version != last) {
                                long n = Payloads.verify(snapshot);
                                if (n != version - 1) {
                                    throw new AssertionError("version " + version + " holds publish #" + n);
                                }
                                changesSeen.incrementAndGet();
                                last = version;
                            }
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }, "reader-" + r);
                readers.add(thread);
                thread.start();
            }
            SplittableRandom random = new SplittableRandom(42);
            try (Publisher publisher = Publisher.open(file.path(), "w.1", epoch)) {
                for (int n = 0; n < PUBLISHES && failures.isEmpty(); n++) {
                    PublishResult result = publisher.publish(Payloads.make(1, n, 16 + random.nextInt(32_768)));
                    assertEquals(n + 1, result.version());
                }
            } finally {
                done.set(true);
                for (Thread thread : readers) {
                    thread.join(Duration.ofSeconds(10).toMillis());
                }
                second.close();
            }
            assertTrue(failures.isEmpty(), () -> "reader failed: " + failures.peek());
            assertTrue(changesSeen.get() > 100, "readers overlapped the writer only " + changesSeen + " times");
            assertEquals(PUBLISHES, reader.slot("w.1").snapshot().version());
        }
    }

    @Test
    void publishersInOneJvmSerialise() throws InterruptedException {
        try (StateFile file = StateFile.create(dir.resolve("state"))) {
            file.allocate("w.1", "w");
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            Publisher shared = Publisher.openAsSupervisor(file.path(), "w.1");
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                int id = w;
                // Two threads share one publisher (its own mutex), one has its own publisher (the slot's lock word).
                Publisher publisher = w < 2 ? shared : Publisher.openAsSupervisor(file.path(), "w.1");
                Thread thread = new Thread(() -> {
                    try {
                        for (int n = 0; n < 2000; n++) {
                            PublishResult result = publisher.publish(Payloads.make(id, n, 100 + n % 3000));
                            assertEquals(PublishResult.Status.PUBLISHED, result.status());
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                });
                writers.add(thread);
                thread.start();
            }
            for (Thread thread : writers) {
                thread.join(Duration.ofSeconds(30).toMillis());
            }
            shared.close();
            assertTrue(failures.isEmpty(), () -> "writer failed: " + failures.peek());
            try (StateReader reader = StateReader.open(file.path())) {
                Snapshot last = reader.slot("w.1").snapshot();
                assertEquals(6000, last.version(), "no publish was lost to a concurrent one");
                Payloads.verify(last);
            }
        }
    }
}
