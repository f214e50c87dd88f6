package dev.tend.state;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;

/**
 * Self-checking snapshots for torture tests: data, the writer's id, a sequence number and a checksum over
 * all three, so a reader can tell a torn or mixed snapshot from a good one without knowing what was
 * published. The checksum is {@code crc32c(data) ^ mix(writer, n)}, which lets a fast writer reuse
 * precomputed data blocks ({@link Source}) and still publish a distinct, checkable snapshot every time.
 */
public final class Payloads {
    private static final byte[] NOISE = new byte[1 << 20];

    static {
        new SplittableRandom(7).nextBytes(NOISE);
    }

    private Payloads() {}

    /** A snapshot from writer {@code writer}, sequence number {@code n}, with {@code size} bytes of data. */
    public static Map<String, byte[]> make(long writer, long n, int size) {
        byte[] data = new byte[size];
        new SplittableRandom(writer * 1_000_003L + n).nextBytes(data);
        return snapshot(data, crc(data), writer, n);
    }

    /** Data blocks of random sizes with their checksums computed once, for writers in a tight loop. */
    public static final class Source {
        private final byte[][] blocks;
        private final long[] crcs;

        public Source(int count, int maxSize, SplittableRandom random) {
            blocks = new byte[count][];
            crcs = new long[count];
            for (int i = 0; i < count; i++) {
                int size = random.nextInt(maxSize);
                int from = random.nextInt(NOISE.length - size + 1);
                blocks[i] = Arrays.copyOfRange(NOISE, from, from + size);
                crcs[i] = crc(blocks[i]);
            }
        }

        /** Snapshot {@code n} of {@code writer}; consecutive numbers get different blocks. */
        public Map<String, byte[]> make(long writer, long n) {
            int i = (int) (n % blocks.length);
            return snapshot(blocks[i], crcs[i], writer, n);
        }
    }

    private static Map<String, byte[]> snapshot(byte[] data, long dataCrc, long writer, long n) {
        return Map.of("data", data, "writer", longBytes(writer), "n", longBytes(n),
                "sum", longBytes(dataCrc ^ mix(writer, n)));
    }

    /** Checks a snapshot made here; returns its {@code n}. */
    public static long verify(Snapshot snapshot) {
        if (!snapshot.keys().equals(List.of("data", "n", "sum", "writer"))) {
            throw new AssertionError("version " + snapshot.version() + " has keys " + snapshot.keys());
        }
        byte[] writer = snapshot.get("writer");
        byte[] n = snapshot.get("n");
        if (writer.length != 8 || n.length != 8
                || (crc(snapshot.get("data")) ^ mix(toLong(writer), toLong(n))) != toLong(snapshot.get("sum"))) {
            throw new AssertionError("version " + snapshot.version() + " fails its checksum: torn or mixed");
        }
        return toLong(n);
    }

    /** The writer id of a snapshot made here. */
    public static long writer(Snapshot snapshot) {
        return toLong(snapshot.get("writer"));
    }

    private static long crc(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        return crc.getValue();
    }

    private static long mix(long writer, long n) {
        long h = writer * 0x9E37_79B9_7F4A_7C15L + n;
        h ^= h >>> 31;
        return h * 0xBF58_476D_1CE4_E5B9L;
    }

    static byte[] longBytes(long value) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
    }

    static long toLong(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }
}
