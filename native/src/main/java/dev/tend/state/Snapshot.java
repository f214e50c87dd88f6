package dev.tend.state;

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
    /** Per entry: key offset, key length, value offset, value length. */
    private final int[] index;
    private List<String> keys;

    private Snapshot(long version, long publishedAtMillis, long writerEpoch, byte[] payload, int[] index) {
        this.version = version;
        this.publishedAtMillis = publishedAtMillis;
        this.writerEpoch = writerEpoch;
        this.payload = payload;
        this.index = index;
    }

    /** The snapshot of a slot nobody has published to: version 0, no keys. */
    static Snapshot empty() {
        return EMPTY;
    }

    /**
     * Validates a payload and wraps it; takes ownership of {@code payload}.
     *
     * @throws IllegalArgumentException naming what is malformed.
     */
    static Snapshot decode(byte[] payload, long version, long publishedAtMillis, long writerEpoch) {
        if (payload.length < 4) {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes has no entry count");
        }
        long count = SnapshotCodec.getUnsignedInt(payload, 0);
        if (count > (payload.length - 4) / 8) {
            throw new IllegalArgumentException("entry count " + count + " cannot fit in " + payload.length
                    + " bytes");
        }
        int[] index = new int[(int) count * 4];
        int at = 4;
        for (int e = 0; e < count; e++) {
            int keyLength = length(payload, at, "key", e);
            int keyAt = at + 4;
            if (keyLength == 0 || keyLength > StateFileLayout.MAX_KEY_LENGTH) {
                throw new IllegalArgumentException("entry " + e + " has a key of " + keyLength + " bytes");
            }
            int valueLength = length(payload, keyAt + keyLength, "value", e);
            int valueAt = keyAt + keyLength + 4;
            if (!Utf8.isValid(payload, keyAt, keyLength)) {
                throw new IllegalArgumentException("key of entry " + e + " is not valid UTF-8");
            }
            if (e > 0 && Arrays.compareUnsigned(payload, index[4 * e - 4], index[4 * e - 4] + index[4 * e - 3],
                    payload, keyAt, keyAt + keyLength) >= 0) {
                throw new IllegalArgumentException("key of entry " + e + " is not greater than the previous key");
            }
            index[4 * e] = keyAt;
            index[4 * e + 1] = keyLength;
            index[4 * e + 2] = valueAt;
            index[4 * e + 3] = valueLength;
            at = valueAt + valueLength;
        }
        if (at != payload.length) {
            throw new IllegalArgumentException((payload.length - at) + " bytes follow the last entry");
        }
        return new Snapshot(version, publishedAtMillis, writerEpoch, payload, index);
    }

    /** Reads a length prefix at {@code at} and checks that the bytes it announces are present. */
    private static int length(byte[] payload, int at, String what, int entry) {
        if (at + 4 > payload.length) {
            throw new IllegalArgumentException("entry " + entry + " is cut off before its " + what + " length");
        }
        long length = SnapshotCodec.getUnsignedInt(payload, at);
        if (length > payload.length - at - 4) {
            throw new IllegalArgumentException("entry " + entry + " announces a " + what + " of " + length
                    + " bytes; only " + (payload.length - at - 4) + " remain");
        }
        return (int) length;
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
        return index.length / 4;
    }

    /** Whether there are no keys. */
    public boolean isEmpty() {
        return index.length == 0;
    }

    /** Length of the canonical encoding in bytes, the size counted against the file's limit. */
    public int encodedLength() {
        return payload.length;
    }

    /** The keys in canonical order (by their UTF-8 bytes); immutable. */
    public List<String> keys() {
        List<String> list = keys;
        if (list == null) {
            List<String> built = new ArrayList<>(size());
            for (int e = 0; e < size(); e++) {
                built.add(new String(payload, index[4 * e], index[4 * e + 1], StandardCharsets.UTF_8));
            }
            // A race builds two equal lists; either is fine.
            list = keys = Collections.unmodifiableList(built);
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
        return e < 0 ? null : Arrays.copyOfRange(payload, index[4 * e + 2], index[4 * e + 2] + index[4 * e + 3]);
    }

    /** The value of {@code key} decoded as UTF-8 (malformed bytes become U+FFFD), or {@code null}. */
    public String getString(String key) {
        int e = find(key);
        return e < 0 ? null : new String(payload, index[4 * e + 2], index[4 * e + 3], StandardCharsets.UTF_8);
    }

    /** A new map holding copies of all entries, in canonical key order; unmodifiable. */
    public Map<String, byte[]> toMap() {
        Map<String, byte[]> map = new LinkedHashMap<>();
        List<String> names = keys();
        for (int e = 0; e < names.size(); e++) {
            map.put(names.get(e), Arrays.copyOfRange(payload, index[4 * e + 2],
                    index[4 * e + 2] + index[4 * e + 3]));
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
            int keyAt = index[4 * mid];
            int c = Arrays.compareUnsigned(payload, keyAt, keyAt + index[4 * mid + 1], wanted, 0, wanted.length);
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
