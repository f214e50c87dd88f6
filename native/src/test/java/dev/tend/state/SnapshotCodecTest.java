package dev.tend.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotCodecTest {
    private static final long MAX = 1 << 20;

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void encodingIsCanonicalWhateverTheInsertionOrder() {
        Map<String, byte[]> one = new LinkedHashMap<>();
        one.put("zeta", utf8("1"));
        one.put("alpha", utf8("2"));
        one.put("é", utf8("3"));
        one.put("Z", utf8("4"));
        Map<String, byte[]> two = new LinkedHashMap<>();
        two.put("é", utf8("3"));
        two.put("Z", utf8("4"));
        two.put("alpha", utf8("2"));
        two.put("zeta", utf8("1"));
        assertArrayEquals(SnapshotCodec.encode(one, MAX), SnapshotCodec.encode(two, MAX));
        Snapshot decoded = Snapshot.decode(SnapshotCodec.encode(one, MAX), 1, 2, 3);
        // Sorted by UTF-8 bytes: "Z" (0x5A) < "alpha" < "zeta" < "é" (0xC3 0xA9).
        assertEquals(List.of("Z", "alpha", "zeta", "é"), decoded.keys());
    }

    @Test
    void largeUnorderedMapsAreSortedToo() {
        Map<String, byte[]> big = new HashMap<>();
        for (int i = 0; i < 500; i++) {
            big.put("k" + Integer.toHexString(i * 7919 % 1000), utf8(Integer.toString(i)));
        }
        Snapshot decoded = Snapshot.decode(SnapshotCodec.encode(big, MAX), 1, 0, 0);
        assertEquals(big.size(), decoded.size());
        List<String> keys = decoded.keys();
        for (int i = 1; i < keys.size(); i++) {
            assertTrue(keys.get(i - 1).compareTo(keys.get(i)) < 0, keys.get(i - 1) + " before " + keys.get(i));
        }
        big.forEach((k, v) -> assertArrayEquals(v, decoded.get(k)));
    }

    @Test
    void encodingIsTheDocumentedBytes() {
        byte[] encoded = SnapshotCodec.encode(Map.of("b", new byte[] {9}, "a", new byte[0]), MAX);
        assertArrayEquals(new byte[] {2, 0, 0, 0, 1, 0, 0, 0, 'a', 0, 0, 0, 0, 1, 0, 0, 0, 'b', 1, 0, 0, 0, 9},
                encoded);
        assertArrayEquals(new byte[] {0, 0, 0, 0}, SnapshotCodec.encode(Map.of(), MAX));
    }

    @Test
    void roundTripKeepsBinaryValues() {
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        Map<String, byte[]> map = new HashMap<>();
        map.put("bin", binary);
        map.put("empty", new byte[0]);
        map.put("text", utf8("hällo"));
        Snapshot snapshot = Snapshot.decode(SnapshotCodec.encode(map, MAX), 7, 8, 9);
        assertEquals(7, snapshot.version());
        assertEquals(8, snapshot.publishedAtMillis());
        assertEquals(9, snapshot.writerEpoch());
        assertEquals(3, snapshot.size());
        assertArrayEquals(binary, snapshot.get("bin"));
        assertArrayEquals(new byte[0], snapshot.get("empty"));
        assertEquals("hällo", snapshot.getString("text"));
        assertNull(snapshot.get("missing"));
        assertNull(snapshot.getString("missing"));
        assertFalse(snapshot.contains("\uD800"));
        assertTrue(snapshot.contains("bin"));
        // Values handed out are copies: changing one does not change the snapshot.
        snapshot.get("bin")[0] = 42;
        assertEquals(0, snapshot.get("bin")[0]);
        assertEquals(List.of("bin", "empty", "text"), List.copyOf(snapshot.toMap().keySet()));
    }

    @Test
    void oversizedSnapshotIsRefusedNamingLimitAndSize() {
        byte[] big = new byte[(int) (2.1 * 1024 * 1024)];
        StateException e = assertThrows(StateException.class,
                () -> SnapshotCodec.encode(Map.of("k", big), 1 << 20));
        assertEquals(StateException.Reason.LIMIT, e.reason());
        assertEquals("snapshot of 2.1 MiB exceeds the state file's limit of 1 MiB (state.max_snapshot)",
                e.getMessage());
        // Just over the limit: rounding would print "1 MiB" twice, so exact sizes are given.
        StateException exact = assertThrows(StateException.class,
                () -> SnapshotCodec.encode(Map.of("k", new byte[(1 << 20) - 12]), 1 << 20));
        assertEquals("snapshot of 1048577 bytes exceeds the state file's limit of 1048576 bytes (1 MiB)"
                + " (state.max_snapshot)", exact.getMessage());
        // Exactly at the limit is fine: 4 (count) + 4 + 1 (key) + 4 + value.
        assertEquals(1 << 20, SnapshotCodec.encode(Map.of("k", new byte[(1 << 20) - 13]), 1 << 20).length);
    }

    @Test
    void badKeysAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> SnapshotCodec.encode(Map.of("", new byte[0]), MAX));
        StateException longKey = assertThrows(StateException.class,
                () -> SnapshotCodec.encode(Map.of("x".repeat(1025), new byte[0]), MAX));
        assertEquals(StateException.Reason.LIMIT, longKey.reason());
        assertTrue(longKey.getMessage().startsWith("key of 1025 bytes exceeds the limit of 1024 bytes: xxx"),
                longKey.getMessage());
        assertEquals(4 + 8 + 1024, SnapshotCodec.encode(Map.of("x".repeat(1024), new byte[0]), MAX).length);
        assertThrows(IllegalArgumentException.class,
                () -> SnapshotCodec.encode(Map.of("bad\uD800", new byte[0]), MAX));
        Map<String, byte[]> nullValue = new HashMap<>();
        nullValue.put("k", null);
        assertThrows(IllegalArgumentException.class, () -> SnapshotCodec.encode(nullValue, MAX));
    }

    private static void assertMalformed(String why, byte... payload) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Snapshot.decode(payload, 1, 0, 0), why);
        assertFalse(e.getMessage().isEmpty());
    }

    @Test
    void decodingIsStrict() {
        assertMalformed("no count", (byte) 0, (byte) 0);
        assertMalformed("count too large", (byte) 5, (byte) 0, (byte) 0, (byte) 0);
        assertMalformed("trailing bytes", (byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 7);
        assertMalformed("key runs past the end", (byte) 1, (byte) 0, (byte) 0, (byte) 0, (byte) 9, (byte) 0,
                (byte) 0, (byte) 0, (byte) 'a', (byte) 0, (byte) 0, (byte) 0, (byte) 0);
        assertMalformed("empty key", (byte) 1, (byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 0,
                (byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 0);
        assertMalformed("value runs past the end", (byte) 1, (byte) 0, (byte) 0, (byte) 0, (byte) 1, (byte) 0,
                (byte) 0, (byte) 0, (byte) 'a', (byte) 5, (byte) 0, (byte) 0, (byte) 0, (byte) 1);
        assertMalformed("key not UTF-8", (byte) 1, (byte) 0, (byte) 0, (byte) 0, (byte) 1, (byte) 0, (byte) 0,
                (byte) 0, (byte) 0xFF, (byte) 0, (byte) 0, (byte) 0, (byte) 0);
        byte[] unsorted = SnapshotCodec.encode(Map.of("a", new byte[0], "b", new byte[0]), MAX);
        unsorted[8] = 'c';
        assertMalformed("keys out of order", unsorted);
        byte[] duplicate = SnapshotCodec.encode(Map.of("a", new byte[0], "b", new byte[0]), MAX);
        duplicate[17] = 'a';
        assertMalformed("duplicate key", duplicate);
        assertEquals(2, Snapshot.decode(SnapshotCodec.encode(Map.of("a", new byte[0], "b", new byte[0]), MAX),
                1, 0, 0).size());
        // A key that is a prefix of the next sorts first; the other way round is out of order.
        byte[] prefixFirst = SnapshotCodec.encode(Map.of("ab", new byte[0], "abc", new byte[0]), MAX);
        assertEquals(List.of("ab", "abc"), Snapshot.decode(prefixFirst.clone(), 1, 0, 0).keys());
        byte[] prefixLast = {2, 0, 0, 0, 3, 0, 0, 0, 'a', 'b', 'c', 0, 0, 0, 0, 2, 0, 0, 0, 'a', 'b', 0, 0, 0, 0};
        assertMalformed("longer key before its prefix", prefixLast);
    }

    private static byte[] encoded(SnapshotEncoder encoder, Map<String, byte[]> map) {
        int length = encoder.encode(map, MAX);
        return Arrays.copyOf(encoder.bytes(), length);
    }

    @Test
    void aReusedEncoderGivesTheCanonicalBytesWhateverChangesBetweenMaps() {
        SnapshotEncoder encoder = new SnapshotEncoder();
        Map<String, byte[]> first = new LinkedHashMap<>();
        first.put("zeta", utf8("1"));
        first.put("alpha", utf8("2"));
        first.put("é", utf8("3"));
        assertArrayEquals(SnapshotCodec.encode(first, MAX), encoded(encoder, first));
        // The same keys (equal, not identical strings), new values: the remembered keys and order are used.
        Map<String, byte[]> values = new LinkedHashMap<>();
        values.put(new String("zeta"), utf8("one"));
        values.put(new String("alpha"), utf8(""));
        values.put(new String("é"), utf8("three"));
        assertArrayEquals(SnapshotCodec.encode(values, MAX), encoded(encoder, values));
        // The same keys in another iteration order, one key replaced, one more key, one fewer.
        Map<String, byte[]> reordered = new LinkedHashMap<>();
        reordered.put("é", utf8("3"));
        reordered.put("zeta", utf8("1"));
        reordered.put("alpha", utf8("2"));
        assertArrayEquals(encoded(new SnapshotEncoder(), first), encoded(encoder, reordered));
        Map<String, byte[]> replaced = new LinkedHashMap<>(reordered);
        replaced.remove("zeta");
        replaced.put("beta", utf8("4"));
        assertArrayEquals(SnapshotCodec.encode(replaced, MAX), encoded(encoder, replaced));
        Map<String, byte[]> more = new LinkedHashMap<>(replaced);
        more.put("a", utf8("5"));
        assertArrayEquals(SnapshotCodec.encode(more, MAX), encoded(encoder, more));
        assertArrayEquals(new byte[] {0, 0, 0, 0}, encoded(encoder, Map.of()));
        assertArrayEquals(SnapshotCodec.encode(first, MAX), encoded(encoder, first));
    }

    @Test
    void aRefusedMapLeavesTheEncoderUsable() {
        SnapshotEncoder encoder = new SnapshotEncoder();
        Map<String, byte[]> good = new LinkedHashMap<>();
        good.put("a", utf8("1"));
        good.put("b", utf8("2"));
        encoded(encoder, good);
        Map<String, byte[]> nullValue = new LinkedHashMap<>();
        nullValue.put("a", utf8("1"));
        nullValue.put("b", null);
        assertThrows(IllegalArgumentException.class, () -> encoder.encode(nullValue, MAX));
        Map<String, byte[]> badKey = new LinkedHashMap<>();
        badKey.put("a", utf8("1"));
        badKey.put("bad\uD800", utf8("2"));
        assertThrows(IllegalArgumentException.class, () -> encoder.encode(badKey, MAX));
        Map<String, byte[]> tooBig = new LinkedHashMap<>();
        tooBig.put("a", utf8("1"));
        tooBig.put("c", new byte[(int) MAX]);
        assertEquals(StateException.Reason.LIMIT,
                assertThrows(StateException.class, () -> encoder.encode(tooBig, MAX)).reason());
        assertArrayEquals(SnapshotCodec.encode(good, MAX), encoded(encoder, good));
        // After a large map, a small one is encoded into a buffer that was given back down to size.
        encoded(encoder, Map.of("big", new byte[500_000]));
        assertArrayEquals(SnapshotCodec.encode(good, MAX), encoded(encoder, good));
        assertTrue(encoder.bytes().length <= 64 * 1024, "kept " + encoder.bytes().length + " bytes");
    }

    @Test
    void decodingAgainstThePreviousSnapshotSharesItsKeys() {
        Map<String, byte[]> one = new LinkedHashMap<>();
        one.put("alpha", utf8("1"));
        one.put("a-rather-long-key-of-more-than-sixteen-bytes", utf8("2"));
        one.put("é", utf8("3"));
        Snapshot first = Snapshot.decode(SnapshotCodec.encode(one, MAX), 1, 0, 0);
        Map<String, byte[]> two = new LinkedHashMap<>(one);
        two.put("alpha", utf8("a much longer value than before"));
        Snapshot second = Snapshot.decode(SnapshotCodec.encode(two, MAX), 2, 0, 0, first);
        assertSame(first.keys(), second.keys(), "the same keys: the same list of the same strings");
        assertEquals("a much longer value than before", second.getString("alpha"));
        assertEquals("3", second.getString("é"));
        Map<String, byte[]> three = new LinkedHashMap<>(two);
        three.put("zzz", utf8("4"));
        Snapshot third = Snapshot.decode(SnapshotCodec.encode(three, MAX), 3, 0, 0, second);
        assertNotSame(second.keys(), third.keys());
        assertEquals(List.of("a-rather-long-key-of-more-than-sixteen-bytes", "alpha", "zzz", "é"), third.keys());
        Snapshot empty = Snapshot.decode(new byte[] {0, 0, 0, 0}, 4, 0, 0, third);
        assertEquals(List.of(), empty.keys());
    }

    private static void assertMalformedAfter(Snapshot previous, String why, byte[] payload) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Snapshot.decode(payload, 2, 0, 0, previous), why);
        assertFalse(e.getMessage().isEmpty());
    }

    @Test
    void decodingAgainstThePreviousSnapshotIsStrictWhereTheKeysDiffer() {
        Snapshot previous = Snapshot.decode(SnapshotCodec.encode(Map.of("a", new byte[0], "b", new byte[0],
                "c", new byte[0]), MAX), 1, 0, 0);
        // Same count, first key equal, second key now equal to the first: a duplicate.
        byte[] duplicate = SnapshotCodec.encode(Map.of("a", new byte[0], "b", new byte[0], "c", new byte[0]), MAX);
        duplicate[17] = 'a';
        assertMalformedAfter(previous, "duplicate after an equal key", duplicate);
        // Second key changed to sort after the third.
        byte[] unsorted = SnapshotCodec.encode(Map.of("a", new byte[0], "b", new byte[0], "c", new byte[0]), MAX);
        unsorted[17] = 'd';
        assertMalformedAfter(previous, "out of order after an equal key", unsorted);
        // Last key no longer UTF-8.
        byte[] notUtf8 = SnapshotCodec.encode(Map.of("a", new byte[0], "b", new byte[0], "c", new byte[0]), MAX);
        notUtf8[26] = (byte) 0xFF;
        assertMalformedAfter(previous, "not UTF-8 after equal keys", notUtf8);
        // Equal keys, but a value that runs past the end, or bytes after the last entry.
        byte[] overrun = SnapshotCodec.encode(Map.of("a", new byte[0], "b", new byte[0], "c", new byte[0]), MAX);
        overrun[27] = 1;
        assertMalformedAfter(previous, "value past the end", overrun);
        byte[] trailing = Arrays.copyOf(SnapshotCodec.encode(Map.of("a", new byte[0], "b", new byte[0],
                "c", new byte[0]), MAX), 32);
        assertMalformedAfter(previous, "trailing bytes", trailing);
        // A key whose length differs from the previous one's, in place of an equal one.
        byte[] longer = SnapshotCodec.encode(Map.of("a", new byte[0], "bb", new byte[0], "c", new byte[0]), MAX);
        assertEquals(List.of("a", "bb", "c"), Snapshot.decode(longer, 2, 0, 0, previous).keys());
        byte[] emptyKey = {3, 0, 0, 0, 1, 0, 0, 0, 'a', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 'c', 0, 0, 0, 0};
        assertMalformedAfter(previous, "an empty key where the previous had one", emptyKey);
    }
}
