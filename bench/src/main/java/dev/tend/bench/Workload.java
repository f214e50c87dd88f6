package dev.tend.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** The snapshot every benchmark uses: 16 short keys with 50-byte values, 1092 bytes encoded (about 1 KiB). */
final class Workload {
    static final int ENTRIES = 16;
    static final int VALUE_LENGTH = 50;

    private Workload() {}

    /** The map; {@code variant} changes one byte of every value, so variants differ but have the same size. */
    static Map<String, byte[]> snapshot(int variant) {
        Map<String, byte[]> map = new LinkedHashMap<>();
        for (int i = 0; i < ENTRIES; i++) {
            byte[] value = new byte[VALUE_LENGTH];
            Arrays.fill(value, (byte) ('a' + i));
            value[0] = (byte) ('0' + variant % 10);
            map.put(String.format("metric.%03d", i), value);
        }
        return map;
    }

    /** The same entries as flat RESP arguments for HSET key field value …. */
    static Object[] hsetArguments(String key, Map<String, byte[]> map) {
        Object[] args = new Object[2 + 2 * map.size()];
        args[0] = "HSET";
        args[1] = key;
        int i = 2;
        for (Map.Entry<String, byte[]> e : map.entrySet()) {
            args[i++] = e.getKey().getBytes(StandardCharsets.UTF_8);
            args[i++] = e.getValue();
        }
        return args;
    }

    /** Removes a scratch directory and what is in it (best effort: benchmarks must not fail on cleanup). */
    static void delete(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // Left behind in /dev/shm or /tmp; harmless.
        }
    }

    /** A fresh directory on tmpfs when there is one, as tend's runtime directory would be. */
    static Path scratchDirectory() throws IOException {
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) ? Files.createTempDirectory(shm, "tend-bench") :
                Files.createTempDirectory("tend-bench");
    }
}
