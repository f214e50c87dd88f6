package dev.tend.state;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Map;

/**
 * Lets benchmarks in {@code dev.tend.bench} reach package-private paths of the state file, to break a
 * publish down into its parts.
 */
public final class BenchAccess {
    private BenchAccess() {}

    /** A full read and decode of the published snapshot, bypassing the version cache. */
    public static Snapshot readUncached(SlotReader reader) {
        return reader.readUncached();
    }

    /** The canonical encoding alone. */
    public static byte[] encode(Map<String, byte[]> data) {
        return SnapshotCodec.encode(data, StateFileLayout.DEFAULT_MAX_SNAPSHOT);
    }

    /** The parts of a publish, each callable on its own. Not for real use: nothing serialises writers. */
    public static final class Parts implements AutoCloseable {
        private final NativeFile file;
        private final RegionMapper mapper;
        private final SlotWriter writer;
        private final long lockOffset;

        public Parts(Path path, String slotName) {
            file = NativeFile.open(path);
            FileChannel channel = file.channel();
            mapper = new RegionMapper(channel, true, path);
            SlotTable table = new SlotTable(mapper, path);
            int slot = table.find(slotName);
            writer = new SlotWriter(table, file, slot, StateFileLayout.DEFAULT_MAX_SNAPSHOT);
            lockOffset = StateFileLayout.lockOffset(slot);
        }

        /** fcntl(F_OFD_SETLKW) then fcntl(F_OFD_SETLK, F_UNLCK): the lock's whole cost. */
        public void lockUnlock() {
            file.lock(lockOffset);
            file.unlock(lockOffset);
        }

        /** Encode and write without the lock: the publish minus its two system calls. */
        public PublishResult publishUnlocked(Map<String, byte[]> data) {
            return writer.write(encode(data), 0);
        }

        @Override
        public void close() {
            mapper.close();
            file.close();
        }
    }
}
