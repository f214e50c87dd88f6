package dev.tend.state;

import static dev.tend.state.StateFileLayout.BLOCK_LENGTH;
import static dev.tend.state.StateFileLayout.BLOCK_NEXT_OFFSET;
import static dev.tend.state.StateFileLayout.CACHE_LINE;
import static dev.tend.state.StateFileLayout.DESCRIPTOR_LENGTH;
import static dev.tend.state.StateFileLayout.FIRST_BLOCK_OFFSET;
import static dev.tend.state.StateFileLayout.INITIAL_ALLOC_END;
import static dev.tend.state.StateFileLayout.MAX_FILE_LENGTH;
import static dev.tend.state.StateFileLayout.NAME_CAPACITY;
import static dev.tend.state.StateFileLayout.NAME_LENGTH_OFFSET;
import static dev.tend.state.StateFileLayout.NAME_OFFSET;
import static dev.tend.state.StateFileLayout.OWNER_EPOCH_OFFSET;
import static dev.tend.state.StateFileLayout.OWNER_SINCE_OFFSET;
import static dev.tend.state.StateFileLayout.OWNER_STATE_OFFSET;
import static dev.tend.state.StateFileLayout.OWNER_TOKEN_HASH_OFFSET;
import static dev.tend.state.StateFileLayout.POOL_LENGTH_OFFSET;
import static dev.tend.state.StateFileLayout.POOL_OFFSET;
import static dev.tend.state.StateFileLayout.SLOTS_PER_BLOCK;
import static dev.tend.state.StateFileLayout.SLOT_COUNT_OFFSET;
import static dev.tend.state.StateFileLayout.descriptorOffset;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The slot directory of a state file as any process sees it: the count, the chain of table blocks, each
 * slot's names and owner words, and the lookup rules for names.
 *
 * <p>A slot's names never change once {@code slotCount} covers it (slots are never freed), so they are
 * cached; owner states change and are always read afresh. Thread-safe.
 */
final class SlotTable {
    private final RegionMapper mapper;
    private final Path path;
    /** File offsets of the table blocks learned so far; replaced, never mutated. */
    private volatile long[] blocks = {FIRST_BLOCK_OFFSET};
    private volatile String[] names = new String[0];
    private volatile String[] pools = new String[0];
    private volatile Map<String, Integer> byName = Map.of();

    SlotTable(RegionMapper mapper, Path path) {
        this.mapper = mapper;
        this.path = path;
    }

    Path path() {
        return path;
    }

    RegionMapper mapper() {
        return mapper;
    }

    /**
     * Number of allocated slots; every descriptor below it is complete. A count whose table blocks cannot fit in
     * the file is garbage (anyone who can write the file can write it), not a reason to allocate or walk that much.
     */
    int slotCount() {
        long count = mapper.region().getAcquire(SLOT_COUNT_OFFSET);
        if (count < 0 || count > (MAX_FILE_LENGTH / BLOCK_LENGTH) * SLOTS_PER_BLOCK) {
            throw corrupt(SLOT_COUNT_OFFSET, "slotCount", "a slot count of " + count + " is impossible");
        }
        long blocksNeeded = Math.max(1, (count + SLOTS_PER_BLOCK - 1) / SLOTS_PER_BLOCK);
        long smallestFile = INITIAL_ALLOC_END + (blocksNeeded - 1) * BLOCK_LENGTH;
        if (!mapper.fits(smallestFile)) {
            throw corrupt(SLOT_COUNT_OFFSET, "slotCount", "a slot count of " + count + " needs a file of at least "
                    + smallestFile + " bytes");
        }
        return (int) count;
    }

    /** File offset of slot {@code slot}'s descriptor; the caller has seen {@code slot < slotCount()}. */
    long descriptor(int slot) {
        int block = slot / SLOTS_PER_BLOCK;
        long[] known = blocks;
        if (block >= known.length) {
            known = learnBlocks(block);
        }
        return descriptorOffset(known[block], slot % SLOTS_PER_BLOCK);
    }

    private synchronized long[] learnBlocks(int block) {
        long[] known = blocks;
        if (block < known.length) {
            return known;
        }
        long[] grown = Arrays.copyOf(known, block + 1);
        for (int b = known.length; b <= block; b++) {
            long previous = grown[b - 1];
            long next = mapper.region().getAcquire(previous + BLOCK_NEXT_OFFSET);
            if (next < INITIAL_ALLOC_END || next % CACHE_LINE != 0) {
                throw corrupt(previous + BLOCK_NEXT_OFFSET, "nextBlockOffset", "table block " + (b - 1)
                        + " links to offset " + next);
            }
            mapper.covering(next + BLOCK_LENGTH);
            grown[b] = next;
        }
        blocks = grown;
        return grown;
    }

