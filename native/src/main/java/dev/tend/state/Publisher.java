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
 * <p>A worker opens its own slot with the secret token its supervisor gave it ({@code TEND_STATE_TOKEN}; see
 * {@link OwnerToken} and {@link dev.tend.worker.TendState}); a publish is refused unless the token's hash is the
 * slot's current one, so once the supervisor has started a newer incarnation, and always with another worker's
 * name. The supervisor opens any slot with {@link #openAsSupervisor}.
 *
 * <p>Publishers of one slot, in any processes, are serialised by the slot's lock word ({@link SlotLock}): taken
 * by CAS, and taken over from a holder that died holding it. {@link #publish} waits for a live holder;
 * {@link #tryPublish} never waits and answers {@link PublishResult.Status#BUSY} instead, for threads that must not
 * block on a frozen process. A snapshot equal to the published one is recognised without the lock and answered
 * UNCHANGED without writing anything.
 *
 * <p>Thread-safe. No system call on the way: a publish encodes into a reused buffer (the previous map's keys
 * are remembered), compares, and copies the payload into the file.
 */
public final class Publisher implements AutoCloseable {
    private final WritableStateFile file;
    private final RegionMapper mapper;
    private final SlotTable table;
    private final String slotName;
    private final int slot;
    /** The incarnation the token belonged to at open, written into each snapshot; 0 for the supervisor. */
    private final long epoch;
    private final long tokenHash;
    private final boolean supervisor;
    private final long maxSnapshotBytes;
    private final SlotWriter writer;
    private final SlotLock lock;
    /** Used under {@link #guard} only. */
    private final SnapshotEncoder encoder = new SnapshotEncoder();
    /** Serialises this publisher's threads: they share the encoder's buffer. Other publishers meet at the lock word. */
    private final ReentrantLock guard = new ReentrantLock();
    private boolean closed;

    private Publisher(WritableStateFile file, Path path, String slotName, long token, boolean supervisor) {
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
        this.tokenHash = supervisor ? OwnerToken.NONE : OwnerToken.hash(token);
        this.supervisor = supervisor;
        this.maxSnapshotBytes = mapper.region().getLong(StateFileLayout.MAX_SNAPSHOT_OFFSET);
        this.writer = new SlotWriter(table, file, slot, maxSnapshotBytes);
        ProcessIdentity self = ProcessIdentity.current();
        checkNamespaces(path, self);
        this.lock = new SlotLock(writer.descriptorRegion(), writer.descriptor(), self.lockOwner);
        checkOwner();
        this.epoch = supervisor ? 0 : table.ownerEpoch(slot);
    }

    /**
     * The slot lock names holders by pid and start time, which mean the same to every publisher only inside one
     * PID namespace and one time namespace (start times in {@code /proc} are shifted by the reader's time
     * namespace). A publisher outside the supervisor's could take a live holder for dead, so it is refused.
     */
    private void checkNamespaces(Path path, ProcessIdentity self) {
        Region header = mapper.region();
        checkNamespace(path, "PID", header.getLong(StateFileLayout.PID_NAMESPACE_OFFSET), self.pidNamespace);
        checkNamespace(path, "time", header.getLong(StateFileLayout.TIME_NAMESPACE_OFFSET), self.timeNamespace);
    }

    private static void checkNamespace(Path path, String kind, long file, long self) {
        if (file != self) {
            throw new StateException(StateException.Reason.INCOMPATIBLE, "cannot publish to state file " + path
                    + " from " + kind + " namespace " + self + ": it was created in " + kind + " namespace " + file
                    + ", and its slot locks name publishers by pid and start time, which only mean the same"
                    + " inside one namespace");
        }
    }

    /**
     * Opens the slot of worker {@code slotName} for a worker process.
     *
     * @param token the secret of this incarnation, {@code TEND_STATE_TOKEN}.
     * @throws StateException NOT_FOUND for an unknown slot, NOT_OWNER for a token that is not the slot's current
     *                        one (an earlier incarnation's, or another worker's), INCOMPATIBLE for a
     *                        file that is not a ready tend state file, or one created in another PID or time
     *                        namespace than this process runs in.
     */
    public static Publisher open(Path file, String slotName, long token) {
        return opened(file, slotName, token, false);
    }

    /** Opens any slot on behalf of the supervisor, which publishes whatever the slot's incarnation. */
    public static Publisher openAsSupervisor(Path file, String slotName) {
        return opened(file, slotName, 0, true);
    }

    private static Publisher opened(Path path, String slotName, long token, boolean supervisor) {
        WritableStateFile file = WritableStateFile.open(path);
        try {
            return new Publisher(file, path, slotName, token, supervisor);
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
        guard.lock();
        try {
            checkOpen();
            int length = encoder.encode(data, maxSnapshotBytes);
            PublishResult unchanged = unchanged(length);
            if (unchanged != null) {
                return unchanged;
            }
            lock.lock();
            return writeLocked(length);
        } finally {
            guard.unlock();
        }
    }

    /**
     * Like {@link #publish}, but never waits: answers BUSY at once, writing nothing, when a live publisher (in any
     * process, or another thread of this one) holds the slot's lock. A lock whose holder is dead is taken over
     * (that costs one read of {@code /proc}); a snapshot equal to the published one is answered UNCHANGED whoever
     * holds the lock.
     */
    public PublishResult tryPublish(Map<String, byte[]> data) {
        if (!guard.tryLock()) {
            return PublishResult.busy();
        }
        try {
            checkOpen();
            int length = encoder.encode(data, maxSnapshotBytes);
            PublishResult unchanged = unchanged(length);
            if (unchanged != null) {
                return unchanged;
            }
            if (!lock.tryLock()) {
                return PublishResult.busy();
            }
            return writeLocked(length);
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

    /** UNCHANGED when the encoding equals the published payload, found without the lock; else null. */
    private PublishResult unchanged(int length) {
        checkOwner();
        long version = writer.publishedVersionOf(encoder.bytes(), length);
        return version > 0 ? new PublishResult(PublishResult.Status.UNCHANGED, version) : null;
    }

    /** Checks the token again, now that no other publisher can interleave, and writes; releases the lock. */
    private PublishResult writeLocked(int length) {
        try {
            checkOwner();
            return writer.write(encoder.bytes(), length, epoch);
        } finally {
            lock.unlock();
        }
    }

    /** The slot's lock (for tests that hold it the way a publisher does). */
    SlotLock slotLock() {
        return lock;
    }

    private void checkOwner() {
        if (!supervisor && table.ownerTokenHash(slot) != tokenHash) {
            throw new StateException(StateException.Reason.NOT_OWNER, "may not publish as worker " + slotName
                    + ": TEND_STATE_TOKEN is not the token tend gave its current process (epoch "
                    + table.ownerEpoch(slot) + "); only that process, started by tend, may publish into its slot");
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

    /** The incarnation (epoch) whose token this publisher presented when it opened; 0 for the supervisor. */
    public long epoch() {
        return epoch;
    }

    /** The largest canonical encoding the file accepts, in bytes. */
    public long maxSnapshotBytes() {
        return maxSnapshotBytes;
    }

    /** Closes the descriptor. The mapping goes when it is garbage-collected. */
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
