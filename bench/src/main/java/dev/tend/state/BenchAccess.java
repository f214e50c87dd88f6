package dev.tend.state;

import dev.tend.os.Fds;
import dev.tend.os.OfdLock;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Map;

/**
 * Lets benchmarks in {@code dev.tend.bench} reach package-private paths of the state file, to break a
 * publish down into its parts.
 */
public final class BenchAccess {
    private BenchAccess() {}

    /**
     * A full read and decode of the published snapshot, bypassing the version cache; the keys are compared with
     * the last snapshot read's, as a reader does.
     */
    public static Snapshot readUncached(SlotReader reader) {
        return reader.readUncached(true);
    }

    /** The same, with the keys checked in full: what a read costs when the keys changed since the last one. */
    public static Snapshot readUncachedNewKeys(SlotReader reader) {
        return reader.readUncached(false);
    }

    /** The canonical encoding as a new array. */
    public static byte[] encodeToArray(Map<String, byte[]> data) {
        return SnapshotCodec.encode(data, StateFileLayout.DEFAULT_MAX_SNAPSHOT);
    }

    /** Strict decoding alone, of a payload already copied; keys compared with {@code previous}'s if not null. */
    public static Snapshot decode(byte[] payload, Snapshot previous) {
        return Snapshot.decode(payload, 1, 0, 0, previous);
    }

    /** The canonical encoding by a fresh encoder: what a publish costs when the keys changed since the last. */
    public static int encodeNewKeys(Map<String, byte[]> data) {
        return new SnapshotEncoder().encode(data, StateFileLayout.DEFAULT_MAX_SNAPSHOT);
    }

    /** The liveness check a contended publisher makes of another process: one read of /proc/PID/stat. */
    public static boolean holderAlive(long owner) {
        return SlotLock.holderAlive(owner, ProcessIdentity.current().lockOwner);
    }

    /** The parts of a publish, each callable on its own. Not for real use: nothing serialises writers. */
    public static final class Parts implements AutoCloseable {
        /** Where layout 1.x put the slot's OFD lock byte: 2^40 + slot index, beyond the end of the file. */
        private static final long OFD_LOCK_BASE = 1L << 40;

        private final WritableStateFile file;
        private final RegionMapper mapper;
        private final SlotWriter writer;
        private final SlotLock lock;
        private final SnapshotEncoder encoder = new SnapshotEncoder();
        private final int ofdFd;
        private final OfdLock ofd;
        private final long ofdByte;

        public Parts(Path path, String slotName) {
            file = WritableStateFile.open(path);
            FileChannel channel = file.channel();
            mapper = new RegionMapper(channel, true, path);
            SlotTable table = new SlotTable(mapper, path);
            int slot = table.find(slotName);
            writer = new SlotWriter(table, file, slot, StateFileLayout.DEFAULT_MAX_SNAPSHOT);
            lock = new SlotLock(writer.descriptorRegion(), writer.descriptor(), ProcessIdentity.current().lockOwner);
            ofdFd = Fds.openReadWrite(path);
            ofd = new OfdLock(ofdFd, path.toString());
            ofdByte = OFD_LOCK_BASE + slot;
        }

        /** Taking and releasing the slot's lock word, uncontended: a CAS and a release store. */
        public void lockUnlock() {
            lock.lock();
            lock.unlock();
        }

        /** What layout 1.x paid instead: fcntl(F_OFD_SETLKW) then fcntl(F_OFD_SETLK, F_UNLCK) on one byte. */
        public void ofdLockUnlock() {
            ofd.lock(ofdByte, 1);
            ofd.unlock(ofdByte, 1);
        }

        /** The canonical encoding by a publisher's encoder, which remembers the previous map's keys. */
        public int encode(Map<String, byte[]> data) {
            return encoder.encode(data, StateFileLayout.DEFAULT_MAX_SNAPSHOT);
        }

        /** Encode and write without the lock (and without the lock-free unchanged check). */
        public PublishResult publishUnlocked(Map<String, byte[]> data) {
            int length = encode(data);
            return writer.write(encoder.bytes(), length, 0);
        }

        @Override
        public void close() {
            ofd.close();
            Fds.close(ofdFd);
            mapper.close();
            file.close();
        }
    }
}
