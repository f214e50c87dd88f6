package dev.tend.state;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One published snapshot of a slot: an immutable map from UTF-8 string keys to byte values, with the
 * version and time of its publication.
 *
 * <p>A {@link SlotReader} hands out the same instance for as long as the slot's version does not change,
 * so callers may compare snapshots by identity. Values are copied on the way out; the snapshot itself is
 * never modified. The payload was validated strictly when the snapshot was made (bounds, UTF-8 keys, keys
 * sorted and unique), so no accessor can fail on it.
 */
public final class Snapshot {
    private static final Snapshot EMPTY = new Snapshot(0, 0, 0, new byte[] {0, 0, 0, 0}, new int[0], new KeyNames());
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    private final long version;
    private final long publishedAtMillis;
    private final long writerEpoch;
    private final byte[] payload;
    /** Offset of each entry's key; its length precedes it, the value's length and bytes follow it. */
    private final int[] keys;
    /** The keys as strings, shared with every snapshot read after this one whose key bytes are the same. */
    private final KeyNames names;

    private Snapshot(long version, long publishedAtMillis, long writerEpoch, byte[] payload, int[] keys,
                     KeyNames names) {
        this.version = version;
        this.publishedAtMillis = publishedAtMillis;
        this.writerEpoch = writerEpoch;
        this.payload = payload;
        this.keys = keys;
        this.names = names;
    }

    /**
     * The key strings of one set of keys, made on first use. Every snapshot that shares it has byte-for-byte
     * the same keys, so whichever builds the list builds the same one.
     */
    private static final class KeyNames {
        private volatile List<String> list;
    }

    /** The snapshot of a slot nobody has published to: version 0, no keys. */
    static Snapshot empty() {
        return EMPTY;
    }

    /** {@link #decode(byte[], long, long, long, Snapshot)} with nothing to compare against. */
    static Snapshot decode(byte[] payload, long version, long publishedAtMillis, long writerEpoch) {
        return decode(payload, version, publishedAtMillis, writerEpoch, null);
    }

    /**
     * Validates a payload and wraps it; takes ownership of {@code payload}.
     *
     * <p>Every length is checked against the bounds, always. The keys are checked (1 to 1024 bytes, UTF-8,
     * strictly increasing) only where they differ from {@code previous}: a publisher usually publishes the
     * same keys each time, and keys byte-for-byte equal to keys that passed these checks before pass them
     * again, so one comparison per key replaces the order and UTF-8 checks. Where the keys start to differ,
     * each key is checked in full, including its order against the key before it. The key strings are then
     * shared with {@code previous} too.
     *
     * @param previous a snapshot that passed this validation earlier (the reader's last one), or null.
     * @throws IllegalArgumentException naming what is malformed.
     */
    static Snapshot decode(byte[] payload, long version, long publishedAtMillis, long writerEpoch,
                           Snapshot previous) {
        int end = payload.length;
        if (end < 4) {
            throw new IllegalArgumentException("payload of " + end + " bytes has no entry count");
        }
        long count = SnapshotCodec.getUnsignedInt(payload, 0);
        if (count > (end - 4) / 9) {
            throw new IllegalArgumentException("entry count " + count + " cannot fit in " + end + " bytes");
        }
        int[] keys = new int[(int) count];
        int e = 0;
        int at = 4;
        boolean comparable = previous != null && previous.keys.length == count;
        if (comparable) {
            // While the keys are the previous snapshot's, only the lengths need checking.
            byte[] before = previous.payload;
            int[] beforeKeys = previous.keys;
            for (; e < keys.length; e++) {
                int beforeAt = beforeKeys[e];
                int beforeLength = (int) INT.get(before, beforeAt - 4);
                int keyAt = at + 4;
                // Offsets are computed from the previous key's length, equal to the one read once checked: each
                // entry then waits for one load from the payload (the value's length), not two in a row.
                if (length(payload, at, "key", e) != beforeLength
                        || !sameBytes(payload, keyAt, before, beforeAt, beforeLength)) {
                    break;
                }
                int valueLength = length(payload, keyAt + beforeLength, "value", e);
                keys[e] = keyAt;
                at = keyAt + beforeLength + 4 + valueLength;
            }
        }
        boolean same = comparable && e == keys.length;
        // From the first key that differs on, each key is checked in full, its order against the key before it.
        int previousAt = e == 0 ? -1 : keys[e - 1];
        int previousLength = e == 0 ? 0 : (int) INT.get(payload, previousAt - 4);
        for (; e < keys.length; e++) {
            int keyLength = length(payload, at, "key", e);
            int keyAt = at + 4;
            if (keyLength == 0 || keyLength > StateFileLayout.MAX_KEY_LENGTH) {
                throw new IllegalArgumentException("entry " + e + " has a key of " + keyLength + " bytes");
            }
            if (previousAt >= 0 && !ascending(payload, previousAt, previousLength, keyAt, keyLength)) {
                throw new IllegalArgumentException("key of entry " + e + " is not greater than the previous key");
            }
            if (!isAscii(payload, keyAt, keyLength) && !Utf8.isValid(payload, keyAt, keyLength)) {
                throw new IllegalArgumentException("key of entry " + e + " is not valid UTF-8");
            }
            int valueLength = length(payload, keyAt + keyLength, "value", e);
            keys[e] = keyAt;
            previousAt = keyAt;
            previousLength = keyLength;
            at = keyAt + keyLength + 4 + valueLength;
        }
        if (at != end) {
            throw new IllegalArgumentException((end - at) + " bytes follow the last entry");
        }
        return new Snapshot(version, publishedAtMillis, writerEpoch, payload, keys,
                same ? previous.names : new KeyNames());
    }

