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
import static dev.tend.state.StateFileLayout.WRITER_EPOCH_OFFSET;
import static dev.tend.state.StateFileLayout.bufOffsetField;

import java.lang.invoke.VarHandle;

/**
 * Reads one slot, with a cache keyed on the slot's version: while the version is unchanged,
 * {@link #snapshot()} costs one acquire load and returns the very same {@link Snapshot} object.
 *
 * <p>A read never waits for a writer. It copies the buffer the published version points at and validates
 * the copy against the buffer's sequence word; it retries only when a writer completed another publish
 * into that buffer meanwhile. Thread-safe; obtain instances from {@link StateReader#slot}.
 */
public final class SlotReader {
    /** Retries with an unchanged version before the slot is declared corrupt (a correct writer needs none). */
    private static final int STUCK_LIMIT = 100_000;

    private final StateReader reader;
    private final SlotTable table;
    private final RegionMapper mapper;
    private final int slot;
    private final long descriptor;
    private final long maxSnapshotBytes;
    private Snapshot cached = Snapshot.empty();

    SlotReader(StateReader reader, SlotTable table, int slot, long maxSnapshotBytes) {
        this.reader = reader;
        this.table = table;
        this.mapper = table.mapper();
        this.slot = slot;
        this.descriptor = table.descriptor(slot);
        this.maxSnapshotBytes = maxSnapshotBytes;
        mapper.covering(descriptor + DESCRIPTOR_LENGTH);
    }

    /** The slot's own name (not the pool alias it may have been looked up by). */
    public String name() {
        return table.name(slot);
    }

    /** The pool the slot belongs to, empty if none. */
    public String pool() {
        return table.pool(slot);
    }

    /** The published version: 0 before the first publish, then growing by one per change. One acquire load. */
    public long version() {
        return mapper.region().getAcquire(descriptor + PUBLISHED_VERSION_OFFSET);
    }

    /**
     * The published snapshot; the same object as the previous call while the version is unchanged. A slot
     * never published to gives an empty snapshot of version 0.
     *
     * @throws StateException CORRUPT when the published data breaks the protocol or the encoding.
     */
    public Snapshot snapshot() {
        Snapshot last = cached;
        long version = version();
        return version <= last.version() ? last : refresh(version, true);
    }

    /**
     * Reads and decodes the published snapshot without consulting the cache (benchmarks measure this path). With
     * {@code reuseKeys} false, the keys are checked in full as if the last snapshot had other keys.
     */
    Snapshot readUncached(boolean reuseKeys) {
        long version = version();
        return version == 0 ? Snapshot.empty() : refresh(version, reuseKeys);
    }

    private Snapshot refresh(long version, boolean reuseKeys) {
        int stuck = 0;
        while (true) {
            Region region = mapper.region();
            long buffer = region.getAcquire(bufOffsetField(descriptor, (int) (version & 1)));
            if (buffer < INITIAL_ALLOC_END || buffer % CACHE_LINE != 0) {
                throw corrupt(bufOffsetField(descriptor, (int) (version & 1)), "bufOffset[" + (version & 1) + "]",
                        "version " + version + " points at a buffer at offset " + buffer);
            }
            region = mapper.covering(buffer + PAYLOAD_OFFSET);
            long seq = region.getAcquire(buffer + SEQ_OFFSET);
            if (seq == 2 * version) {
                Snapshot read = copy(region, buffer, version, seq, reuseKeys ? cached : null);
                if (read != null) {
                    if (cached.version() < read.version()) {
                        cached = read;
                    }
                    return read;
                }
            }
            long latest = version();
            if (latest != version) {
                stuck = 0;
                version = latest;
            } else if (++stuck > STUCK_LIMIT) {
                throw corrupt(buffer + SEQ_OFFSET, "seq", "version " + version
                        + " is published but its buffer holds sequence " + seq);
            } else {
                Thread.onSpinWait();
            }
        }
    }

    /** Copies and validates buffer content; null when a writer overwrote it during the copy. */
    private Snapshot copy(Region region, long buffer, long version, long seq, Snapshot previous) {
        long capacity = region.getOpaque(buffer + CAPACITY_OFFSET);
        long length = region.getOpaque(buffer + LENGTH_OFFSET);
        long publishedAt = region.getOpaque(buffer + PUBLISHED_AT_OFFSET);
        long writerEpoch = region.getOpaque(buffer + WRITER_EPOCH_OFFSET);
        if (length < 0 || length > capacity || length > maxSnapshotBytes) {
            VarHandle.acquireFence();
            if (region.getOpaque(buffer + SEQ_OFFSET) == seq) {
                throw corrupt(buffer + LENGTH_OFFSET, "length", "version " + version + " has a length of " + length
                        + " bytes in a buffer of " + capacity);
            }
            return null;
        }
        region = mapper.covering(buffer + PAYLOAD_OFFSET + length);
        byte[] payload = new byte[(int) length];
        region.copyOut(buffer + PAYLOAD_OFFSET, payload, 0, payload.length);
        // Keeps the racy copy above from being reordered after the validating load below.
        VarHandle.acquireFence();
        if (region.getOpaque(buffer + SEQ_OFFSET) != seq) {
            return null;
        }
        try {
            // The last snapshot read nearly always has the same keys: decode compares against its keys
            // instead of checking their order and UTF-8 again, and shares their strings.
            return Snapshot.decode(payload, version, publishedAt, writerEpoch, previous);
        } catch (IllegalArgumentException e) {
            throw corrupt(buffer + PAYLOAD_OFFSET, "payload", "version " + version + " has a malformed payload (" + e.getMessage()
                    + "); its writer is broken");
        }
    }

    /** What the supervisor last recorded about the slot's owner. */
    public Owner owner() {
        long word = table.ownerWord(slot);
        OwnerState state = OwnerState.ofCode((int) word);
        return new Owner(state, (int) (word >>> 32), table.ownerEpoch(slot), table.ownerSince(slot),
                state == OwnerState.RUNNING && reader.supervisorAlive());
    }

    /** Milliseconds since the published snapshot was published, or -1 if nothing was ever published. */
    public long ageMillis() {
        return snapshot().ageMillis();
    }

    private StateException corrupt(long offset, String field, String detail) {
        return new StateException(StateException.Reason.CORRUPT, "slot " + name() + " of state file "
                + table.path() + " is corrupted at offset " + offset + " (" + field + "): " + detail);
    }

    @Override
    public String toString() {
        return "SlotReader[" + name() + ", version " + version() + "]";
    }
}
