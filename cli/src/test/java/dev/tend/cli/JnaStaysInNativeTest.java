package dev.tend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * tend-native is the only place that speaks JNA: the program uses its typed operations ({@code Fds},
 * {@code Processes}, {@code Interest}, {@code NonBlockingConnection}, …), never a JNA type or the raw
 * {@code LibC} binding. A source check, so that the rule fails fast and says where, even for a fully
 * qualified name that no import shows.
 */
class JnaStaysInNativeTest {
    private static final Path MAIN_SOURCES = Path.of("src", "main", "java");
    /** {@code com.sun.jna} in any form, and {@code dev.tend.os.LibC} / {@code LibCExtras} (also as a static import). */
    private static final Pattern FORBIDDEN = Pattern.compile("\\bcom\\.sun\\.jna\\b|\\bdev\\.tend\\.os\\.LibC\\w*\\b");

    @Test
    void shouldFindNoJnaTypeAndNoRawBindingInTheProgramsSources() throws IOException {
        assertTrue(Files.isDirectory(MAIN_SOURCES.resolve("dev/tend/cli")),
                "runs in the cli module directory; found no sources under " + MAIN_SOURCES.toAbsolutePath());
        List<String> offences = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN_SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher m = FORBIDDEN.matcher(lines.get(i));
                    if (m.find()) {
                        offences.add(MAIN_SOURCES.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).trim());
                    }
                }
            }
        }
        assertEquals(List.of(), offences, "JNA stays inside tend-native; use its typed operations instead");
    }

    @Test
    void shouldRecogniseWhatItForbids() {
        for (String line : List.of("import com.sun.jna.Memory;", "import dev.tend.os.LibC;",
                "import static dev.tend.os.LibC.getpid;", "int pid = dev.tend.os.LibC.getpid();",
                "try (com.sun.jna.Memory m = new com.sun.jna.Memory(8)) {")) {
            assertTrue(FORBIDDEN.matcher(line).find(), line);
        }
        for (String line : List.of("import dev.tend.os.Fds;", "import dev.tend.os.Processes;",
                "// LibC.kill was replaced by Processes.signal")) {
            assertTrue(!FORBIDDEN.matcher(line).find(), line);
        }
    }
}
