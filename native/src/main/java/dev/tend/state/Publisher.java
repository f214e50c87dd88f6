package dev.tend.state;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Publishes snapshots into one slot of a state file: each publish atomically replaces the slot's whole
 * map, and readers see either the old or the new map, never a mix.
 *
 * <p>A worker opens its own slot with the epoch token its supervisor gave it ({@code TEND_STATE_EPOCH};
 * see {@link dev.tend.worker.TendState}); a publish is refused once the supervisor has moved the slot to a newer
 * incarnation. The supervisor opens any slot with {@link #openAsSupervisor}.
 *
 * <p>Publishers of one slot, in any processes, are serialised by an OFD lock on the slot's lock byte, which
 * the kernel releases if the holder dies. {@link #publish} waits for it; {@link #tryPublish} never waits and
 * answers {@link PublishResult.Status#BUSY} instead, for threads that must not block on a frozen process.
 *
 * <p>Thread-safe. Each publish costs two {@code fcntl} calls (lock and unlock) plus a copy of the payload.
 */
public final class Publisher implements AutoCloseable {
    private final NativeFile file;
    private final RegionMapper mapper;
    private final SlotTable table;
    private final String slotName;
    private final int slot;
    private final long epoch;
    private final boolean supervisor;
    private final long maxSnapshotBytes;
    private final SlotWriter writer;
    private final ReentrantLock guard = new ReentrantLock();
    private boolean closed;

    private Publisher(NativeFile file, Path path, String slotName, long epoch, boolean supervisor) {
        this.file = file;
        this.mapper = new RegionMapper(file.channel(), true, path);
        FileHeader.validate(mapper.region(), path, true);
        this.table = new SlotTable(mapper, path);
        this.slotName = slotName;
        this.slot = table.find(slotName);
        if (slot < 0) {
            throw new StateException(StateException.Reason.NOT_FOUND, "state file " + path
                    + " has no slot named " + slotName);
        }
        this.epoch = epoch;
        this.supervisor = supervisor;
        this.maxSnapshotBytes = mapper.region().getLong(StateFileLayout.MAX_SNAPSHOT_OFFSET);
        this.writer = new SlotWriter(table, file, slot, maxSnapshotBytes);
        checkOwner();
    }

    /**
     * Opens the slot of worker {@code slotName} for a worker process.
     *
     * @param epoch the token of this incarnation, {@code TEND_STATE_EPOCH}.
     * @throws StateException NOT_FOUND for an unknown slot, NOT_OWNER for a stale epoch, INCOMPATIBLE for a
     *                        file that is not a ready tend state file.
     */
    public static Publisher open(Path file, String slotName, long epoch) {
        return opened(file, slotName, epoch, false);
    }

    /** Opens any slot on behalf of the supervisor, which publishes whatever the slot's epoch. */
    public static Publisher openAsSupervisor(Path file, String slotName) {
        return opened(file, slotName, 0, true);
    }

    private static Publisher opened(Path path, String slotName, long epoch, boolean supervisor) {
        NativeFile file = NativeFile.open(path);
        try {
            return new Publisher(file, path, slotName, epoch, supervisor);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /**
     * Replaces the slot's snapshot with {@code data}, waiting for any other publisher of the slot.
     *
     * @return PUBLISHED with the new version, or UNCHANGED (version kept, nothing written) when the canonical
     *         encoding of {@code data} equals the published one.
     * @throws StateException           LIMIT when a key exceeds 1024 bytes or the encoding exceeds the file's
     *                                  snapshot limit, NOT_OWNER when a newer incarnation owns the slot.
     * @throws IllegalArgumentException for an empty or non-Unicode key, or a null value.
     */
    public PublishResult publish(Map<String, byte[]> data) {
        byte[] payload = SnapshotCodec.encode(data, maxSnapshotBytes);
        guard.lock();
        try {
            checkOpen();
            file.lock(StateFileLayout.lockOffset(slot));
            return writeLocked(payload);
        } finally {
            guard.unlock();
        }
    }

    /**
     * Like {@link #publish}, but answers BUSY at once, writing nothing, when another publisher (in any process,
     * or another thread using this one) holds the slot's lock.
     */
    public PublishResult tryPublish(Map<String, byte[]> data) {
        byte[] payload = SnapshotCodec.encode(data, maxSnapshotBytes);
        if (!guard.tryLock()) {
            return PublishResult.busy();
        }
        try {
            checkOpen();
            if (!file.tryLock(StateFileLayout.lockOffset(slot))) {
                return PublishResult.busy();
            }
            return writeLocked(payload);
        } finally {
            guard.unlock();
        }
    }

    /** {@link #publish} for string values, stored as UTF-8. */
    public PublishResult publishStrings(Map<String, String> data) {
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        data.forEach((k, v) -> bytes.put(k, v.getBytes(StandardCharsets.UTF_8)));
        return publish(bytes);
    }

    private PublishResult writeLocked(byte[] payload) {
        try {
            checkOwner();
            return writer.write(payload, epoch);
        } finally {
            file.unlock(StateFileLayout.lockOffset(slot));
        }
    }

    private void checkOwner() {
        long current = table.ownerEpoch(slot);
        if (!supervisor && current != epoch) {
            throw new StateException(StateException.Reason.NOT_OWNER, "worker " + slotName + " of epoch " + epoch
                    + " may not publish: the slot belongs to epoch " + current
                    + " (another incarnation of the worker)");
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("publisher of " + slotName + " is closed");
        }
    }

    /** The slot's name. */
    public String slotName() {
        return slotName;
    }

    /** The epoch token this publisher presents; 0 for the supervisor. */
    public long epoch() {
        return epoch;
    }

    /** The largest canonical encoding the file accepts, in bytes. */
    public long maxSnapshotBytes() {
        return maxSnapshotBytes;
    }

    /** Closes the descriptor, which also drops any lock. The mapping goes when it is garbage-collected. */
    @Override
    public void close() {
        guard.lock();
        try {
            if (!closed) {
                closed = true;
                mapper.close();
                file.close();
            }
        } finally {
            guard.unlock();
        }
    }
}
