package dev.tend.state;

import static dev.tend.state.StateFileLayout.*;

import java.lang.invoke.VarHandle;

/**
 * The writer half of the double-buffered latch for one slot. The caller must hold the slot's lock.
 *
 * <p>Only the buffer readers are not directed to ({@code bufOffset[(v + 1) & 1]}) is ever written, so a
 * writer killed at any instant leaves the published version complete and the next writer simply starts
 * over on the same buffer.
 */
final class SlotWriter {
    private final SlotTable table;
    private final NativeFile file;
    private final int slot;
    private final long maxSnapshotBytes;

    SlotWriter(SlotTable table, NativeFile file, int slot, long maxSnapshotBytes) {
        this.table = table;
        this.file = file;
        this.slot = slot;
        this.maxSnapshotBytes = maxSnapshotBytes;
    }

    /** Publishes {@code payload} unless it equals the published payload byte for byte. */
    PublishResult write(byte[] payload, long writerEpoch) {
        RegionMapper mapper = table.mapper();
        long descriptor = table.descriptor(slot);
        Region region = mapper.covering(descriptor + DESCRIPTOR_LENGTH);
        long version = region.getAcquire(descriptor + PUBLISHED_VERSION_OFFSET);
        if (version > 0 && isPublished(descriptor, version, payload)) {
            return new PublishResult(PublishResult.Status.UNCHANGED, version);
        }
        long next = version + 1;
        long field = bufOffsetField(descriptor, (int) (next & 1));
        long buffer = region.getAcquire(field);
        boolean fresh = buffer == 0 || mapper.covering(buffer + PAYLOAD_OFFSET).getLong(buffer + CAPACITY_OFFSET)
                < payload.length;
        if (fresh) {
            long length = bufferLengthFor(payload.length, maxSnapshotBytes);
            buffer = BumpAllocator.allocate(mapper, file, length, table);
            mapper.covering(buffer + length).putLong(buffer + CAPACITY_OFFSET, length - PAYLOAD_OFFSET);
        }
        region = mapper.covering(buffer + PAYLOAD_OFFSET + payload.length);
        region.setRelease(buffer + SEQ_OFFSET, 2 * next - 1);
        // Release keeps the earlier flip of publishedVersion before the odd seq; the fence keeps the payload
        // stores after it, so a reader that sees any new byte also sees the odd seq and retries.
        VarHandle.storeStoreFence();
        region.putLong(buffer + VERSION_OFFSET, next);
        region.putLong(buffer + LENGTH_OFFSET, payload.length);
        region.putLong(buffer + PUBLISHED_AT_OFFSET, System.currentTimeMillis());
        region.putLong(buffer + WRITER_EPOCH_OFFSET, writerEpoch);
        region.copyIn(buffer + PAYLOAD_OFFSET, payload, 0, payload.length);
        region.setRelease(buffer + SEQ_OFFSET, 2 * next);
        if (fresh) {
            region.setRelease(field, buffer);
        }
        region.setRelease(descriptor + PUBLISHED_VERSION_OFFSET, next);
        return new PublishResult(PublishResult.Status.PUBLISHED, next);
    }

    /** Under the lock the published buffer cannot change, so it is compared in place, without a copy. */
    private boolean isPublished(long descriptor, long version, byte[] payload) {
        RegionMapper mapper = table.mapper();
        long buffer = mapper.region().getAcquire(bufOffsetField(descriptor, (int) (version & 1)));
        Region region = mapper.covering(buffer + PAYLOAD_OFFSET);
        if (region.getAcquire(buffer + SEQ_OFFSET) != 2 * version
                || region.getLong(buffer + LENGTH_OFFSET) != payload.length) {
            return false;
        }
        return mapper.covering(buffer + PAYLOAD_OFFSET + payload.length).contentEquals(buffer + PAYLOAD_OFFSET,
                payload);
    }
}
