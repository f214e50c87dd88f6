package dev.tend.state;

import static dev.tend.state.StateFileLayout.ALLOC_END_OFFSET;
import static dev.tend.state.StateFileLayout.BLOCK_FIRST_SLOT_OFFSET;
import static dev.tend.state.StateFileLayout.BLOCK_NEXT_OFFSET;
import static dev.tend.state.StateFileLayout.CREATED_AT_OFFSET;
import static dev.tend.state.StateFileLayout.FIRST_BLOCK_OFFSET;
import static dev.tend.state.StateFileLayout.INITIAL_ALLOC_END;
import static dev.tend.state.StateFileLayout.LAYOUT_MAJOR;
import static dev.tend.state.StateFileLayout.LAYOUT_MAJOR_OFFSET;
import static dev.tend.state.StateFileLayout.LAYOUT_MINOR;
import static dev.tend.state.StateFileLayout.LAYOUT_MINOR_OFFSET;
import static dev.tend.state.StateFileLayout.MAGIC;
import static dev.tend.state.StateFileLayout.MAGIC_OFFSET;
import static dev.tend.state.StateFileLayout.MAX_MAX_SNAPSHOT;
import static dev.tend.state.StateFileLayout.MAX_SNAPSHOT_OFFSET;
import static dev.tend.state.StateFileLayout.MIN_MAX_SNAPSHOT;
import static dev.tend.state.StateFileLayout.PID_NAMESPACE_OFFSET;
import static dev.tend.state.StateFileLayout.READY;
import static dev.tend.state.StateFileLayout.READY_CLOSED;
import static dev.tend.state.StateFileLayout.READY_INIT;
import static dev.tend.state.StateFileLayout.READY_STATE_OFFSET;
import static dev.tend.state.StateFileLayout.SLOT_COUNT_OFFSET;
import static dev.tend.state.StateFileLayout.SUPERVISOR_PID_OFFSET;
import static dev.tend.state.StateFileLayout.SUPERVISOR_START_TICKS_OFFSET;
import static dev.tend.state.StateFileLayout.TIME_NAMESPACE_OFFSET;

import java.nio.file.Path;

/** Writes a new header and checks an existing one before anything else in the file is trusted. */
final class FileHeader {
    private FileHeader() {}

    /** Fills in a new file's header and block 0, then marks it ready (the release store comes last). */
    static void initialise(Region region, long maxSnapshotBytes, long supervisorPid, long startTicks, long nowMs,
                           long pidNamespace, long timeNamespace) {
        region.putLong(MAGIC_OFFSET, MAGIC);
        region.putInt(LAYOUT_MAJOR_OFFSET, LAYOUT_MAJOR);
        region.putInt(LAYOUT_MINOR_OFFSET, LAYOUT_MINOR);
        region.putLong(MAX_SNAPSHOT_OFFSET, maxSnapshotBytes);
        region.putLong(SUPERVISOR_PID_OFFSET, supervisorPid);
        region.putLong(SUPERVISOR_START_TICKS_OFFSET, startTicks);
        region.putLong(CREATED_AT_OFFSET, nowMs);
        region.putLong(SLOT_COUNT_OFFSET, 0);
        region.putLong(ALLOC_END_OFFSET, INITIAL_ALLOC_END);
        region.putLong(PID_NAMESPACE_OFFSET, pidNamespace);
        region.putLong(TIME_NAMESPACE_OFFSET, timeNamespace);
        region.putLong(FIRST_BLOCK_OFFSET + BLOCK_NEXT_OFFSET, 0);
        region.putLong(FIRST_BLOCK_OFFSET + BLOCK_FIRST_SLOT_OFFSET, 0);
        region.setRelease(READY_STATE_OFFSET, READY);
    }

    /**
     * Checks magic, major version and readiness.
     *
     * @param writable whether the caller means to write: a closed file is still readable but not writable.
     * @throws StateException INCOMPATIBLE naming what is wrong.
     */
    static void validate(Region region, Path path, boolean writable) {
        if (region.length() < INITIAL_ALLOC_END) {
            throw incompatible(path + " is not a tend state file: it is only " + region.length() + " bytes long");
        }
        // readyState first: it is stored last, so once it reads READY every other header field is complete.
        long ready = region.getAcquire(READY_STATE_OFFSET);
        long magic = region.getLong(MAGIC_OFFSET);
        if (ready == READY_INIT && (magic == 0 || magic == MAGIC)) {
            throw incompatible("state file " + path + " is not ready: its creator has not finished writing it");
        }
        if (magic != MAGIC) {
            throw incompatible(path + " is not a tend state file (bad magic number)");
        }
        int major = region.getInt(LAYOUT_MAJOR_OFFSET);
        if (major != LAYOUT_MAJOR) {
            throw incompatible("state file " + path + " has layout version " + major + "."
                    + region.getInt(LAYOUT_MINOR_OFFSET) + "; this reader understands " + LAYOUT_MAJOR + ".x only");
        }
        if (ready != READY && ready != READY_CLOSED) {
            throw incompatible("state file " + path + " has an unknown ready state " + ready);
        }
        if (writable && ready == READY_CLOSED) {
            throw incompatible("state file " + path + " is closed: the supervisor that owned it has exited");
        }
        long max = region.getLong(MAX_SNAPSHOT_OFFSET);
        if (max < MIN_MAX_SNAPSHOT || max > MAX_MAX_SNAPSHOT) {
            throw new StateException(StateException.Reason.CORRUPT, "state file " + path
                    + " has an invalid snapshot limit of " + max + " bytes");
        }
    }

    private static StateException incompatible(String message) {
        return new StateException(StateException.Reason.INCOMPATIBLE, message);
    }
}
