package dev.tend.state;

import static dev.tend.state.StateFileLayout.LOCK_FREE;
import static dev.tend.state.StateFileLayout.LOCK_OWNER_OFFSET;
import static dev.tend.state.StateFileLayout.LOCK_PID_BITS;
import static dev.tend.state.StateFileLayout.PID_NAMESPACE_OFFSET;
import static dev.tend.state.StateFileLayout.TIME_NAMESPACE_OFFSET;
import static dev.tend.state.StateFileLayout.lockOwner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.os.ProcessInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The slot lock word against forged holders: whatever a lock word names, a publisher waits only for a
 * process that exists with that start time, and takes the lock over from anything else. (Real holders,
 * killed and frozen ones included, are in CrossProcessPublishTest.)
 */
class SlotLockTest {
    @TempDir
    Path dir;
    StateFile file;
    RawFile raw;
    Publisher publisher;
    int slot;
    long word;

    @BeforeEach
    void createFile() {
        file = StateFile.create(dir.resolve("state"));
        slot = file.allocate("w.1", "w");
        raw = new RawFile(file.path());
        publisher = Publisher.openAsSupervisor(file.path(), "w.1");
        word = RawFile.descriptor(slot) + LOCK_OWNER_OFFSET;
        publisher.publishStrings(Map.of("n", "1"));
    }

    @AfterEach
    void closeFile() {
        publisher.close();
        raw.close();
        file.close();
    }

    private static long startOf(int pid) {
        return ProcessInfo.startTime(pid).orElseThrow();
    }

    private PublishResult tryPublish(String n) {
        return publisher.tryPublish(Map.of("n", n.getBytes()));
    }

    @Test
    void aLiveProcessWithTheRecordedStartTimeHoldsTheLock() {
        // pid 1 is alive for as long as the machine (or container) is.
        long init = lockOwner(1, startOf(1));
        raw.putLong(word, init);
        assertTrue(SlotLock.holderAlive(init, ProcessIdentity.current().lockOwner));
        assertEquals(PublishResult.busy(), tryPublish("2"));
        assertEquals(init, raw.getLong(word), "a BUSY answer leaves the word alone");
        assertEquals(1, raw.publishedVersion(slot));
        raw.putLong(word, LOCK_FREE);
        assertEquals(new PublishResult(PublishResult.Status.PUBLISHED, 2), tryPublish("2"));
    }

    @Test
    void aRecycledPidDoesNotPassForTheDeadHolder() {
        // What a holder that died leaves behind once its pid went to another process: same pid, other start time.
        long recycled = lockOwner(1, startOf(1) + 1);
        raw.putLong(word, recycled);
        assertFalse(SlotLock.holderAlive(recycled, ProcessIdentity.current().lockOwner));
        assertEquals(new PublishResult(PublishResult.Status.PUBLISHED, 2), tryPublish("2"),
                "tryPublish takes the lock over instead of answering BUSY");
        assertEquals(1, publisher.slotLock().takeovers());
        // The same with a blocking publish, and with this very process's pid but another start time.
        long earlierSelf = lockOwner(ProcessIdentity.current().pid, ProcessIdentity.current().startTicks - 1);
        raw.putLong(word, earlierSelf);
        assertEquals(new PublishResult(PublishResult.Status.PUBLISHED, 3), publisher.publishStrings(Map.of("n", "3")));
        assertEquals(2, publisher.slotLock().takeovers());
        assertEquals(LOCK_FREE, raw.getLong(word));
    }

    @Test
    void aPidNobodyHasIsDead() {
        int unused = (1 << LOCK_PID_BITS) - 1;
        assertTrue(ProcessInfo.startTime(unused).isEmpty(), "pid " + unused + " exists here after all");
        raw.putLong(word, lockOwner(unused, 12345));
        assertEquals(new PublishResult(PublishResult.Status.PUBLISHED, 2), tryPublish("2"));
        // A word no writer would store (pid 0) names nobody either.
        raw.putLong(word, 77L << LOCK_PID_BITS);
        assertEquals(new PublishResult(PublishResult.Status.PUBLISHED, 3), tryPublish("3"));
        assertEquals(2, publisher.slotLock().takeovers());
    }

    @Test
    void anotherThreadOfThisProcessIsAlwaysAlive() throws InterruptedException {
        long self = ProcessIdentity.current().lockOwner;
        assertEquals(lockOwner(ProcessHandle.current().pid(), startOf((int) ProcessHandle.current().pid())), self);
        raw.putLong(word, self);
        assertTrue(SlotLock.holderAlive(self, self), "decided without /proc");
        assertEquals(PublishResult.busy(), tryPublish("2"));
        // A blocking publish waits for the other thread, however long, and goes on when it unlocks.
        AtomicReference<Object> result = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                result.set(publisher.publishStrings(Map.of("n", "2")));
            } catch (Throwable t) {
                result.set(t);
            }
        });
        waiter.start();
        Deadline.await(Duration.ofSeconds(10), "the publish to park", () -> waiter.getState() == Thread.State.TIMED_WAITING);
        Thread.sleep(50);
        assertNull(result.get(), "published although another thread holds the lock");
        raw.putLong(word, LOCK_FREE);
        waiter.join(Duration.ofSeconds(10).toMillis());
        assertEquals(new PublishResult(PublishResult.Status.PUBLISHED, 2), result.get());
        assertEquals(0, publisher.slotLock().takeovers(), "a thread of a live process is never taken over from");
    }

    @Test
    void anUnchangedSnapshotIsAnsweredWithoutTheLock() {
        raw.putLong(word, lockOwner(1, startOf(1)));
        assertEquals(new PublishResult(PublishResult.Status.UNCHANGED, 1), tryPublish("1"));
        assertEquals(new PublishResult(PublishResult.Status.UNCHANGED, 1), publisher.publishStrings(Map.of("n", "1")),
                "publish does not wait for a holder either when there is nothing to write");
    }

    @Test
    void publishersFromAnotherNamespaceAreRefused() {
        long pidNamespace = raw.getLong(PID_NAMESPACE_OFFSET);
        assertEquals(ProcessIdentity.current().pidNamespace, pidNamespace);
        assertTrue(pidNamespace != 0, "this kernel shows /proc/self/ns/pid");
        raw.putLong(PID_NAMESPACE_OFFSET, pidNamespace + 1);
        StateException e = assertThrows(StateException.class, () -> Publisher.openAsSupervisor(file.path(), "w.1"));
        assertEquals(StateException.Reason.INCOMPATIBLE, e.reason());
        assertTrue(e.getMessage().startsWith("cannot publish to state file " + file.path() + " from PID namespace "
                + pidNamespace + ": it was created in PID namespace " + (pidNamespace + 1)), e.getMessage());
        raw.putLong(PID_NAMESPACE_OFFSET, pidNamespace);
        long timeNamespace = raw.getLong(TIME_NAMESPACE_OFFSET);
        raw.putLong(TIME_NAMESPACE_OFFSET, timeNamespace + 1);
        assertTrue(assertThrows(StateException.class, () -> Publisher.openAsSupervisor(file.path(), "w.1"))
                .getMessage().contains("time namespace"));
        raw.putLong(TIME_NAMESPACE_OFFSET, timeNamespace);
        // Readers need no lock, so they do not care.
        try (StateReader reader = StateReader.open(file.path())) {
            assertEquals("1", reader.slot("w.1").snapshot().getString("n"));
        }
    }
}
