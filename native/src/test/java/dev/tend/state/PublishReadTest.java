package dev.tend.state;

import static dev.tend.state.StateFileLayout.LOCK_FREE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublishReadTest {
    @TempDir
    Path dir;
    StateFile file;
    StateReader reader;
    int slot;
    long epoch;

    @BeforeEach
    void createFile() {
        file = StateFile.create(dir.resolve("state"));
        slot = file.allocate("queue.1", "queue");
        epoch = file.newIncarnation(slot).token();
        reader = StateReader.open(file.path());
    }

    @AfterEach
    void closeFile() {
        reader.close();
        file.close();
    }

    private Publisher publisher() {
        return Publisher.open(file.path(), "queue.1", epoch);
    }

    private static PublishResult published(long version) {
        return new PublishResult(PublishResult.Status.PUBLISHED, version);
    }

    @Test
    void aSlotNeverPublishedToIsEmptyAtVersionZero() {
        SlotReader slotReader = reader.slot("queue.1");
        assertEquals(0, slotReader.version());
        Snapshot snapshot = slotReader.snapshot();
        assertEquals(0, snapshot.version());
        assertTrue(snapshot.isEmpty());
        assertEquals(-1, slotReader.ageMillis());
    }

    @Test
    void everyChangeBumpsTheVersionByOne() {
        SlotReader slotReader = reader.slot("queue");
        try (Publisher publisher = publisher()) {
            long before = System.currentTimeMillis();
            assertEquals(published(1), publisher.publishStrings(Map.of("status", "starting")));
            assertEquals(published(2), publisher.publishStrings(Map.of("status", "ready", "jobs", "0")));
            assertEquals(published(3), publisher.publish(Map.of("bin", new byte[] {0, (byte) 0xFF})));
            Snapshot snapshot = slotReader.snapshot();
            assertEquals(3, snapshot.version());
            assertEquals(3, slotReader.version());
            assertArrayEquals(new byte[] {0, (byte) 0xFF}, snapshot.get("bin"));
            assertEquals(List.of("bin"), snapshot.keys(), "a publish replaces the whole map");
            assertEquals(1, snapshot.writerEpoch(), "the incarnation number, not the secret token");
            assertTrue(snapshot.publishedAtMillis() >= before);
            assertTrue(slotReader.ageMillis() >= 0);
        }
    }

    @Test
    void anIdenticalPublishKeepsTheVersionAndWritesNothing() {
        try (Publisher publisher = publisher(); RawFile raw = new RawFile(file.path())) {
            publisher.publishStrings(Map.of("a", "1", "b", "2"));
            publisher.publishStrings(Map.of("a", "1", "b", "3"));
            long inactive = raw.buffer(slot, 1);
            long seqBefore = raw.seq(inactive);
            long allocEnd = raw.allocEnd();
            assertEquals(new PublishResult(PublishResult.Status.UNCHANGED, 2),
                    publisher.publishStrings(Map.of("b", "3", "a", "1")));
            assertEquals(seqBefore, raw.seq(inactive), "the unpublished buffer was not touched");
            assertEquals(allocEnd, raw.allocEnd());
            assertEquals(2, raw.publishedVersion(slot));
        }
        // A restarted worker (new process, new epoch, new publisher) republishing the same map.
        epoch = file.newIncarnation(slot).token();
        try (Publisher restarted = publisher()) {
            assertEquals(new PublishResult(PublishResult.Status.UNCHANGED, 2),
                    restarted.publishStrings(Map.of("a", "1", "b", "3")));
            assertEquals(published(3), restarted.publishStrings(Map.of("a", "1")));
        }
    }

    @Test
    void theReaderReturnsTheSameObjectWhileTheVersionIsUnchanged() {
        SlotReader slotReader = reader.slot("queue.1");
        try (Publisher publisher = publisher()) {
            publisher.publishStrings(Map.of("k", "v1"));
            Snapshot first = slotReader.snapshot();
            assertSame(first, slotReader.snapshot());
            publisher.publishStrings(Map.of("k", "v1"));
            assertSame(first, slotReader.snapshot(), "an unchanged publish keeps caches hot");
            publisher.publishStrings(Map.of("k", "v2"));
            Snapshot second = slotReader.snapshot();
            assertNotSame(first, second);
            assertEquals("v2", second.getString("k"));
            assertSame(first.keys(), second.keys(), "the same keys are not decoded again");
            assertSame(second, slotReader.snapshot());
            assertSame(second, reader.read("queue.1").get("queue.1"));
        }
    }

    @Test
    void severalNamesAreReadAtOnce() {
        int other = file.allocate("redis-main", "");
        try (Publisher a = publisher(); Publisher b = Publisher.open(file.path(), "redis-main",
                file.newIncarnation(other).token())) {
            a.publishStrings(Map.of("who", "queue"));
            b.publishStrings(Map.of("who", "redis"));
            Map<String, Snapshot> read = reader.read("redis-main", "queue");
            assertEquals(List.of("redis-main", "queue"), List.copyOf(read.keySet()));
            assertEquals("redis", read.get("redis-main").getString("who"));
            assertEquals("queue", read.get("queue").getString("who"));
            assertThrows(StateException.class, () -> reader.read("queue", "nope"));
        }
    }

    @Test
    void aStaleIncarnationMayNotPublish() {
        StateException atOpen = assertThrows(StateException.class,
                () -> Publisher.open(file.path(), "queue.1", epoch + 1));
        assertEquals(StateException.Reason.NOT_OWNER, atOpen.reason());
        try (Publisher stale = publisher()) {
            stale.publishStrings(Map.of("k", "old"));
            file.newIncarnation(slot);
            StateException e = assertThrows(StateException.class, () -> stale.publishStrings(Map.of("k", "x")));
            assertEquals(StateException.Reason.NOT_OWNER, e.reason());
            assertEquals("may not publish as worker queue.1: TEND_STATE_TOKEN is not the token tend gave its current"
                    + " process (epoch 2); only that process, started by tend, may publish into its slot", e.getMessage());
            assertEquals(StateException.Reason.NOT_OWNER,
                    assertThrows(StateException.class, () -> stale.tryPublish(Map.of())).reason());
            assertEquals("old", reader.slot("queue.1").snapshot().getString("k"));
        }
        try (Publisher supervisor = Publisher.openAsSupervisor(file.path(), "queue.1")) {
            assertEquals(published(2), supervisor.publishStrings(Map.of("k", "by tend")));
            assertEquals(0, reader.slot("queue.1").snapshot().writerEpoch());
        }
    }

    @Test
    void theLastSnapshotStaysReadableWhileTheWorkerIsDown() {
        SlotReader slotReader = reader.slot("queue.1");
        try (Publisher publisher = publisher()) {
            publisher.publishStrings(Map.of("jobs", "17"));
        }
        file.setOwner(slot, OwnerState.RUNNING, 1234, 10);
        assertTrue(slotReader.owner().running());
        Snapshot before = slotReader.snapshot();
        for (OwnerState state : List.of(OwnerState.BACKOFF, OwnerState.STARTING, OwnerState.EXITED,
                OwnerState.FAILED, OwnerState.STOPPED)) {
            file.setOwner(slot, state, 0, 20);
            Owner owner = slotReader.owner();
            assertEquals(state, owner.state());
            assertFalse(owner.running(), state + " is not running");
            assertSame(before, slotReader.snapshot(), "stale but available while " + state);
            assertEquals("17", slotReader.snapshot().getString("jobs"));
        }
        assertTrue(slotReader.ageMillis() >= 0);
    }

    @Test
    void aSnapshotOutgrowsItsBuffersWhileAnOpenReaderFollows() {
        SlotReader slotReader = reader.slot("queue.1");
        try (Publisher publisher = publisher(); RawFile raw = new RawFile(file.path())) {
            for (int size : new int[] {10, 100_000, 10, 400_000, 900_000, 5, (1 << 20) - 13}) {
                byte[] value = new byte[size];
                value[size - 1] = (byte) size;
                long version = publisher.publish(Map.of("k", value)).version();
                Snapshot snapshot = slotReader.snapshot();
                assertEquals(version, snapshot.version());
                assertArrayEquals(value, snapshot.get("k"));
            }
            assertEquals(raw.allocEnd(), raw.fileLength(), "every allocation was reserved with fallocate");
            StateException tooBig = assertThrows(StateException.class,
                    () -> publisher.publish(Map.of("k", new byte[1 << 20])));
            assertEquals(StateException.Reason.LIMIT, tooBig.reason());
            assertEquals("snapshot of 1048589 bytes exceeds the state file's limit of 1048576 bytes (1 MiB)"
                    + " (state.max_snapshot)", tooBig.getMessage());
            assertEquals(7, slotReader.version(), "a refused snapshot changes nothing");
        }
    }

    @Test
    void tryPublishAnswersBusyWhileAnotherPublisherHoldsTheLock() {
        try (Publisher publisher = publisher(); Publisher other = publisher()) {
            publisher.publishStrings(Map.of("k", "1"));
            // The lock word names a process, not a publisher: a second publisher in this JVM holding it is a
            // live holder like one in another process (and is never taken for a dead one).
            other.slotLock().lock();
            assertEquals(ProcessIdentity.current().lockOwner, other.slotLock().owner());
            assertEquals(PublishResult.busy(), publisher.tryPublish(Map.of("k", "2".getBytes(StandardCharsets.UTF_8))));
            assertEquals("1", reader.slot("queue.1").snapshot().getString("k"));
            assertEquals(new PublishResult(PublishResult.Status.UNCHANGED, 1),
                    publisher.tryPublish(Map.of("k", "1".getBytes(StandardCharsets.UTF_8))),
                    "an unchanged snapshot is recognised without the lock");
            other.slotLock().unlock();
            assertEquals(published(2), publisher.tryPublish(Map.of("k", "2".getBytes(StandardCharsets.UTF_8))));
            assertEquals(LOCK_FREE, publisher.slotLock().owner(), "released after the publish");
            assertEquals(0, publisher.slotLock().takeovers());
        }
    }

    @Test
    void aClosedPublisherRefusesToPublish() {
        Publisher publisher = publisher();
        publisher.close();
        publisher.close();
        assertThrows(IllegalStateException.class, () -> publisher.publishStrings(Map.of()));
    }
}
