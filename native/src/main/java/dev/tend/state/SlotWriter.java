package dev.tend.state;

import static dev.tend.state.StateFileLayout.CACHE_LINE;
import static dev.tend.state.StateFileLayout.CAPACITY_OFFSET;
import static dev.tend.state.StateFileLayout.DESCRIPTOR_LENGTH;
import static dev.tend.state.StateFileLayout.INITIAL_ALLOC_END;
import static dev.tend.state.StateFileLayout.LENGTH_OFFSET;
import static dev.tend.state.StateFileLayout.PAYLOAD_OFFSET;
import static dev.tend.state.StateFileLayout.PUBLISHED_AT_OFFSET;
import static dev.tend.state.StateFileLayout.PUBLISHED_VERSION_OFFSET;
import static dev.tend.state.StateFileLayout.SEQ_OFFSET;
import static dev.tend.state.StateFileLayout.VERSION_OFFSET;
import static dev.tend.state.StateFileLayout.WRITER_EPOCH_OFFSET;
import static dev.tend.state.StateFileLayout.bufOffsetField;
import static dev.tend.state.StateFileLayout.bufferLengthFor;

import java.lang.invoke.VarHandle;

/**
 * The writer half of the double-buffered latch for one slot.
 *
 * <p>Only the buffer readers are not directed to ({@code bufOffset[(v + 1) & 1]}) is ever written, so a
 * writer killed at any instant leaves the published version complete and the next writer simply starts
 * over on the same buffer. Not thread-safe: one per publisher, used under its mutex.
 */
final class SlotWriter {
    private final SlotTable table;
    private final WritableStateFile file;
    private final long maxSnapshotBytes;
    private final long descriptor;
    /** Covers the descriptor for good: the file never shrinks, so no mapping ever becomes invalid. */
    private final Region descriptorRegion;
    /** The version {@link #publishedVersionOf} last compared and found different, so that {@link #write} need not. */
    private long differsFrom = -1;

    SlotWriter(SlotTable table, WritableStateFile file, int slot, long maxSnapshotBytes) {
        this.table = table;
        this.file = file;
        this.maxSnapshotBytes = maxSnapshotBytes;
        this.descriptor = table.descriptor(slot);
        this.descriptorRegion = table.mapper().covering(descriptor + DESCRIPTOR_LENGTH);
    }

    /** A mapping that covers the slot's descriptor. */
    Region descriptorRegion() {
        return descriptorRegion;
    }

    long descriptor() {
        return descriptor;
    }

    /**
     * The published version if its payload equals {@code payload[0, length)}, else 0; without the lock.
     *
     * <p>This is a reader's validated read, except that it compares in place instead of copying: the
     * published buffer is checked for sequence {@code 2v} before and after the comparison, with the
     * acquire fence between, so an answer can only come from a comparison with a complete, untouched
     * version {@code v}. Answering UNCHANGED from it is sound even if another publisher is about to flip:
     * this publish then simply happened just before that one. And it writes nothing at all, not even the
     * lock word, so readers' cache lines stay undisturbed.
     */
    long publishedVersionOf(byte[] payload, int length) {
        differsFrom = -1;
        long version = descriptorRegion.getAcquire(descriptor + PUBLISHED_VERSION_OFFSET);
        if (version <= 0) {
            return 0;
        }
        long buffer = descriptorRegion.getAcquire(bufOffsetField(descriptor, (int) (version & 1)));
        if (buffer < INITIAL_ALLOC_END || buffer % CACHE_LINE != 0) {
            return 0;
        }
        RegionMapper mapper = table.mapper();
        Region region = mapper.covering(buffer + PAYLOAD_OFFSET);
        long seq = 2 * version;
        if (region.getAcquire(buffer + SEQ_OFFSET) != seq) {
            return 0;
        }
        // The capacity was stored before the buffer's offset was published and never changes, so it bounds
        // the comparison even if a writer has since lapped this buffer and the length below is torn.
        long capacity = region.getOpaque(buffer + CAPACITY_OFFSET);
        boolean equal = region.getOpaque(buffer + LENGTH_OFFSET) == length && length <= capacity
                && mapper.covering(buffer + PAYLOAD_OFFSET + length).contentEquals(buffer + PAYLOAD_OFFSET, payload,
                        length);
        VarHandle.acquireFence();
        if (region.getOpaque(buffer + SEQ_OFFSET) != seq) {
            return 0;
        }
        if (!equal) {
            differsFrom = version;
            return 0;
        }
        return version;
    }

    /**
     * Publishes {@code payload[0, length)} unless it equals the published payload byte for byte. The caller
     * holds the slot's lock.
     */
    PublishResult write(byte[] payload, int length, long writerEpoch) {
        RegionMapper mapper = table.mapper();
        Region region = descriptorRegion;
        long version = region.getAcquire(descriptor + PUBLISHED_VERSION_OFFSET);
        long compared = differsFrom;
        differsFrom = -1;
        // Skipped when the lock-free comparison already found this very version different. Under the lock the
        // published buffer cannot change, so the same comparison answers for certain here.
        if (version > 0 && version != compared && publishedVersionOf(payload, length) == version) {
            return new PublishResult(PublishResult.Status.UNCHANGED, version);
        }
        long next = version + 1;
        long field = bufOffsetField(descriptor, (int) (next & 1));
        long buffer = region.getAcquire(field);
        boolean fresh = buffer == 0 || mapper.covering(buffer + PAYLOAD_OFFSET).getLong(buffer + CAPACITY_OFFSET)
                < length;
        if (fresh) {
            long bufferLength = bufferLengthFor(length, maxSnapshotBytes);
            buffer = BumpAllocator.allocate(mapper, file, bufferLength, table);
            mapper.covering(buffer + bufferLength).putLong(buffer + CAPACITY_OFFSET, bufferLength - PAYLOAD_OFFSET);
        }
        Region target = mapper.covering(buffer + PAYLOAD_OFFSET + length);
        target.setRelease(buffer + SEQ_OFFSET, 2 * next - 1);
        // Release keeps the earlier flip of publishedVersion before the odd seq; the fence keeps the payload
        // stores after it, so a reader that sees any new byte also sees the odd seq and retries.
        VarHandle.storeStoreFence();
        target.putLong(buffer + VERSION_OFFSET, next);
        target.putLong(buffer + LENGTH_OFFSET, length);
        target.putLong(buffer + PUBLISHED_AT_OFFSET, System.currentTimeMillis());
        target.putLong(buffer + WRITER_EPOCH_OFFSET, writerEpoch);
        target.copyIn(buffer + PAYLOAD_OFFSET, payload, 0, length);
        target.setRelease(buffer + SEQ_OFFSET, 2 * next);
        if (fresh) {
            region.setRelease(field, buffer);
        }
        region.setRelease(descriptor + PUBLISHED_VERSION_OFFSET, next);
        return new PublishResult(PublishResult.Status.PUBLISHED, next);
    }
}
