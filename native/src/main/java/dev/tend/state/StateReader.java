package dev.tend.state;

import static dev.tend.state.StateFileLayout.MAX_SNAPSHOT_OFFSET;
import static dev.tend.state.StateFileLayout.READY;
import static dev.tend.state.StateFileLayout.READY_CLOSED;
import static dev.tend.state.StateFileLayout.READY_STATE_OFFSET;
import static dev.tend.state.StateFileLayout.SUPERVISOR_PID_OFFSET;
import static dev.tend.state.StateFileLayout.SUPERVISOR_START_TICKS_OFFSET;

import dev.tend.os.ProcessInfo;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads a state file from any process, without a server and without ever waiting for a writer.
 *
 * <p>Names resolve by the rule every tend reader follows: a lookup name {@code N} is the slot named
 * exactly {@code N}; otherwise the one slot whose pool is {@code N} among slots not REMOVED (so a pool of
 * one worker is readable by the pool's name); several such slots is an error naming them.
 *
 * <p>The file is mapped read-only at its current length and remapped larger when a slot or buffer lies
 * beyond the mapping. Thread-safe.
 */
public final class StateReader implements AutoCloseable {
    private final Path path;
    private final RegionMapper mapper;
    private final SlotTable table;
    private final long maxSnapshotBytes;
    private final long supervisorPid;
    private final long supervisorStartTicks;
    private final Map<Integer, SlotReader> readers = new ConcurrentHashMap<>();

    private StateReader(Path path, FileChannel channel) {
        this.path = path;
        this.mapper = new RegionMapper(channel, false, path);
        Region region = mapper.region();
        FileHeader.validate(region, path, false);
        this.table = new SlotTable(mapper, path);
        this.maxSnapshotBytes = region.getLong(MAX_SNAPSHOT_OFFSET);
        this.supervisorPid = region.getLong(SUPERVISOR_PID_OFFSET);
        this.supervisorStartTicks = region.getLong(SUPERVISOR_START_TICKS_OFFSET);
    }

    /**
     * Opens a state file for reading.
     *
     * @throws StateException NOT_FOUND when there is no such file, INCOMPATIBLE when it is not a ready tend
     *                        state file of a known major version.
     */
    public static StateReader open(Path file) {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new StateException(StateException.Reason.NOT_FOUND, "no state file at " + file, e);
        } catch (IOException e) {
            throw new StateException(StateException.Reason.IO, "cannot open state file " + file + ": " + e, e);
        }
        try {
            return new StateReader(file, channel);
        } catch (RuntimeException e) {
            try {
                channel.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * The reader of the slot {@code name} resolves to; the same object for the same slot.
     *
     * @throws StateException NOT_FOUND or AMBIGUOUS (message: {@code pool N has K workers; name one of …}).
     */
    public SlotReader slot(String name) {
        int slot = table.resolve(name);
        return readers.computeIfAbsent(slot, s -> new SlotReader(this, table, s, maxSnapshotBytes));
    }

    /**
     * Reads several slots; each snapshot is consistent on its own (they are not one atomic cut across slots).
     *
     * @return lookup name to snapshot, in the order given.
     */
    public Map<String, Snapshot> read(String... names) {
        Map<String, Snapshot> result = new LinkedHashMap<>();
        for (String name : names) {
            result.put(name, slot(name).snapshot());
        }
        return result;
    }

    /** Names of all slots, in allocation order (removed workers included). */
    public List<String> slots() {
        return table.names();
    }

    /** Whether the supervisor that created the file still runs: same pid, same start time, file not closed. */
    public boolean supervisorAlive() {
        return mapper.region().getAcquire(READY_STATE_OFFSET) == READY
                && supervisorPid > 0 && supervisorStartTicks >= 0
                && ProcessInfo.exists((int) supervisorPid, supervisorStartTicks);
    }

    /** Pid of the supervisor that created the file. */
    public long supervisorPid() {
        return supervisorPid;
    }

    /** Whether the supervisor marked the file closed; its data stays readable. */
    public boolean isClosed() {
        return mapper.region().getAcquire(READY_STATE_OFFSET) == READY_CLOSED;
    }

    /** The largest snapshot the file accepts, in bytes. */
    public long maxSnapshotBytes() {
        return maxSnapshotBytes;
    }

    /** The file this reads. */
    public Path path() {
        return path;
    }

    /** Closes the file. Mappings are released by the garbage collector once no slot reader uses them. */
    @Override
    public void close() {
        mapper.close();
    }
}