    /**
     * Whether {@code a[aAt, aAt + length)} equals {@code b[bAt, bAt + length)}, both ranges inside their arrays:
     * eight bytes at a time, the last eight overlapping the ones before (keys are short).
     */
    private static boolean sameBytes(byte[] a, int aAt, byte[] b, int bAt, int length) {
        if (length < 8) {
            for (int k = 0; k < length; k++) {
                if (a[aAt + k] != b[bAt + k]) {
                    return false;
                }
            }
            return true;
        }
        for (int k = 0; k < length - 8; k += 8) {
            if ((long) LONG.get(a, aAt + k) != (long) LONG.get(b, bAt + k)) {
                return false;
            }
        }
        return (long) LONG.get(a, aAt + length - 8) == (long) LONG.get(b, bAt + length - 8);
    }

    /** Whether the key at {@code b} sorts strictly after the key at {@code a} (unsigned bytes). */
    private static boolean ascending(byte[] payload, int a, int aLength, int b, int bLength) {
        int i = Arrays.mismatch(payload, a, a + aLength, payload, b, b + bLength);
        if (i < 0) {
            return false;
        }
        if (i == aLength || i == bLength) {
            return aLength < bLength;
        }
        return (payload[a + i] & 0xFF) < (payload[b + i] & 0xFF);
    }

    /** Eight bytes at a time: ASCII keys are the rule and need no UTF-8 decoder. */
    private static boolean isAscii(byte[] payload, int at, int length) {
        long high = 0;
        int k = 0;
        for (; k + 8 <= length; k += 8) {
            high |= (long) LONG.get(payload, at + k);
        }
        for (; k < length; k++) {
            high |= payload[at + k];
        }
        return (high & 0x8080_8080_8080_8080L) == 0;
    }

    /** Reads a length prefix at {@code at} and checks that the bytes it announces are present. */
    private static int length(byte[] payload, int at, String what, int entry) {
        int remaining = payload.length - at - 4;
        if (remaining < 0) {
            throw cutOff(what, entry);
        }
        int length = (int) INT.get(payload, at);
        if (length < 0 || length > remaining) {
            throw overrun(what, entry, length, remaining);
        }
        return length;
    }

