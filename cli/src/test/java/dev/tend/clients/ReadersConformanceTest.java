package dev.tend.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.json.Json;
import dev.tend.state.OwnerState;
import dev.tend.state.Publisher;
import dev.tend.state.SnapshotJson;
import dev.tend.state.StateException;
import dev.tend.state.StateFile;
import dev.tend.state.StateReader;
import dev.tend.testing.Await;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The readers of clients/php (fread and FFI) and clients/python see exactly what the Java reader sees, on the
 * same file: binary values, empty maps, unicode keys, a snapshot at the size limit and one refused over it,
 * pool-name lookups, the file growing under long-lived readers (a second table block, buffers beyond their
 * first view of it), and a publisher SIGKILLed in the middle of its writes.
 */
class ReadersConformanceTest {
    private static final int LIMIT = 64 * 1024;

    @TempDir
    Path dir;

    @Test
    void everyReaderSeesWhatTheJavaReaderSees() throws Exception {
        Path php = Interpreters.php();
        Path python = Interpreters.python();
        Path path = dir.resolve("state");
        try (StateFile file = StateFile.create(path, LIMIT); StateReader java = StateReader.open(path)) {
            List<String> names = new ArrayList<>();
            int bin = file.allocate("bin.1", "bin");
            file.setOwner(bin, OwnerState.RUNNING, 4242, 1);
            file.setOwner(file.allocate("two.1", "two"), OwnerState.BACKOFF, 0, 2);
            file.setOwner(file.allocate("two.2", "two"), OwnerState.RUNNING, 77, 2);
            file.setOwner(file.allocate("gone.1", "gone"), OwnerState.REMOVED, 0, 3);
            file.allocate("never.1", "never");
            file.allocate("empty", "");
            file.allocate("ünï.1", "ünï");
            file.allocate("limit.1", "limit");
            int crash = file.allocate("crash.1", "crash");   // in table block 0, whose offset is fixed
            names.addAll(List.of("bin.1", "bin", "two.1", "two.2", "gone.1", "never.1", "empty", "ünï", "limit.1"));

            Map<String, byte[]> binary = new LinkedHashMap<>();
            binary.put("nul", new byte[] {0, (byte) 0xFF, (byte) 0xFE, 'a'});
            binary.put("empty", new byte[0]);
            binary.put("overlong", new byte[] {(byte) 0xC0, (byte) 0xAF});
            binary.put("surrogate", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80});
            binary.put("17", "a key of digits".getBytes(StandardCharsets.UTF_8));
            binary.put("quote", "a\"b\\c\nd\te\u0001\u007f/".getBytes(StandardCharsets.UTF_8));
            publish(path, "bin.1", binary);
            publish(path, "two.2", Map.of("jobs", bytes("7")));
            publish(path, "gone.1", Map.of("was", bytes("here")));
            publish(path, "empty", Map.of());
            publish(path, "ünï.1", Map.of("ключ", bytes("значение ✓ 😀"), "a", bytes("b"), "ab", bytes("c"), "b", bytes("")));
            // Exactly at the limit: the canonical encoding is 4 + 4 + 1 + 4 + value bytes.
            publish(path, "limit.1", Map.of("x", new byte[LIMIT - 13]));
            StateException over = assertThrows(StateException.class,
                    () -> publish(path, "limit.1", Map.of("x", new byte[LIMIT - 12])));
            assertTrue(over.getMessage().contains("exceeds"), over.getMessage());

            List<ReaderProcess> readers = List.of(
                    new ReaderProcess("php (fread)", List.of(php.toString(), script("php/tests/conformance_reader.php"),
                            path.toString(), "fread")),
                    new ReaderProcess("php (ffi)", List.of(php.toString(), script("php/tests/conformance_reader.php"),
                            path.toString(), "ffi")),
                    new ReaderProcess("python", List.of(python.toString(), script("python/tests/conformance_reader.py"),
                            path.toString())));
            try {
                compare(java, readers, names);
                assertLookupErrors(readers);

                // Growth under the readers: a second table block and buffers far beyond their first view.
                for (int i = 0; i < 70; i++) {
                    String name = "fill." + i;
                    file.allocate(name, "fill");
                    publish(path, name, Map.of("i", bytes(Integer.toString(i)), "pad", new byte[LIMIT / 2 + i]));
                    names.add(name);
                }
                publish(path, "bin.1", Map.of("grown", new byte[LIMIT - 20]));
                compare(java, readers, names);

                killedMidWrite(crash, path, java, readers);
            } finally {
                readers.forEach(ReaderProcess::close);
            }
        }
    }

    /** Publishers killed by SIGKILL at random instants, until some died holding the lock: readers agree each time. */
    private void killedMidWrite(int slot, Path path, StateReader java, List<ReaderProcess> readers) throws Exception {
        long lockOffset = 4096 + 256 + 256L * slot + 24;   // the descriptor's lockOwner, in block 0
        SplittableRandom random = new SplittableRandom();
        int diedHoldingTheLock = 0;
        for (int round = 0; round < 40 && diedHoldingTheLock < 3; round++) {
            long before = java.slot("crash.1").version();
            Process child = new ProcessBuilder(javaCommand(path, "crash.1")).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("publishing", out.readLine());
            Await.until(Duration.ofSeconds(20), "a publish", () -> java.slot("crash.1").version() > before + 1);
            Thread.sleep(random.nextInt(3));   // a random instant in the stream of publishes: the point of the test
            child.destroyForcibly();
            child.waitFor();
            if (lockWord(path, lockOffset) != 0) {
                diedHoldingTheLock++;
            }
            compare(java, readers, List.of("crash.1"));
            long version = java.slot("crash.1").version();
            publish(path, "crash.1", Map.of("after", bytes("kill " + round)));   // takes the dead holder's lock over
            assertEquals(version + 1, java.slot("crash.1").version());
            compare(java, readers, List.of("crash.1"));
        }
        assertTrue(diedHoldingTheLock > 0, "no publisher was killed while it held the slot lock in 40 rounds");
    }

    private static long lockWord(Path path, long offset) throws Exception {
        try (RandomAccessFile raf = new RandomAccessFile(path.toFile(), "r")) {
            raf.seek(offset);
            return Long.reverseBytes(raf.readLong());
        }
    }

    private static List<String> javaCommand(Path path, String slot) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-Djna.platform.library.path=" + System.getProperty("jna.platform.library.path", "/usr/lib"),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                LoopingPublisher.class.getName(), path.toString(), slot, Integer.toString(LIMIT));
    }

    private static void compare(StateReader java, List<ReaderProcess> readers, List<String> names) throws Exception {
        for (String name : names) {
            Map<String, Object> expected = new LinkedHashMap<>(SnapshotJson.slot(java.slot(name)));
            expected.remove("age_ms");
            for (ReaderProcess reader : readers) {
                Map<String, Object> actual = new LinkedHashMap<>(reader.read(name));
                assertEquals(Boolean.TRUE, actual.remove("same_array"), reader.label + ": the cached snapshot for " + name);
                Object age = actual.remove("age_ms");
                assertEquals(expected.get("version").equals(0L), age == null, reader.label + " age_ms of " + name + ": " + age);
                assertEquals(Json.write(expected), Json.write(actual), reader.label + " reads " + name);
            }
        }
    }

    private static void assertLookupErrors(List<ReaderProcess> readers) throws Exception {
        for (ReaderProcess reader : readers) {
            Map<String, Object> ambiguous = reader.read("two");
            assertEquals(1L, ambiguous.get("code"), reader.label);
            assertTrue(ambiguous.get("error").toString().contains("pool two has 2 workers; name one of two.1, two.2"),
                    reader.label + ": " + ambiguous);
            assertEquals(3L, reader.read("nobody").get("code"), reader.label);
            assertEquals(3L, reader.read("gone").get("code"), reader.label + ": a removed worker's pool name");
            assertEquals(3L, reader.read("").get("code"), reader.label + ": the empty name");
        }
    }

    private static String script(String relative) {
        return Interpreters.ROOT.resolve("clients").resolve(relative).toString();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void publish(Path path, String slot, Map<String, byte[]> data) {
        try (Publisher publisher = Publisher.openAsSupervisor(path, slot)) {
            publisher.publish(data);
        }
    }
}
