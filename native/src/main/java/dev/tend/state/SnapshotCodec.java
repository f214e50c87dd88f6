package dev.tend.state;

import dev.tend.text.Human;
import java.util.Arrays;
import java.util.Map;

/**
 * The canonical payload encoding: little-endian {@code u32 count}, then per entry, sorted by the unsigned
 * bytes of the key, {@code u32 keyLength, key (UTF-8), u32 valueLength, value}. Equal maps therefore encode
 * to equal bytes, which is what lets a publisher detect an unchanged snapshot with one comparison.
 */
final class SnapshotCodec {
    private SnapshotCodec() {}

    /**
     * Encodes {@code data} canonically into a new array. Publishers use a {@link SnapshotEncoder}, which reuses
     * its buffer and the previous map's keys.
     *
     * @throws IllegalArgumentException for an empty or non-UTF-8 key, or a null value.
     * @throws StateException           LIMIT for a key over 1024 bytes or an encoding over {@code maxSnapshotBytes}.
     */
    static byte[] encode(Map<String, byte[]> data, long maxSnapshotBytes) {
        SnapshotEncoder encoder = new SnapshotEncoder();
        int length = encoder.encode(data, maxSnapshotBytes);
        return Arrays.copyOf(encoder.bytes(), length);
    }

    /**
     * Indices of {@code keys} in unsigned byte order. Maps often arrive sorted already (a TreeMap, or keys
     * added in order), which one linear pass detects; small ones are insertion-sorted, large ones merge-sorted.
     */
    static int[] sortedOrder(byte[][] keys) {
        int[] order = new int[keys.length];
        boolean sorted = true;
        for (int i = 0; i < keys.length; i++) {
            order[i] = i;
            sorted &= i == 0 || Arrays.compareUnsigned(keys[i - 1], keys[i]) < 0;
        }
        if (!sorted && keys.length > 32) {
            Integer[] boxed = new Integer[keys.length];
            Arrays.setAll(boxed, i -> i);
            Arrays.sort(boxed, (a, b) -> Arrays.compareUnsigned(keys[a], keys[b]));
            Arrays.setAll(order, i -> boxed[i]);
        } else if (!sorted) {
            for (int i = 1; i < order.length; i++) {
                int moving = order[i];
                int j = i - 1;
                while (j >= 0 && Arrays.compareUnsigned(keys[order[j]], keys[moving]) > 0) {
                    order[j + 1] = order[j];
                    j--;
                }
                order[j + 1] = moving;
            }
        }
        return order;
    }

    /** The message for a snapshot over the limit; exact byte counts when rounding would hide the excess. */
    static String tooLarge(long size, long limit) {
        String actual = Human.bytes(size);
        String max = Human.bytes(limit);
        if (actual.equals(max)) {
            actual = size + " bytes";
            max = limit + " bytes (" + max + ")";
        }
        return "snapshot of " + actual + " exceeds the state file's limit of " + max + " (state.max_snapshot)";
    }

    /** The key's UTF-8, checked against the rules for keys. */
    static byte[] keyBytes(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("a key is empty; keys must be non-empty strings");
        }
        byte[] bytes = Utf8.encode(key);
        if (bytes == null) {
            throw new IllegalArgumentException("key \"" + key + "\" is not valid Unicode (unpaired surrogate)");
        }
        if (bytes.length > StateFileLayout.MAX_KEY_LENGTH) {
            throw new StateException(StateException.Reason.LIMIT, "key of " + bytes.length
                    + " bytes exceeds the limit of " + StateFileLayout.MAX_KEY_LENGTH + " bytes: "
                    + key.substring(0, 40) + "…");
        }
        return bytes;
    }

    static long getUnsignedInt(byte[] in, int at) {
        return (in[at] & 0xFFL) | (in[at + 1] & 0xFFL) << 8 | (in[at + 2] & 0xFFL) << 16
                | (in[at + 3] & 0xFFL) << 24;
    }
}