    // Messages of the length checks, which run twice per entry, are built out of line: it keeps them small.

    private static IllegalArgumentException cutOff(String what, int entry) {
        return new IllegalArgumentException("entry " + entry + " is cut off before its " + what + " length");
    }

    private static IllegalArgumentException overrun(String what, int entry, int length, int remaining) {
        return new IllegalArgumentException("entry " + entry + " announces a " + what + " of "
                + Integer.toUnsignedString(length) + " bytes; only " + remaining + " remain");
    }

    private int keyLength(int e) {
        return (int) INT.get(payload, keys[e] - 4);
    }

    private int valueAt(int e) {
        return keys[e] + keyLength(e) + 4;
    }

    private int valueLength(int e) {
        return (int) INT.get(payload, keys[e] + keyLength(e));
    }

    /** The slot's version when this was published; 0 for a slot never published to. */
    public long version() {
        return version;
    }

    /** Publish time, milliseconds since the epoch; 0 for a slot never published to. */
    public long publishedAtMillis() {
        return publishedAtMillis;
    }

    /** Milliseconds since this snapshot was published; -1 for the empty snapshot of a slot never published. */
    public long ageMillis() {
        return publishedAtMillis == 0 ? -1 : Math.max(0, System.currentTimeMillis() - publishedAtMillis);
    }

    /** The owner epoch its publisher presented; 0 when the supervisor published it. */
    public long writerEpoch() {
        return writerEpoch;
    }

    /** Number of keys. */
    public int size() {
        return keys.length;
    }

    /** Whether there are no keys. */
    public boolean isEmpty() {
        return keys.length == 0;
    }

    /** Length of the canonical encoding in bytes, the size counted against the file's limit. */
    public int encodedLength() {
        return payload.length;
    }

    /**
     * The keys in canonical order (by their UTF-8 bytes); immutable. Snapshots of a slot read one after the
     * other with the same keys return the same list, made of the same strings.
     */
    public List<String> keys() {
        List<String> list = names.list;
        if (list == null) {
            List<String> built = new ArrayList<>(size());
            for (int e = 0; e < size(); e++) {
                built.add(new String(payload, keys[e], keyLength(e), StandardCharsets.UTF_8));
            }
            // A race builds two equal lists; either is fine.
            list = names.list = Collections.unmodifiableList(built);
        }
        return list;
    }

    /** Whether {@code key} is present. */
    public boolean contains(String key) {
        return find(key) >= 0;
    }

    /** A copy of the value of {@code key}, or {@code null} when absent. */
    public byte[] get(String key) {
        int e = find(key);
        return e < 0 ? null : Arrays.copyOfRange(payload, valueAt(e), valueAt(e) + valueLength(e));
    }

    /** The value of {@code key} decoded as UTF-8 (malformed bytes become U+FFFD), or {@code null}. */
    public String getString(String key) {
        int e = find(key);
        return e < 0 ? null : new String(payload, valueAt(e), valueLength(e), StandardCharsets.UTF_8);
    }

    /** A new map holding copies of all entries, in canonical key order; unmodifiable. */
    public Map<String, byte[]> toMap() {
        Map<String, byte[]> map = new LinkedHashMap<>();
        List<String> names = keys();
        for (int e = 0; e < names.size(); e++) {
            map.put(names.get(e), Arrays.copyOfRange(payload, valueAt(e), valueAt(e) + valueLength(e)));
        }
        return Collections.unmodifiableMap(map);
    }

    private int find(String key) {
        byte[] wanted = Utf8.encode(key);
        if (wanted == null) {
            return -1;
        }
        int low = 0;
        int high = size() - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int keyAt = keys[mid];
            int c = Arrays.compareUnsigned(payload, keyAt, keyAt + keyLength(mid), wanted, 0, wanted.length);
            if (c < 0) {
                low = mid + 1;
            } else if (c > 0) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return "Snapshot[version=" + version + ", keys=" + keys() + "]";
    }
}
