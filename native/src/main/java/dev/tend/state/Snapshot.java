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
    private static final Snapshot EMPTY = new Snapshot(0, 0, 0, new byte[] {0, 0, 0, 0}, new int[0]);

    private final long version;
    private final long publishedAtMillis;
    private final long writerEpoch;
    private final byte[] payload;
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    /** Offset of each entry's key; its length precedes it, the value's length and bytes follow it. */
    private final int[] keys;
    private List<String> keyList;

    private Snapshot(long version, long publishedAtMillis, long writerEpoch, byte[] payload, int[] keys) {
        this.version = version;
        this.publishedAtMillis = publishedAtMillis;
        this.writerEpoch = writerEpoch;
        this.payload = payload;
        this.keys = keys;
    }

    /** The snapshot of a slot nobody has published to: version 0, no keys. */
    static Snapshot empty() {
        return EMPTY;
    }

    /**
     * Validates a payload and wraps it; takes ownership of {@code payload}.
     *
     * <p>One pass, written for the common case of short ASCII keys: keys are compared and checked for ASCII a
     * word at a time, and only non-ASCII keys take the full UTF-8 check.
     *
     * @throws IllegalArgumentException naming what is malformed.
     */
    static Snapshot decode(byte[] payload, long version, long publishedAtMillis, long writerEpoch) {
        int end = payload.length;
        if (end < 4) {
            throw new IllegalArgumentException("payload of " + end + " bytes has no entry count");
        }
        long count = SnapshotCodec.getUnsignedInt(payload, 0);
        if (count > (end - 4) / 9) {
            throw new IllegalArgumentException("entry count " + count + " cannot fit in " + end + " bytes");
        }
        int[] keys = new int[(int) count];
        int at = 4;
        int previousAt = -1;
        int previousLength = 0;
        for (int e = 0; e < keys.length; e++) {
            int keyLength = length(payload, at, "key", e);
            int keyAt = at + 4;
            if (keyLength == 0 || keyLength > StateFileLayout.MAX_KEY_LENGTH) {
                throw new IllegalArgumentException("entry " + e + " has a key of " + keyLength + " bytes");
            }
            if (previousAt >= 0 && !ascending(payload, previousAt, previousLength, keyAt, keyLength)) {
                throw new IllegalArgumentException("key of entry " + e + " is not greater than the previous key");
            }
            boolean ascii = isAscii(payload, keyAt, keyLength);
            if (!ascii && !Utf8.isValid(payload, keyAt, keyLength)) {
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
        return new Snapshot(version, publishedAtMillis, writerEpoch, payload, keys);
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
        if (at + 4 > payload.length) {
            throw new IllegalArgumentException("entry " + entry + " is cut off before its " + what + " length");
        }
        int length = (int) INT.get(payload, at);
        if (length < 0 || length > payload.length - at - 4) {
            throw new IllegalArgumentException("entry " + entry + " announces a " + what + " of "
                    + Integer.toUnsignedString(length) + " bytes; only " + (payload.length - at - 4) + " remain");
        }
        return length;
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

    /** The keys in canonical order (by their UTF-8 bytes); immutable. */
    public List<String> keys() {
        List<String> list = keyList;
        if (list == null) {
            List<String> built = new ArrayList<>(size());
            for (int e = 0; e < size(); e++) {
                built.add(new String(payload, keys[e], keyLength(e), StandardCharsets.UTF_8));
            }
            // A race builds two equal lists; either is fine.
            list = keyList = Collections.unmodifiableList(built);
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

    /** Whether the canonical encoding equals {@code encoded}. */
    boolean encodes(byte[] encoded) {
        return Arrays.equals(payload, encoded);
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
