package dev.tend.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.os.ExitStatus;
import dev.tend.os.Signal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Publishers of one slot in different processes and threads: the slot's lock word serialises them, a live
 * holder (running or frozen) is waited for, and a dead one (killed, even mid-write; or a zombie) is taken over.
 */
class CrossProcessPublishTest {
    @TempDir
    Path dir;

    @Test
    void twoProcessesPublishingIntoOneSlotSerialise() throws InterruptedException {
        try (StateFile file = StateFile.create(dir.resolve("state"));
             StateReader reader = StateReader.open(file.path())) {
            int slot = file.allocate("worker.1", "worker");
            long epoch = file.newIncarnation(slot).token();
            SlotReader slotReader = reader.slot("worker.1");
            AtomicBoolean done = new AtomicBoolean();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            AtomicInteger switches = new AtomicInteger();
            Thread validator = new Thread(() -> {
                long last = 0;
                long lastWriter = 0;
                try {
                    while (!done.get()) {
                        Snapshot snapshot = slotReader.snapshot();
                        if (snapshot.version() < last) {
                            throw new AssertionError("version went back to " + snapshot.version());
                        }
                        if (snapshot.version() != last) {
                            Payloads.verify(snapshot);
                            last = snapshot.version();
                            long writer = Payloads.writer(snapshot);
                            if (lastWriter != 0 && writer != lastWriter) {
                                switches.incrementAndGet();
                            }
                            lastWriter = writer;
                        }
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            });
            validator.start();
            // Two `tend set` processes of the same worker, with two publishing threads each: same slot, same
            // epoch. The threads of one process hold the lock under the same name.
            try (JvmChild one = JvmChild.helper("contend", file.path().toString(), "worker.1",
                    Long.toString(epoch), "1", "2");
                 JvmChild two = JvmChild.helper("contend", file.path().toString(), "worker.1",
                         Long.toString(epoch), "2", "2")) {
                assertEquals("ready", one.readLine(Duration.ofSeconds(30)));
                assertEquals("ready", two.readLine(Duration.ofSeconds(30)));
                file.setOwner(slot, OwnerState.RUNNING, one.pid(), System.currentTimeMillis());
                // Writers 1, 2, 1 in a row mean writer 1 published on both sides of writer 2: they interleave.
                Deadline.await(Duration.ofSeconds(60), "4000 publishes, interleaved",
                        () -> slotReader.version() >= 4000 && switches.get() >= 10);
                // A new epoch stops both: their next publish is refused.
                file.newIncarnation(slot).token();
                String[] doneOne = one.readLine(Duration.ofSeconds(60)).split(" ");
                String[] doneTwo = two.readLine(Duration.ofSeconds(60)).split(" ");
                String both = String.join(" ", doneOne) + " / " + String.join(" ", doneTwo);
                assertTrue(Integer.parseInt(doneOne[2]) + Integer.parseInt(doneTwo[2]) > 0,
                        "the writers interleaved (one published between two of the other's): " + both);
                long total = Long.parseLong(doneOne[1]) + Long.parseLong(doneTwo[1]);
                assertEquals(total, slotReader.version(), "every distinct publish got its own version: " + both);
                assertEquals(new ExitStatus.Exited(0), one.awaitExit(Duration.ofSeconds(30)));
                assertEquals(new ExitStatus.Exited(0), two.awaitExit(Duration.ofSeconds(30)));
            } finally {
                done.set(true);
                validator.join(Duration.ofSeconds(10).toMillis());
            }
            assertTrue(failures.isEmpty(), () -> "validator failed: " + failures.peek());
            Payloads.verify(slotReader.snapshot());
        }
    }

    @Test
    void aFrozenLockHolderMakesTryPublishBusyButNeverBlocksReaders() throws InterruptedException {
        try (StateFile file = StateFile.create(dir.resolve("state"));
             StateReader reader = StateReader.open(file.path());
             Publisher tend = Publisher.openAsSupervisor(file.path(), ensureSlots(file))) {
            SlotReader slotReader = reader.slot("frozen.1");
            tend.publishStrings(Map.of("status", "before"));
            Snapshot before = slotReader.snapshot();
            try (JvmChild holder = JvmChild.helper("lock-holder", file.path().toString(), "frozen.1");
                 Publisher other = Publisher.openAsSupervisor(file.path(), "other.1")) {
                assertEquals("locked", holder.readLine(Duration.ofSeconds(30)));
                holder.signal(Signal.STOP);

                long start = System.nanoTime();
                assertEquals(PublishResult.busy(), tend.tryPublish(Map.of("status", "after".getBytes())));
                assertTrue(System.nanoTime() - start < Duration.ofSeconds(1).toNanos(), "tryPublish never waits");
                assertSame(before, slotReader.snapshot(), "readers are unaffected by the frozen holder");
                assertEquals("before", slotReader.snapshot().getString("status"));
                assertEquals(1, other.publishStrings(Map.of("k", "v")).version(), "other slots' locks are free");

                // A blocking publish waits for the holder, and goes through once it is dead: the lock is taken over.
                AtomicReference<Object> blocked = new AtomicReference<>();
                Thread waiter = new Thread(() -> {
                    try {
                        blocked.set(tend.publishStrings(Map.of("status", "after")));
                    } catch (Throwable t) {
                        blocked.set(t);
                    }
                });
                waiter.start();
                Deadline.await(Duration.ofSeconds(10), "publish to park in SlotLock.lock",
                        () -> waiter.getState() == Thread.State.TIMED_WAITING
                                && Arrays.stream(waiter.getStackTrace()).anyMatch(frame ->
                                        frame.getClassName().equals(SlotLock.class.getName())
                                                && frame.getMethodName().equals("lock")));
                assertEquals(null, blocked.get(), "publish returned although the lock is held");
                holder.kill();
                waiter.join(Duration.ofSeconds(10).toMillis());
                assertEquals(new PublishResult(PublishResult.Status.PUBLISHED, 2), blocked.get());
            }
            assertEquals("after", slotReader.snapshot().getString("status"));
            assertEquals(new PublishResult(PublishResult.Status.PUBLISHED, 3),
                    tend.tryPublish(Map.of("status", "free".getBytes())));
        }
    }

    @Test
    void aPublisherKilledMidWriteWhileHoldingTheLockIsTakenOverAtVersionPlusOne() {
        try (StateFile file = StateFile.create(dir.resolve("state"));
             StateReader reader = StateReader.open(file.path());
             RawFile raw = new RawFile(file.path());
             Publisher tend = Publisher.openAsSupervisor(file.path(), ensureSlots(file))) {
            int slot = reader.slots().indexOf("frozen.1");
            SlotReader slotReader = reader.slot("frozen.1");
            tend.publishStrings(Map.of("status", "one"));
            tend.publishStrings(Map.of("status", "two"));
            Snapshot before = slotReader.snapshot();
            try (JvmChild holder = JvmChild.helper("lock-holder", file.path().toString(), "frozen.1", "mid-write")) {
                assertEquals("locked", holder.readLine(Duration.ofSeconds(30)));
                long owner = raw.getLong(RawFile.descriptor(slot) + StateFileLayout.LOCK_OWNER_OFFSET);
                assertEquals(holder.pid(), StateFileLayout.lockPid(owner), "the lock word names its holder");
                assertEquals(1, raw.seq(raw.buffer(slot, 1)) & 1, "the holder left a write in progress");
                holder.kill();
                assertEquals(owner, raw.getLong(RawFile.descriptor(slot) + StateFileLayout.LOCK_OWNER_OFFSET),
                        "a killed holder leaves its name behind");
            }
            assertSame(before, slotReader.snapshot(), "readers never noticed");
            long start = System.nanoTime();
            assertEquals(new PublishResult(PublishResult.Status.PUBLISHED, 3),
                    tend.tryPublish(Map.of("status", "three".getBytes())), "tryPublish takes over from the dead");
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(1).toNanos(), "without waiting");
            assertEquals(1, tend.slotLock().takeovers());
            assertEquals(StateFileLayout.LOCK_FREE, tend.slotLock().owner());
            assertEquals("three", slotReader.snapshot().getString("status"));
            assertEquals(3, slotReader.snapshot().version());
        }
    }

    @Test
    void aHolderThatDiedButIsNotReapedYetIsDeadToo() {
        try (StateFile file = StateFile.create(dir.resolve("state"));
             StateReader reader = StateReader.open(file.path());
             Publisher tend = Publisher.openAsSupervisor(file.path(), ensureSlots(file))) {
            tend.publishStrings(Map.of("status", "before"));
            try (JvmChild holder = JvmChild.helper("lock-holder", file.path().toString(), "frozen.1")) {
                assertEquals("locked", holder.readLine(Duration.ofSeconds(30)));
                // Killed, but its parent (this JVM) has not reaped it: a zombie whose pid is still taken.
                holder.signal(Signal.KILL);
                Path stat = Path.of("/proc/" + holder.pid() + "/stat");
                Deadline.await(Duration.ofSeconds(10), "the holder to become a zombie", () -> {
                    try {
                        String line = Files.readString(stat);
                        return line.substring(line.lastIndexOf(')') + 2).startsWith("Z");
                    } catch (IOException e) {
                        return false;
                    }
                });
                assertEquals(new PublishResult(PublishResult.Status.PUBLISHED, 2),
                        tend.publishStrings(Map.of("status", "after")));
                assertEquals(1, tend.slotLock().takeovers());
                assertTrue(Files.exists(stat), "still a zombie: the takeover did not wait for the reap");
            }
            assertEquals("after", reader.slot("frozen.1").snapshot().getString("status"));
        }
    }

    private static String ensureSlots(StateFile file) {
        file.allocate("frozen.1", "frozen");
        file.allocate("other.1", "other");
        return "frozen.1";
    }
}
