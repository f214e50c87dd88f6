package dev.tend.state;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.Map;

/**
 * Encodes maps canonically ({@link SnapshotCodec}) into a buffer it reuses, remembering the previous map's
 * keys. A publisher nearly always publishes the same keys, in the same iteration order, as last time; then each
 * key costs one {@code String.equals}, and neither its UTF-8 nor the canonical order is computed again, and
 * nothing is allocated. Different keys take the full path: encode, validate, sort.
 *
 * <p>Not thread-safe: a {@link Publisher} uses one under its mutex.
 */
final class SnapshotEncoder {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    /**
     * The buffer grows by doubling, up to the file's snapshot limit. One this much larger than the snapshot just
     * encoded, and over {@link #KEEP_BYTES}, is given back: a worker that published one huge snapshot should not
     * hold its size for good.
     */
    private static final int SHRINK_FACTOR = 4;
    private static final int KEEP_BYTES = 64 * 1024;

    /** The previous map's keys, in its iteration order, with their UTF-8 (validated) and canonical order. */
    private String[] keys = new String[0];
    private byte[][] keyBytes = new byte[0][];
    private int[] order = new int[0];
    /** Scratch: this map's values in iteration order; cleared after each encode so it keeps nothing alive. */
    private byte[][] values = new byte[0][];
    private byte[] out = new byte[256];

    /**
     * Encodes {@code data} canonically into {@link #bytes()}.
     *
     * @return the length of the encoding.
     * @throws IllegalArgumentException for an empty or non-Unicode key, or a null value.
     * @throws StateException           LIMIT for a key over 1024 bytes or an encoding over {@code maxSnapshotBytes}.
     */
    int encode(Map<String, byte[]> data, long maxSnapshotBytes) {
        int count = data.size();
        if (values.length < count) {
            values = new byte[count][];
        }
        byte[][] vals = values;
        // Allocated only once a key differs from the previous map's key at the same position.
        String[] newKeys = null;
        byte[][] newKeyBytes = null;
        boolean sameCount = count == keys.length;
        long total = 4;
        int i = 0;
        try {
            for (Map.Entry<String, byte[]> entry : data.entrySet()) {
                if (i == count) {
                    throw new ConcurrentModificationException("the map grew while it was being published");
                }
                String key = entry.getKey();
                byte[] value = entry.getValue();
                if (value == null) {
                    throw new IllegalArgumentException("value of key \"" + key + "\" is null");
                }
                byte[] utf8;
                if (newKeys == null && sameCount && (key == keys[i] || keys[i].equals(key))) {
                    utf8 = keyBytes[i];
                } else {
                    if (newKeys == null) {
                        newKeys = Arrays.copyOf(keys, count);
                        newKeyBytes = Arrays.copyOf(keyBytes, count);
                    }
                    utf8 = SnapshotCodec.keyBytes(key);
                    newKeys[i] = key;
                    newKeyBytes[i] = utf8;
                }
                vals[i] = value;
                total += 8L + utf8.length + value.length;
                i++;
            }
            if (i != count) {
                throw new ConcurrentModificationException("the map shrank while it was being published");
            }
            if (total > maxSnapshotBytes) {
                throw new StateException(StateException.Reason.LIMIT, SnapshotCodec.tooLarge(total, maxSnapshotBytes));
            }
            if (newKeys != null) {
                // Only now: a refused map must not replace the keys a later, valid one can reuse.
                keys = newKeys;
                keyBytes = newKeyBytes;
                order = SnapshotCodec.sortedOrder(newKeyBytes);
            }
            return write(count, (int) total, maxSnapshotBytes);
        } finally {
            Arrays.fill(vals, 0, Math.min(i, count), null);
        }
    }

    private int write(int count, int total, long maxSnapshotBytes) {
        byte[] buffer = out;
        if (buffer.length < total) {
            buffer = out = new byte[(int) Math.max(total, Math.min(2L * buffer.length, maxSnapshotBytes))];
        } else if (buffer.length > KEEP_BYTES && buffer.length / SHRINK_FACTOR > total) {
            buffer = out = new byte[Math.max(total, KEEP_BYTES)];
        }
        INT.set(buffer, 0, count);
        int at = 4;
        for (int e = 0; e < count; e++) {
            int k = order[e];
            byte[] key = keyBytes[k];
            byte[] value = values[k];
            INT.set(buffer, at, key.length);
            System.arraycopy(key, 0, buffer, at + 4, key.length);
            at += 4 + key.length;
            INT.set(buffer, at, value.length);
            System.arraycopy(value, 0, buffer, at + 4, value.length);
            at += 4 + value.length;
        }
        return at;
    }

    /** The buffer the last {@link #encode} wrote; valid until the next one. */
    byte[] bytes() {
        return out;
    }
}
