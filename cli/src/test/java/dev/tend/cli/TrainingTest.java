package dev.tend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training run behind the client commands' class-data archive passes against this build: when one of its
 * steps fails (a command whose rules changed), the launcher keeps no archive and every client command starts
 * without one, slower, with only a warning at install time to say so.
 */
class TrainingTest {
    @TempDir
    Path dir;

    @Test
    void shouldPassEveryStep() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-Djna.platform.library.path=" + System.getProperty("jna.platform.library.path", "/usr/lib"),
                "-D" + Training.PROPERTY + "=1", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        pb.environment().put("TEND_RUNTIME_DIR", dir.toString());
        pb.redirectInput(ProcessBuilder.Redirect.PIPE).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process training = pb.start();
        training.getOutputStream().close();
        String errors = new String(training.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(training.waitFor(120, TimeUnit.SECONDS), "the training run did not end");
        assertEquals(0, training.exitValue(), errors);
    }
}
