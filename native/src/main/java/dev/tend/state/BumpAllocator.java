package dev.tend.state;

import static dev.tend.state.StateFileLayout.ALLOC_END_OFFSET;
import static dev.tend.state.StateFileLayout.CACHE_LINE;
import static dev.tend.state.StateFileLayout.INITIAL_ALLOC_END;
import static dev.tend.state.StateFileLayout.MAX_FILE_LENGTH;

import dev.tend.text.Human;

/**
 * Hands out file space from {@code allocEnd}, the one allocator every writer of a file shares.
 *
 * <p>Space is claimed by CAS, then reserved (zeros written there, which allocates the pages), and only then may the caller publish an
 * offset into it. Space is never returned: a buffer a slot has outgrown stays allocated (buffers double, so
 * the waste per slot is bounded by about the size of its largest buffer), and a claim whose reservation
 * failed stays a hole nobody refers to.
 */
final class BumpAllocator {
    private BumpAllocator() {}

    /**
     * Allocates {@code length} bytes (a multiple of 64) and returns their offset; the caller's mapping may
     * need to grow to cover them.
     *
     * @throws StateException LIMIT when the file would pass its maximum length or the file system is full.
     */
    static long allocate(RegionMapper mapper, WritableStateFile file, long length, SlotTable table) {
        Region region = mapper.region();
        while (true) {
            long end = region.getAcquire(ALLOC_END_OFFSET);
            if (end < INITIAL_ALLOC_END || end % CACHE_LINE != 0) {
                throw table.corrupt(ALLOC_END_OFFSET, "allocEnd", "allocEnd is " + end);
            }
            if (end + length > MAX_FILE_LENGTH) {
                throw new StateException(StateException.Reason.LIMIT, "state file " + table.path()
                        + " is full: allocating " + Human.bytes(length) + " more would pass its limit of "
                        + Human.bytes(MAX_FILE_LENGTH));
            }
            if (region.compareAndSet(ALLOC_END_OFFSET, end, end + length)) {
                file.reserve(end, length);
                return end;
            }
        }
    }
}
