package dev.tend.state;

import static dev.tend.state.StateFileLayout.BLOCK_FIRST_SLOT_OFFSET;
import static dev.tend.state.StateFileLayout.BLOCK_LENGTH;
import static dev.tend.state.StateFileLayout.BLOCK_NEXT_OFFSET;
import static dev.tend.state.StateFileLayout.DEFAULT_MAX_SNAPSHOT;
import static dev.tend.state.StateFileLayout.DESCRIPTOR_LENGTH;
import static dev.tend.state.StateFileLayout.FIRST_BLOCK_OFFSET;
import static dev.tend.state.StateFileLayout.INITIAL_ALLOC_END;
import static dev.tend.state.StateFileLayout.MAX_MAX_SNAPSHOT;
import static dev.tend.state.StateFileLayout.MIN_MAX_SNAPSHOT;
import static dev.tend.state.StateFileLayout.NAME_CAPACITY;
import static dev.tend.state.StateFileLayout.NAME_LENGTH_OFFSET;
import static dev.tend.state.StateFileLayout.NAME_OFFSET;
import static dev.tend.state.StateFileLayout.OWNER_EPOCH_OFFSET;
import static dev.tend.state.StateFileLayout.OWNER_SINCE_OFFSET;
import static dev.tend.state.StateFileLayout.OWNER_STATE_OFFSET;
import static dev.tend.state.StateFileLayout.OWNER_TOKEN_HASH_OFFSET;
import static dev.tend.state.StateFileLayout.POOL_LENGTH_OFFSET;
import static dev.tend.state.StateFileLayout.POOL_OFFSET;
import static dev.tend.state.StateFileLayout.READY_CLOSED;
import static dev.tend.state.StateFileLayout.READY_STATE_OFFSET;
import static dev.tend.state.StateFileLayout.RECORD_ALLOCATED;
import static dev.tend.state.StateFileLayout.RECORD_STATE_OFFSET;
import static dev.tend.state.StateFileLayout.SLOTS_PER_BLOCK;
import static dev.tend.state.StateFileLayout.SLOT_COUNT_OFFSET;
import static dev.tend.state.StateFileLayout.descriptorOffset;

import dev.tend.os.CurrentProcess;
import dev.tend.os.ProcessInfo;
import dev.tend.text.Human;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The supervisor's side of a state file: creates it, allocates one slot per worker, and records each
 * slot's owner (state, pid, epoch) for readers.
 *
 * <p>The supervisor is the only allocator of slots, from one thread, so this class is not thread-safe.
 * Workers publish through {@link Publisher}; anyone reads through {@link StateReader}.
 *
 * <p>The file is writable by every worker, so the supervisor never takes its own bookkeeping from it: the slot
 * count, the table blocks, the names and the epochs it writes are kept here as well, and only ever written to
 * the file. A worker that scribbles on the file can confuse readers, never the supervisor.
 */
public final class StateFile implements AutoCloseable {

    private final Path path;
    private final WritableStateFile file;
    private final RegionMapper mapper;
    private final SlotTable table;
    private final long maxSnapshotBytes;
    private final List<Long> blocks = new ArrayList<>(List.of((long) FIRST_BLOCK_OFFSET));
    private final Map<String, Integer> slotsByName = new HashMap<>();
    private final List<String> pools = new ArrayList<>();
    private final List<Long> epochs = new ArrayList<>();
    private boolean closed;

    private StateFile(Path path, WritableStateFile file, long maxSnapshotBytes) {
        this.path = path;
        this.file = file;
        this.mapper = new RegionMapper(file.channel(), true, path);
        this.table = new SlotTable(mapper, path);
        this.maxSnapshotBytes = maxSnapshotBytes;
    }

    /** {@link #create(Path, long)} with the default limit of 1 MiB per snapshot. */
    public static StateFile create(Path file) {
        return create(file, DEFAULT_MAX_SNAPSHOT);
    }

