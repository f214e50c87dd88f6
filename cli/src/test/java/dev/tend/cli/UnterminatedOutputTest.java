package dev.tend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.testing.TendProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Output that does not end with a newline (a worker's {@code printf x}, or {@code tend get NAME KEY}, which
 * ends its value with a newline only on a terminal) is a line of its own in tend's output, never glued to
 * the line tend prints next.
 */
class UnterminatedOutputTest {
    @TempDir
    Path dir;

    @Test
    void shouldEndAWorkersLastLineWhenItExits() throws Exception {
        try (TendProcess tend = TendProcess.up(dir, """
                [pool.settings]
                command = ["sh", "-c", "echo '{\\"mode\\":\\"fast\\"}' >&3; exec cat"]
                ready = "publish"
                [pool.printf]
                command = ["sh", "-c", "printf 'no newline'"]
                restart = "never"
                [pool.reader]
                command = ["sh", "-c", "tend require settings >/dev/null && tend get settings mode"]
                restart = "never"
                """)) {
            tend.awaitLine("the reader's end", l -> l.contains("reader.1 exited"));
            tend.awaitLine("the printf's end", l -> l.contains("printf.1 exited"));
            List<String> lines = new String(tend.stdoutBytes(), StandardCharsets.UTF_8).lines().toList();
            assertTrue(lines.stream().anyMatch(l -> l.matches("printf\\.1 +\\| no newline")), String.join("\n", lines));
            assertTrue(lines.stream().anyMatch(l -> l.matches("reader\\.1 +\\| fast")), String.join("\n", lines));
            for (String line : lines) {
                assertTrue(line.matches("[a-z]+(\\.1)? +\\| .*"), "every line has one prefix, at its start: " + line);
                assertEquals(1, line.split(" \\| ", -1).length - 1, "no line holds the end of another: " + line);
            }
        }
    }
}
