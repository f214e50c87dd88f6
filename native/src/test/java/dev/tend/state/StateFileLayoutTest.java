package dev.tend.state;

import static dev.tend.state.StateFileLayout.ALLOC_END_OFFSET;
import static dev.tend.state.StateFileLayout.BUF_OFFSETS_OFFSET;
import static dev.tend.state.StateFileLayout.CACHE_LINE;
import static dev.tend.state.StateFileLayout.CAPACITY_OFFSET;
import static dev.tend.state.StateFileLayout.CREATED_AT_OFFSET;
import static dev.tend.state.StateFileLayout.DEFAULT_MAX_SNAPSHOT;
import static dev.tend.state.StateFileLayout.DESCRIPTOR_LENGTH;
import static dev.tend.state.StateFileLayout.FIRST_BLOCK_OFFSET;
import static dev.tend.state.StateFileLayout.INITIAL_ALLOC_END;
import static dev.tend.state.StateFileLayout.LAYOUT_MAJOR;
import static dev.tend.state.StateFileLayout.LAYOUT_MAJOR_OFFSET;
import static dev.tend.state.StateFileLayout.LAYOUT_MINOR;
import static dev.tend.state.StateFileLayout.LAYOUT_MINOR_OFFSET;
import static dev.tend.state.StateFileLayout.LENGTH_OFFSET;
import static dev.tend.state.StateFileLayout.LOCK_FREE;
import static dev.tend.state.StateFileLayout.LOCK_OWNER_OFFSET;
import static dev.tend.state.StateFileLayout.MAGIC;
import static dev.tend.state.StateFileLayout.MAGIC_OFFSET;
import static dev.tend.state.StateFileLayout.MAX_SNAPSHOT_OFFSET;
import static dev.tend.state.StateFileLayout.MIN_BUFFER_LENGTH;
import static dev.tend.state.StateFileLayout.NAME_LENGTH_OFFSET;
import static dev.tend.state.StateFileLayout.NAME_OFFSET;
import static dev.tend.state.StateFileLayout.OWNER_EPOCH_OFFSET;
import static dev.tend.state.StateFileLayout.OWNER_PID_OFFSET;
import static dev.tend.state.StateFileLayout.OWNER_SINCE_OFFSET;
import static dev.tend.state.StateFileLayout.OWNER_STATE_OFFSET;
import static dev.tend.state.StateFileLayout.OWNER_TOKEN_HASH_OFFSET;
import static dev.tend.state.StateFileLayout.PAYLOAD_OFFSET;
import static dev.tend.state.StateFileLayout.PID_NAMESPACE_OFFSET;
import static dev.tend.state.StateFileLayout.POOL_LENGTH_OFFSET;
import static dev.tend.state.StateFileLayout.POOL_OFFSET;
import static dev.tend.state.StateFileLayout.PUBLISHED_AT_OFFSET;
import static dev.tend.state.StateFileLayout.PUBLISHED_VERSION_OFFSET;
import static dev.tend.state.StateFileLayout.READY_STATE_OFFSET;
import static dev.tend.state.StateFileLayout.RECORD_STATE_OFFSET;
import static dev.tend.state.StateFileLayout.SEQ_OFFSET;
import static dev.tend.state.StateFileLayout.SLOTS_PER_BLOCK;
import static dev.tend.state.StateFileLayout.SLOT_COUNT_OFFSET;
import static dev.tend.state.StateFileLayout.SUPERVISOR_PID_OFFSET;
import static dev.tend.state.StateFileLayout.SUPERVISOR_START_TICKS_OFFSET;
import static dev.tend.state.StateFileLayout.TIME_NAMESPACE_OFFSET;
import static dev.tend.state.StateFileLayout.VERSION_OFFSET;
import static dev.tend.state.StateFileLayout.WRITER_EPOCH_OFFSET;
import static dev.tend.state.StateFileLayout.bufferLengthFor;
import static dev.tend.state.StateFileLayout.descriptorOffset;
import static dev.tend.state.StateFileLayout.lockOwner;
import static dev.tend.state.StateFileLayout.lockPid;
import static dev.tend.state.StateFileLayout.lockStartMatches;
import static dev.tend.state.StateFileLayout.lockStartTicks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class StateFileLayoutTest {
    @Test
    void everyEightByteFieldIsAligned() throws IllegalAccessException {
        int checked = 0;
        for (Field field : StateFileLayout.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getName().endsWith("_OFFSET")) {
                int offset = field.getInt(null);
                boolean halfWord = List.of("LAYOUT_MAJOR_OFFSET", "LAYOUT_MINOR_OFFSET", "OWNER_PID_OFFSET",
                        "NAME_LENGTH_OFFSET", "POOL_LENGTH_OFFSET").contains(field.getName());
                assertEquals(0, offset % (halfWord ? 4 : 8), field.getName() + " = " + offset);
                checked++;
            }
        }
        assertTrue(checked >= 30, "found only " + checked + " offsets");
    }

    @Test
    void headerMatchesTheDocumentedOffsets() {
        assertEquals(0, MAGIC_OFFSET);
        assertEquals(8, LAYOUT_MAJOR_OFFSET);
        assertEquals(12, LAYOUT_MINOR_OFFSET);
        assertEquals(16, READY_STATE_OFFSET);
        assertEquals(24, MAX_SNAPSHOT_OFFSET);
        assertEquals(32, SUPERVISOR_PID_OFFSET);
        assertEquals(40, SUPERVISOR_START_TICKS_OFFSET);
        assertEquals(48, CREATED_AT_OFFSET);
        assertEquals(64, SLOT_COUNT_OFFSET);
        assertEquals(128, ALLOC_END_OFFSET);
        assertEquals(192, PID_NAMESPACE_OFFSET);
        assertEquals(200, TIME_NAMESPACE_OFFSET);
        assertEquals(2, LAYOUT_MAJOR);
        assertEquals(1, LAYOUT_MINOR);
        assertEquals(4096, FIRST_BLOCK_OFFSET);
        assertEquals(20480, INITIAL_ALLOC_END);
        assertEquals("TENDSTAT", new String(Payloads.longBytes(MAGIC), StandardCharsets.US_ASCII));
    }

    @Test
    void descriptorAndBufferMatchTheDocumentedOffsets() {
        assertEquals(63, SLOTS_PER_BLOCK);
        assertEquals(0, PUBLISHED_VERSION_OFFSET);
        assertEquals(8, BUF_OFFSETS_OFFSET);
        assertEquals(24, LOCK_OWNER_OFFSET);
        assertEquals(64, OWNER_STATE_OFFSET);
        assertEquals(68, OWNER_PID_OFFSET);
        assertEquals(72, OWNER_EPOCH_OFFSET);
        assertEquals(80, OWNER_SINCE_OFFSET);
        assertEquals(88, RECORD_STATE_OFFSET);
        assertEquals(96, NAME_LENGTH_OFFSET);
        assertEquals(100, POOL_LENGTH_OFFSET);
        assertEquals(104, OWNER_TOKEN_HASH_OFFSET);
        assertEquals(128, NAME_OFFSET);
        assertEquals(192, POOL_OFFSET);
        assertEquals(256, DESCRIPTOR_LENGTH);
        assertEquals(64, PAYLOAD_OFFSET);
        assertEquals(List.of(0, 8, 16, 24, 32, 40), List.of(SEQ_OFFSET, CAPACITY_OFFSET, VERSION_OFFSET,
                LENGTH_OFFSET, PUBLISHED_AT_OFFSET, WRITER_EPOCH_OFFSET));
        assertEquals(4096 + 256 + 256 * 5, descriptorOffset(FIRST_BLOCK_OFFSET, 5));
    }

    @Test
    void theLockOwnerWordHoldsPidAndStartTime() {
        // The documented formula: (startTicks mod 2^41) << 22 | pid.
        assertEquals((123_456L << 22) | 4242, lockOwner(4242, 123_456));
        long owner = lockOwner((1 << 22) - 1, (1L << 41) - 1);
        assertEquals(Long.MAX_VALUE, owner, "the largest name still fits a non-negative u64");
        assertEquals((1 << 22) - 1, lockPid(owner));
        assertEquals((1L << 41) - 1, lockStartTicks(owner));
        long wrapped = lockOwner(7, (1L << 41) + 5);
        assertEquals(5, lockStartTicks(wrapped));
        assertTrue(lockStartMatches(wrapped, (1L << 41) + 5));
        assertTrue(lockStartMatches(wrapped, 5));
        assertTrue(!lockStartMatches(wrapped, 6));
        assertTrue(lockOwner(1, 0) != LOCK_FREE, "a holder's name is never the free value");
        assertThrows(IllegalArgumentException.class, () -> lockOwner(0, 1));
        assertThrows(IllegalArgumentException.class, () -> lockOwner(1 << 22, 1));
    }

    @Test
    void buffersDoubleWithinTheLimit() {
        long max = DEFAULT_MAX_SNAPSHOT;
        assertEquals(MIN_BUFFER_LENGTH, bufferLengthFor(0, max));
        assertEquals(256, bufferLengthFor(192, max));
        assertEquals(512, bufferLengthFor(193, max));
        assertEquals(2048, bufferLengthFor(1024, max));
        // Never more than the largest payload needs, and always at least what this one needs.
        assertEquals(PAYLOAD_OFFSET + max, bufferLengthFor(max, max));
        assertEquals(max, bufferLengthFor(max - 100, max));
        assertEquals(PAYLOAD_OFFSET + 4096, bufferLengthFor(4090, 4096));
        for (long length : new long[] {1, 63, 64, 1000, 5000, 70000, max}) {
            long buffer = bufferLengthFor(length, max);
            assertTrue(buffer >= PAYLOAD_OFFSET + length && buffer % CACHE_LINE == 0, length + " -> " + buffer);
        }
    }
}
