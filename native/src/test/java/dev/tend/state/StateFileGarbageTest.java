package dev.tend.state;

import static dev.tend.state.StateFileLayout.FIRST_BLOCK_OFFSET;
import static dev.tend.state.StateFileLayout.NAME_LENGTH_OFFSET;
import static dev.tend.state.StateFileLayout.OWNER_EPOCH_OFFSET;
import static dev.tend.state.StateFileLayout.SLOT_COUNT_OFFSET;
import static dev.tend.state.StateFileLayout.descriptorOffset;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A state file is writable by every worker: what one writes over the supervisor's fields must give readers a clear
 * error, and must not change what the supervisor itself believes.
 */
class StateFileGarbageTest {
    @TempDir
    Path dir;

    /** Writes over the file through its descriptor, as a worker's {@code dd} does, not through a mapping. */
    private static void scribble(Path path, long offset, ByteBuffer bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            channel.write(bytes, offset);
        }
    }

    private static ByteBuffer u64(long value) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value);
    }

    private static ByteBuffer u32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value);
    }

    @Test
    void aReaderNamesTheOffsetOfAnImpossibleSlotCount() throws IOException {
        Path path = dir.resolve("state");
        try (StateFile file = StateFile.create(path)) {
            file.allocate("w.1", "w");
            scribble(path, SLOT_COUNT_OFFSET, u64(Integer.MAX_VALUE));
            try (StateReader reader = StateReader.open(path)) {
                StateException e = assertThrows(StateException.class, reader::slots);
                assertEquals(StateException.Reason.CORRUPT, e.reason());
                assertEquals("state file " + path + " is corrupted at offset 64 (slotCount): a slot count of 2147483647"
                        + " is impossible", e.getMessage());
            }
            // Within the format's bound, but its table blocks cannot be in a file this short.
            scribble(path, SLOT_COUNT_OFFSET, u64(64));
            try (StateReader reader = StateReader.open(path)) {
                StateException e = assertThrows(StateException.class, () -> reader.slot("w"));
                assertEquals("state file " + path + " is corrupted at offset 64 (slotCount): a slot count of 64 needs a"
                        + " file of at least 36864 bytes", e.getMessage());
            }
        }
    }

    @Test
    void aReaderNamesTheOffsetOfAGarbageNameLength() throws IOException {
        Path path = dir.resolve("state");
        try (StateFile file = StateFile.create(path)) {
            file.allocate("w.1", "w");
            long field = descriptorOffset(FIRST_BLOCK_OFFSET, 0) + NAME_LENGTH_OFFSET;
            scribble(path, field, u32(-5));
            try (StateReader reader = StateReader.open(path)) {
                StateException e = assertThrows(StateException.class, reader::slots);
                assertEquals("state file " + path + " is corrupted at offset " + field + " (nameLength): slot 0 has a"
                        + " name of -5 bytes", e.getMessage());
            }
        }
    }

    @Test
    void theSupervisorKeepsItsOwnBooksWhateverIsWrittenOverThem() throws IOException {
        Path path = dir.resolve("state");
        try (StateFile file = StateFile.create(path)) {
            file.allocate("w.1", "w");
            file.allocate("w.2", "w");
            assertEquals(1, file.newIncarnation(0).epoch());
            scribble(path, SLOT_COUNT_OFFSET, u64(Integer.MAX_VALUE));
            scribble(path, descriptorOffset(FIRST_BLOCK_OFFSET, 0) + OWNER_EPOCH_OFFSET, u64(999));
            assertEquals(2, file.slotCount());
            assertEquals(1, file.allocate("w.2", "w"));
            assertEquals(2, file.allocate("w.3", "w"));
            assertEquals(2, file.newIncarnation(0).epoch(), "the epoch this supervisor handed out, not the one written over it");
            file.setOwner(2, OwnerState.RUNNING, 42, 1);
            try (StateReader reader = StateReader.open(path)) {
                assertEquals(List.of("w.1", "w.2", "w.3"), reader.slots(), "the next allocation rewrote the count");
                assertEquals(42, reader.slot("w.3").owner().pid());
            }
        }
    }

    @Test
    void theSupervisorStopsWritingToATruncatedFile() throws IOException {
        Path path = dir.resolve("state");
        StateFile file = StateFile.create(path);
        file.allocate("w.1", "w");
        assertTrue(file.intact());
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            channel.truncate(0);
        }
        assertFalse(file.intact());
        StateException e = assertThrows(StateException.class, () -> file.setOwner(0, OwnerState.RUNNING, 42, 1));
        assertTrue(e.getMessage().contains("was truncated by someone else"), e.getMessage());
        file.close();
    }
}
