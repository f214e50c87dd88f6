package dev.tend.state;

import static dev.tend.state.StateFileLayout.ALLOC_END_OFFSET;
import static dev.tend.state.StateFileLayout.CAPACITY_OFFSET;
import static dev.tend.state.StateFileLayout.LENGTH_OFFSET;
import static dev.tend.state.StateFileLayout.PAYLOAD_OFFSET;
import static dev.tend.state.StateFileLayout.PUBLISHED_VERSION_OFFSET;
import static dev.tend.state.StateFileLayout.SEQ_OFFSET;
import static dev.tend.state.StateFileLayout.bufOffsetField;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forges, word by word, what a publisher killed at each step of the protocol leaves behind, then checks
 * that readers keep the last complete version without waiting and that the next publisher continues at
 * version + 1. (CrashTortureTest kills real publishers at random instants; this pins every step.)
 */
class DeadWriterStatesTest {
    @TempDir
    Path dir;
    StateFile file;
    StateReader reader;
    RawFile raw;
    int slot;

    @BeforeEach
    void createFile() {
        file = StateFile.create(dir.resolve("state"));
        slot = file.allocate("w.1", "w");
        reader = StateReader.open(file.path());
        raw = new RawFile(file.path());
    }

    @AfterEach
    void closeFile() {
        raw.close();
        reader.close();
        file.close();
    }

    private void publishTwice() {
        try (Publisher publisher = Publisher.openAsSupervisor(file.path(), "w.1")) {
            publisher.publishStrings(Map.of("v", "1"));
            publisher.publishStrings(Map.of("v", "2"));
        }
    }

    /** The dead writer's steps for version {@code next}, up to and including {@code lastStep}. */
    private void dieDuring(long next, int lastStep) {
        long descriptor = RawFile.descriptor(slot);
        long buffer = raw.buffer(slot, (int) (next & 1));
        Region region = raw.region(buffer + PAYLOAD_OFFSET + 64);
        if (lastStep >= 1) {
            region.setRelease(buffer + SEQ_OFFSET, 2 * next - 1);
        }
        if (lastStep >= 2) {
            // Half a payload: a plausible length and garbage that is not a valid encoding.
            region.putLong(buffer + LENGTH_OFFSET, 40);
            region.copyIn(buffer + PAYLOAD_OFFSET, new byte[] {9, 9, 9, 9, 9}, 0, 5);
        }
        if (lastStep >= 3) {
            byte[] complete = SnapshotCodec.encode(Map.of("v", "orphan".getBytes()), 1 << 20);
            region.putLong(buffer + LENGTH_OFFSET, complete.length);
            region.copyIn(buffer + PAYLOAD_OFFSET, complete, 0, complete.length);
            region.setRelease(buffer + SEQ_OFFSET, 2 * next);
        }
        assertEquals(next - 1, raw.publishedVersion(slot), "the dead writer never flipped " + descriptor);
    }

    private void assertSurvives(long lastGood, String lastValue) {
        SlotReader slotReader = reader.slot("w.1");
        Snapshot snapshot = slotReader.snapshot();
        assertEquals(lastGood, snapshot.version());
        assertEquals(lastValue, snapshot.getString("v"));
        assertSame(snapshot, slotReader.snapshot());
        try (Publisher successor = Publisher.openAsSupervisor(file.path(), "w.1")) {
            assertEquals(new PublishResult(PublishResult.Status.PUBLISHED, lastGood + 1),
                    successor.publishStrings(Map.of("v", "successor")));
        }
        assertEquals("successor", slotReader.snapshot().getString("v"));
        assertEquals(lastGood + 1, slotReader.snapshot().version());
    }

    @Test
    void killedBeforeTheOddSequence() {
        publishTwice();
        reader.slot("w.1").snapshot();
        dieDuring(3, 0);
        assertSurvives(2, "2");
    }

    @Test
    void killedRightAfterTheOddSequence() {
        publishTwice();
        dieDuring(3, 1);
        assertSurvives(2, "2");
    }

    @Test
    void killedHalfwayThroughThePayload() {
        publishTwice();
        dieDuring(3, 2);
        assertSurvives(2, "2");
    }

    @Test
    void killedAfterTheEvenSequenceBeforeTheFlip() {
        publishTwice();
        dieDuring(3, 3);
        assertSurvives(2, "2");
    }

    @Test
    void killedWhileGrowingIntoANewBuffer() {
        publishTwice();
        // It claimed space (allocEnd moved) and even stored the new offset, then died before the flip.
        long claimed = raw.allocEnd();
        raw.putLong(ALLOC_END_OFFSET, claimed + 4096);
        try (WritableStateFile stateFile = WritableStateFile.open(file.path())) {
            stateFile.reserve(claimed, 4096);
        }
        raw.putLong(claimed + CAPACITY_OFFSET, 4096 - PAYLOAD_OFFSET);
        raw.putLong(claimed + SEQ_OFFSET, 5);
        raw.putLong(bufOffsetField(RawFile.descriptor(slot), 1), claimed);
        assertSurvives(2, "2");
    }

    @Test
    void killedDuringTheFirstPublish() {
        // Claimed and reserved a buffer and marked it odd, but never stored its offset or flipped.
        long claimed = raw.allocEnd();
        raw.putLong(ALLOC_END_OFFSET, claimed + 256);
        try (WritableStateFile stateFile = WritableStateFile.open(file.path())) {
            stateFile.reserve(claimed, 256);
        }
        raw.putLong(claimed + SEQ_OFFSET, 1);
        Snapshot empty = reader.slot("w.1").snapshot();
        assertEquals(0, empty.version());
        assertTrue(empty.isEmpty());
        try (Publisher successor = Publisher.openAsSupervisor(file.path(), "w.1")) {
            assertEquals(1, successor.publishStrings(Map.of("v", "first")).version());
        }
        assertEquals("first", reader.slot("w.1").snapshot().getString("v"));
    }

    @Test
    void aBrokenWriterIsReportedNotReturnedNorWaitedFor() {
        publishTwice();
        long buffer = raw.buffer(slot, 1);
        // A flip to version 3 whose buffer was never completed: only a buggy writer does this.
        raw.putLong(buffer + SEQ_OFFSET, 5);
        raw.putLong(RawFile.descriptor(slot) + PUBLISHED_VERSION_OFFSET, 3);
        StateException stuck = assertThrows(StateException.class, () -> reader.slot("w.1").snapshot());
        assertEquals(StateException.Reason.CORRUPT, stuck.reason());
        assertTrue(stuck.getMessage().contains("version 3 is published but its buffer holds sequence 5"),
                stuck.getMessage());
        // Complete sequence, malformed payload.
        raw.putLong(buffer + SEQ_OFFSET, 6);
        raw.region(buffer + 80).copyIn(buffer + PAYLOAD_OFFSET, new byte[] {1, 0, 0, 0}, 0, 4);
        raw.putLong(buffer + LENGTH_OFFSET, 4);
        StateException malformed = assertThrows(StateException.class, () -> reader.slot("w.1").snapshot());
        assertEquals(StateException.Reason.CORRUPT, malformed.reason());
        assertTrue(malformed.getMessage().contains("malformed payload"), malformed.getMessage());
        // A length beyond the buffer's capacity.
        raw.putLong(buffer + LENGTH_OFFSET, 1 << 30);
        StateException length = assertThrows(StateException.class, () -> reader.slot("w.1").snapshot());
        assertTrue(length.getMessage().contains("has a length of"), length.getMessage());
    }
}
