package dev.tend.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real mappings of this JVM, read back from /proc/self/smaps. */
class ReadOnlyMappingsTest {
    private static final int SIZE = 64 * 4096;

    @TempDir
    Path dir;

    @Test
    void shouldDropTheResidentPagesOfAFileMappedReadOnlyAndMapThemBackOnTouch() throws IOException {
        Path file = file("read-only");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY, 0, SIZE);
            long sum = touch(map);
            assertEquals(SIZE / 1024, residentKib(file), "every page touched");

            assertTrue(ReadOnlyMappings.release() >= SIZE / 1024, "counted among what was released");
            assertEquals(0, residentKib(file));

            assertEquals(sum, touch(map), "the same bytes, read back from the page cache");
            assertEquals(SIZE / 1024, residentKib(file));
        }
    }

    @Test
    void shouldKeepTheChangesOfAPrivateMapping() throws IOException {
        Path file = file("private");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            // A private mapping's written pages exist only in this process: dropping them would lose them.
            MappedByteBuffer map = channel.map(FileChannel.MapMode.PRIVATE, 0, SIZE);
            for (int i = 0; i < SIZE; i += 4096) {
                map.put(i, (byte) 42);
            }
            ReadOnlyMappings.release();
            assertEquals(SIZE / 1024, residentKib(file));
            for (int i = 0; i < SIZE; i += 4096) {
                assertEquals(42, map.get(i), "byte " + i);
            }
            assertEquals(0, Files.readAllBytes(file)[0], "the file itself never changed");
        }
    }

    private Path file(String name) throws IOException {
        byte[] bytes = new byte[SIZE];
        for (int i = 0; i < SIZE; i++) {
            bytes[i] = (byte) (i * 7);
        }
        return Files.write(dir.resolve(name), bytes);
    }

    private static long touch(MappedByteBuffer map) {
        long sum = 0;
        for (int i = 0; i < SIZE; i++) {
            sum += map.get(i);
        }
        return sum;
    }

    /** The resident KiB of this process's mappings of {@code file}. */
    private static long residentKib(Path file) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc/self/smaps"));
        long kib = 0;
        boolean mapping = false;
        for (String line : lines) {
            if (!line.isEmpty() && !line.substring(0, line.indexOf(' ') < 0 ? line.length() : line.indexOf(' ')).endsWith(":")) {
                mapping = line.endsWith(" " + file);
            } else if (mapping && line.startsWith("Rss:")) {
                kib += Long.parseLong(line.substring(4).trim().split(" ")[0]);
            }
        }
        return kib;
    }
}