    /** The slot's name. */
    String name(int slot) {
        return cachedNames(slot)[slot];
    }

    /** The slot's pool name, empty when no pool name aliases it. */
    String pool(int slot) {
        cachedNames(slot);
        return pools[slot];
    }

    private String[] cachedNames(int slot) {
        String[] known = names;
        if (slot < known.length) {
            return known;
        }
        synchronized (this) {
            known = names;
            if (slot < known.length) {
                return known;
            }
            int count = slotCount();
            if (slot >= count) {
                throw new IllegalArgumentException("slot " + slot + " is not allocated (" + count + " are)");
            }
            String[] grownNames = Arrays.copyOf(known, count);
            String[] grownPools = Arrays.copyOf(pools, count);
            for (int s = known.length; s < count; s++) {
                long descriptor = descriptor(s);
                Region region = mapper.covering(descriptor + DESCRIPTOR_LENGTH);
                grownNames[s] = text(region, descriptor + NAME_LENGTH_OFFSET, descriptor + NAME_OFFSET, s, "name");
                grownPools[s] = text(region, descriptor + POOL_LENGTH_OFFSET, descriptor + POOL_OFFSET, s, "pool");
            }
            Map<String, Integer> index = new HashMap<>(byName);
            for (int s = known.length; s < count; s++) {
                index.putIfAbsent(grownNames[s], s);
            }
            byName = index;
            pools = grownPools;
            names = grownNames;
            return grownNames;
        }
    }

    private String text(Region region, long lengthField, long textField, int slot, String what) {
        int length = region.getInt(lengthField);
        if (length < 0 || length > NAME_CAPACITY) {
            throw corrupt(lengthField, what + "Length", "slot " + slot + " has a " + what + " of " + length + " bytes");
        }
        byte[] bytes = new byte[length];
        region.copyOut(textField, bytes, 0, length);
        if (!Utf8.isValid(bytes, 0, length)) {
            throw corrupt(textField, what, "slot " + slot + " has a " + what + " that is not UTF-8");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The owner word: state in the low 32 bits, pid in the high 32 bits. */
    long ownerWord(int slot) {
        return mapper.region().getAcquire(descriptor(slot) + OWNER_STATE_OFFSET);
    }

    OwnerState ownerState(int slot) {
        return OwnerState.ofCode((int) ownerWord(slot));
    }

    long ownerEpoch(int slot) {
        return mapper.region().getAcquire(descriptor(slot) + OWNER_EPOCH_OFFSET);
    }

    long ownerTokenHash(int slot) {
        return mapper.region().getAcquire(descriptor(slot) + OWNER_TOKEN_HASH_OFFSET);
    }

    long ownerSince(int slot) {
        return mapper.region().getAcquire(descriptor(slot) + OWNER_SINCE_OFFSET);
    }

    /** The slot named exactly {@code name}, or -1. */
    int find(String name) {
        Integer slot = byName.get(name);
        if (slot == null) {
            int count = slotCount();
            if (count > names.length) {
                cachedNames(count - 1);
                slot = byName.get(name);
            }
        }
        return slot == null ? -1 : slot;
    }

    /**
     * Resolves a lookup name: the slot named exactly {@code name}; otherwise the one slot not REMOVED whose
     * pool is {@code name}.
     *
     * @throws StateException NOT_FOUND or AMBIGUOUS.
     */
    int resolve(String name) {
        int exact = find(name);
        if (exact >= 0) {
            return exact;
        }
        List<Integer> members = new ArrayList<>();
        int count = slotCount();
        for (int s = 0; s < count; s++) {
            if (!name.isEmpty() && pool(s).equals(name) && ownerState(s) != OwnerState.REMOVED) {
                members.add(s);
            }
        }
        if (members.size() == 1) {
            return members.get(0);
        }
        if (members.isEmpty()) {
            throw new StateException(StateException.Reason.NOT_FOUND, "no worker named " + name
                    + " in state file " + path);
        }
        List<String> choices = new ArrayList<>();
        for (int s : members) {
            choices.add(name(s));
        }
        throw new StateException(StateException.Reason.AMBIGUOUS, "pool " + name + " has " + members.size()
                + " workers; name one of " + String.join(", ", choices));
    }

    /** All slot names, in slot order. */
    List<String> names() {
        int count = slotCount();
        List<String> list = new ArrayList<>(count);
        for (int s = 0; s < count; s++) {
            list.add(name(s));
        }
        return list;
    }

    /** The error for garbage found in the file: where it is, and what it holds. */
    StateException corrupt(long offset, String field, String detail) {
        return new StateException(StateException.Reason.CORRUPT, "state file " + path + " is corrupted at offset "
                + offset + " (" + field + "): " + detail);
    }
}
