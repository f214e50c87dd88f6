package dev.tend.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tend.os.Executables;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/state_reader.py}, written from docs/state-file.md alone, must see exactly what the Java
 * reader sees: this proves the document (and keeps the JSON shape of {@code tend get} pinned).
 */
class PythonReaderTest {
    private static final Path SCRIPT = locateScript();
    private static final Pattern AGE = Pattern.compile("\"age_ms\": (\\d+)");

    @TempDir
    Path dir;
    Path python;

    private static Path locateScript() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            Path candidate = p.resolve("examples/state_reader.py");
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("examples/state_reader.py not found above " + here);
    }

    @BeforeEach
    void findPython() {
        try {
            python = Executables.resolve("python3", System.getenv("PATH"), Path.of("/"));
        } catch (Executables.NotExecutableException e) {
            assumeTrue(false, "python3 is not installed, so the Python reader cannot be tested: " + e.getMessage());
        }
    }

    private ProcessRun python(String... args) {
        List<String> argv = new ArrayList<>(List.of("python3", SCRIPT.toString()));
        argv.addAll(Arrays.asList(args));
        // The whole environment: python3 may be a pyenv shim that needs its variables.
        return ProcessRun.run(python, argv, System.getenv(), Duration.ofSeconds(30));
    }

    @Test
    void thePythonReaderSeesWhatTheJavaReaderSees() {
        Path path = dir.resolve("state");
        byte[] binary = {0, (byte) 0xFF, (byte) 0xFE, 'a'};
        try (StateFile file = StateFile.create(path); StateReader reader = StateReader.open(path)) {
            int q1 = file.allocate("queue.1", "queue");
            int q2 = file.allocate("queue.2", "queue");
            file.allocate("solo.1", "solo");
            int redis = file.allocate("redis-main", "");
            file.setOwner(q1, OwnerState.RUNNING, 4242, 1);
            file.setOwner(q2, OwnerState.BACKOFF, 0, 2);
            file.setOwner(redis, OwnerState.EXITED, 0, 3);
            Map<String, byte[]> data = new LinkedHashMap<>();
            data.put("text", "héllo ✓ 😀".getBytes(StandardCharsets.UTF_8));
            data.put("quote", "a\"b\\c\nd\te\u0001\u007f/".getBytes(StandardCharsets.UTF_8));
            data.put("empty", new byte[0]);
            data.put("bin", binary);
            data.put("big", "x".repeat(200_000).getBytes(StandardCharsets.UTF_8));
            data.put("ключ", "значение".getBytes(StandardCharsets.UTF_8));
            publish(path, "queue.1", data);
            publish(path, "queue.2", Map.of("jobs", "7".getBytes(StandardCharsets.UTF_8)));
            publish(path, "redis-main", Map.of("role", "master".getBytes(StandardCharsets.UTF_8)));
            // Enough slots for a second table block, and buffers far beyond the first mapping.
            for (int i = 0; i < 66; i++) {
                file.allocate("fill." + i, "fill");
                publish(path, "fill." + i, Map.of("i", Integer.toString(i).getBytes(StandardCharsets.UTF_8)));
            }

            ProcessRun list = python(path.toString());
            assertEquals(0, list.exitCode(), list.stderr());
            assertEquals(String.join("\n", reader.slots()) + "\n", list.stdoutText());

            for (String name : List.of("queue.1", "queue.2", "redis-main", "fill.65")) {
                assertSameJson(reader, name, name);
            }
            assertSameJson(reader, "solo", "solo.1");

            ProcessRun all = python(path.toString(), "--json");
            assertEquals(0, all.exitCode(), all.stderr());
            List<String> each = new ArrayList<>();
            for (String name : reader.slots()) {
                each.add(Json.slot(reader.slot(name)));
            }
            assertEquals("[" + String.join(", ", each) + "]", withoutAges(all.stdoutText().strip(), reader));

            ProcessRun raw = python(path.toString(), "queue", "bin");
            assertEquals(1, raw.exitCode(), "the pool name is ambiguous");
            assertEquals("state_reader: pool queue has 2 workers; name one of queue.1, queue.2\n", raw.stderr());
            ProcessRun value = python(path.toString(), "queue.1", "bin");
            assertEquals(0, value.exitCode(), value.stderr());
            assertArrayEquals(reader.slot("queue.1").snapshot().get("bin"), value.stdout());
            ProcessRun valueJson = python(path.toString(), "queue.1", "bin", "--json");
            assertEquals("{\"base64\": \"AP/+YQ==\"}\n", valueJson.stdoutText());
            ProcessRun text = python(path.toString(), "queue.1", "ключ");
            assertEquals("значение", text.stdoutText());

            assertEquals(3, python(path.toString(), "queue.1", "missing").exitCode());
            assertEquals(3, python(path.toString(), "nobody").exitCode());
            assertEquals(3, python(dir.resolve("absent").toString()).exitCode());
            assertEquals(2, python().exitCode());
        }
    }

    @Test
    void thePythonReaderRefusesWhatTheJavaReaderRefuses() throws Exception {
        Path path = dir.resolve("state");
        StateFile.create(path).close();
        try (RawFile raw = new RawFile(path)) {
            raw.putInt(StateFileLayout.LAYOUT_MAJOR_OFFSET, 3);
        }
        ProcessRun major = python(path.toString());
        assertEquals(1, major.exitCode());
        String javaMessage = assertThrows(StateException.class,
                () -> StateReader.open(path)).getMessage();
        assertEquals("state_reader: " + javaMessage + "\n", major.stderr());
        Path text = dir.resolve("text");
        Files.writeString(text, "not a state file");
        ProcessRun notState = python(text.toString());
        assertEquals(1, notState.exitCode());
        assertTrue(notState.stderr().contains("is not a tend state file"), notState.stderr());
    }

    private static void publish(Path path, String slot, Map<String, byte[]> data) {
        try (Publisher publisher = Publisher.openAsSupervisor(path, slot)) {
            publisher.publish(data);
        }
    }

    private void assertSameJson(StateReader reader, String lookup, String name) {
        ProcessRun run = python(reader.path().toString(), lookup);
        assertEquals(0, run.exitCode(), run.stderr());
        assertEquals(Json.slot(reader.slot(name)), withoutAges(run.stdoutText().strip(), reader));
    }

    /** Replaces each {@code age_ms} by the marker Json uses, after checking it is plausible. */
    private static String withoutAges(String json, StateReader reader) {
        Matcher m = AGE.matcher(json);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            long age = Long.parseLong(m.group(1));
            assertTrue(age >= 0 && age < 60_000, "age " + age + " ms");
            m.appendReplacement(out, "\"age_ms\": AGE");
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The documented JSON shape, formatted the way Python's json.dumps formats it by default. */
    static final class Json {
        static String slot(SlotReader slot) {
            Snapshot snapshot = slot.snapshot();
            Owner owner = slot.owner();
            StringBuilder json = new StringBuilder("{\"name\": ").append(string(slot.name()))
                    .append(", \"version\": ").append(snapshot.version())
                    .append(", \"age_ms\": ").append(snapshot.version() == 0 ? "null" : "AGE")
                    .append(", \"owner\": {\"state\": ").append(string(owner.state().label()))
                    .append(", \"pid\": ").append(owner.pid())
                    .append(", \"running\": ").append(owner.running())
                    .append("}, \"data\": {");
            List<String> keys = snapshot.keys();
            for (int i = 0; i < keys.size(); i++) {
                json.append(i == 0 ? "" : ", ").append(string(keys.get(i))).append(": ")
                        .append(value(snapshot.get(keys.get(i))));
            }
            return json.append("}}").toString();
        }

        private static String value(byte[] bytes) {
            if (Utf8.isValid(bytes, 0, bytes.length)) {
                return string(new String(bytes, StandardCharsets.UTF_8));
            }
            return "{\"base64\": \"" + Base64.getEncoder().encodeToString(bytes) + "\"}";
        }

        private static String string(String s) {
            StringBuilder out = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    case '\b' -> out.append("\\b");
                    case '\f' -> out.append("\\f");
                    default -> out.append(c >= 0x20 && c <= 0x7E ? String.valueOf(c) : String.format("\\u%04x", (int) c));
                }
            }
            return out.append('"').toString();
        }
    }
}