    /**
     * Creates a new state file with mode 0600, replacing any file at that path atomically: it is written
     * under a temporary name in the same directory and renamed once ready, so a reader that opens the path
     * finds either the old file or the complete new one. Readers of a replaced file keep reading it.
     *
     * @param file             where the file goes; its directory must exist (the supervisor makes it 0700).
     * @param maxSnapshotBytes the largest encoded snapshot a publisher may store, within
     *                         {@value StateFileLayout#MIN_MAX_SNAPSHOT}..64 MiB.
     * @throws StateException LIMIT when the space cannot be reserved, IO for other failures.
     */
    public static StateFile create(Path file, long maxSnapshotBytes) {
        if (maxSnapshotBytes < MIN_MAX_SNAPSHOT || maxSnapshotBytes > MAX_MAX_SNAPSHOT) {
            throw new IllegalArgumentException("state.max_snapshot must be between " + MIN_MAX_SNAPSHOT
                    + " bytes and " + Human.bytes(MAX_MAX_SNAPSHOT) + ", was " + maxSnapshotBytes);
        }
        Path directory = file.toAbsolutePath().getParent();
        if (directory == null || !Files.isDirectory(directory)) {
            throw new StateException(StateException.Reason.IO, "cannot create state file " + file
                    + ": directory " + directory + " does not exist");
        }
        int pid = CurrentProcess.pid();
        Path temporary = file.resolveSibling("." + file.getFileName() + "." + pid + "." + System.nanoTime());
        WritableStateFile created = WritableStateFile.createNew(temporary);
        StateFile state = null;
        try {
            // open() applied the umask; 0600 is the contract whatever the umask says.
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
            created.reserve(0, INITIAL_ALLOC_END);
            state = new StateFile(file, created, maxSnapshotBytes);
            FileHeader.initialise(state.mapper.region(), maxSnapshotBytes, pid, ProcessInfo.startTime(pid).orElse(-1),
                    System.currentTimeMillis(), ProcessIdentity.namespace("pid"), ProcessIdentity.namespace("time"));
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return state;
        } catch (IOException | RuntimeException e) {
            if (state != null) {
                state.mapper.close();
            }
            created.close();
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof RuntimeException) {
                throw (RuntimeException) e;
            }
            throw new StateException(StateException.Reason.IO, "cannot create state file " + file + ": " + e, e);
        }
    }

    /**
     * The slot of worker {@code name}, allocated on first use. Idempotent: the same name always gives the same
     * slot, whose versions keep growing across the worker's restarts and removal.
     *
     * @param name a worker name such as {@code queue.2} or {@code redis-main}; 1 to 64 bytes of UTF-8.
     * @param pool the pool whose name may alias this slot, or empty; at most 64 bytes of UTF-8.
     * @throws IllegalArgumentException for invalid names, or a known name with a different pool.
     */
    public int allocate(String name, String pool) {
        checkOpen();
        checkIntact();
        byte[] nameBytes = nameBytes(name, "worker name", false);
        byte[] poolBytes = nameBytes(pool, "pool name", true);
        Integer existing = slotsByName.get(name);
        if (existing != null) {
            if (!pools.get(existing).equals(pool)) {
                throw new IllegalArgumentException("worker " + name + " already has a slot in pool \""
                        + pools.get(existing) + "\", not \"" + pool + "\"");
            }
            return existing;
        }
        int slot = pools.size();
        int indexInBlock = slot % SLOTS_PER_BLOCK;
        if (indexInBlock == 0 && slot > 0) {
            blocks.add(addBlock(slot));
        }
        long descriptor = descriptorOffset(blocks.get(blocks.size() - 1), indexInBlock);
        Region region = mapper.covering(descriptor + DESCRIPTOR_LENGTH);
        region.putInt(descriptor + NAME_LENGTH_OFFSET, nameBytes.length);
        region.copyIn(descriptor + NAME_OFFSET, nameBytes, 0, nameBytes.length);
        region.putInt(descriptor + POOL_LENGTH_OFFSET, poolBytes.length);
        region.copyIn(descriptor + POOL_OFFSET, poolBytes, 0, poolBytes.length);
        region.putLong(descriptor + RECORD_STATE_OFFSET, RECORD_ALLOCATED);
        // Readers trust every descriptor below slotCount, so the count goes last.
        region.setRelease(SLOT_COUNT_OFFSET, slot + 1);
        slotsByName.put(name, slot);
        pools.add(pool);
        epochs.add(0L);
        return slot;
    }

    private long addBlock(int firstSlot) {
        long block = BumpAllocator.allocate(mapper, file, BLOCK_LENGTH, table);
        Region region = mapper.covering(block + BLOCK_LENGTH);
        region.putLong(block + BLOCK_FIRST_SLOT_OFFSET, firstSlot);
        region.setRelease(blocks.get(blocks.size() - 1) + BLOCK_NEXT_OFFSET, block);
        return block;
    }

    private static byte[] nameBytes(String name, String what, boolean mayBeEmpty) {
        if (name == null || (name.isEmpty() && !mayBeEmpty)) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        byte[] bytes = Utf8.encode(name);
        if (bytes == null) {
            throw new IllegalArgumentException(what + " \"" + name + "\" is not valid Unicode");
        }
        if (bytes.length > NAME_CAPACITY) {
            throw new IllegalArgumentException(what + " \"" + name + "\" is " + bytes.length
                    + " bytes of UTF-8; the limit is " + NAME_CAPACITY);
        }
        return bytes;
    }

    /**
     * Records the owner of a slot. Readers load state and pid as one word, so they never pair one
     * process's pid with another's state.
     *
     * @param sinceMillis when the owner entered {@code state}, milliseconds since the epoch.
     */
    public void setOwner(int slot, OwnerState state, int pid, long sinceMillis) {
        checkOpen();
        checkIntact();
        if (state == OwnerState.UNKNOWN) {
            throw new IllegalArgumentException("UNKNOWN is not a state a supervisor can record");
        }
        long descriptor = descriptorOf(slot);
        Region region = mapper.region();
        region.setRelease(descriptor + OWNER_SINCE_OFFSET, sinceMillis);
        region.setRelease(descriptor + OWNER_STATE_OFFSET, ((long) pid << 32) | state.code());
    }

    /** One start of a slot's worker: its public incarnation number and its secret publishing token. */
    public record Incarnation(long epoch, long token) {}

    /**
     * Starts a new incarnation of the slot's owner: draws a new random token ({@link OwnerToken}), whose hash
     * from now on is the only one a worker {@link Publisher} is accepted with, and bumps the epoch. Call it
     * before each spawn and give the token to that worker alone, as {@code TEND_STATE_TOKEN}.
     *
     * @return the new epoch (1 for the first incarnation) and token.
     */
    public Incarnation newIncarnation(int slot) {
        checkOpen();
        long descriptor = descriptorOf(slot);
        long epoch = epochs.get(slot) + 1;
        epochs.set(slot, epoch);
        long token = OwnerToken.draw();
        if (mapper.intact()) {
            Region region = mapper.region();
            region.setRelease(descriptor + OWNER_TOKEN_HASH_OFFSET, OwnerToken.hash(token));
            region.setRelease(descriptor + OWNER_EPOCH_OFFSET, epoch);
        }
        return new Incarnation(epoch, token);
    }

    private long descriptorOf(int slot) {
        if (slot < 0 || slot >= pools.size()) {
            throw new IllegalArgumentException("slot " + slot + " is not allocated");
        }
        return descriptorOffset(blocks.get(slot / SLOTS_PER_BLOCK), slot % SLOTS_PER_BLOCK);
    }

    /** Number of allocated slots (as this supervisor allocated them, whatever the file says now). */
    public int slotCount() {
        checkOpen();
        return pools.size();
    }

    /** The file's path. */
    public Path path() {
        return path;
    }

    /** The largest encoded snapshot the file accepts, in bytes. */
    public long maxSnapshotBytes() {
        return maxSnapshotBytes;
    }

    /**
     * Whether the file still has the length this supervisor mapped: a file truncated by someone else (anyone who
     * can write it can) must not be touched through the mapping, or the fault surfaces later in unrelated code.
     */
    public boolean intact() {
        return !closed && mapper.intact();
    }

    private void checkIntact() {
        if (!mapper.intact()) {
            throw new StateException(StateException.Reason.CORRUPT, "state file " + path + " was truncated by"
                    + " someone else; tend no longer writes to it (workers' published state is lost until the next"
                    + " tend up)");
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("state file " + path + " is closed");
        }
    }

    /**
     * Marks the file closed (readers then know nobody maintains owner states any more; the data stays
     * readable) and closes its descriptor; the mapping goes with the garbage collector. The file stays in place.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (mapper.intact()) {
                mapper.region().setRelease(READY_STATE_OFFSET, READY_CLOSED);
            }
        } catch (InternalError e) {
            // Someone truncated the file under the mapping (SIGBUS): there is nothing left to mark, and the
            // descriptors must still be released.
        } finally {
            mapper.close();
            file.close();
        }
    }
}
