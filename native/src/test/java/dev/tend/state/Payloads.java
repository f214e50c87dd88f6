package dev.tend.state;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;

/**
 * Self-checking snapshots for torture tests: random data plus a checksum over everything else, so a reader
 * can tell a torn or mixed snapshot from a good one without knowing what was published.
 */
public final class Payloads {
    private Payloads() {}

    /** A snapshot from writer {@code writer}, sequence number {@code n}, with {@code size} bytes of data. */
    public static Map<String, byte[]> make(long writer, long n, int size) {
        byte[] data = new byte[size];
        new SplittableRandom(writer * 1_000_003L + n).nextBytes(data);
        byte[] writerBytes = longBytes(writer);
        byte[] nBytes = longBytes(n);
        return Map.of("data", data, "writer", writerBytes, "n", nBytes,
                "sum", longBytes(sum(data, writerBytes, nBytes)));
    }

    /** Checks a snapshot made by {@link #make}; returns its {@code n}. */
    public static long verify(Snapshot snapshot) {
        if (!snapshot.keys().equals(java.util.List.of("data", "n", "sum", "writer"))) {
            throw new AssertionError("version " + snapshot.version() + " has keys " + snapshot.keys());
        }
        byte[] data = snapshot.get("data");
        byte[] writer = snapshot.get("writer");
        byte[] n = snapshot.get("n");
        long expected = toLong(snapshot.get("sum"));
        if (writer.length != 8 || n.length != 8 || sum(data, writer, n) != expected) {
            throw new AssertionError("version " + snapshot.version() + " fails its checksum: torn or mixed");
        }
        return toLong(n);
    }

    /** The writer id of a snapshot made by {@link #make}. */
    public static long writer(Snapshot snapshot) {
        return toLong(snapshot.get("writer"));
    }

    private static long sum(byte[]... parts) {
        CRC32C crc = new CRC32C();
        for (byte[] part : parts) {
            crc.update(part);
        }
        return crc.getValue();
    }

    static byte[] longBytes(long value) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
    }

    static long toLong(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }
}
