package dev.tend.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The source tree's launcher ({@code cli/src/main/launcher/tend}) run as a user runs it, with {@code TEND_JAVA}
 * pointing nowhere: what it answers without a JVM (the status file, the command FIFO) is tested, and any case it
 * declines fails loudly instead of quietly starting the JVM client. Its runtime base is the tests' own.
 */
public final class Launcher {
    /** The launcher script. */
    public static final Path SCRIPT = Path.of("src/main/launcher/tend").toAbsolutePath();
    /** The Java the launcher is told to use: none. */
    public static final String NO_JAVA = "/nonexistent/bin/java";
    /** The launcher's knobs, removed from the environment so that the tests' own are the only ones set. */
    private static final List<String> KNOBS = List.of("TEND_JAVA_OPTS", "TEND_SOCKET", "TEND_STATUS_FILE", "TEND_FAST",
            "TEND_TIMEOUT");

    /** What a command printed and its exit code. */
    public record Answer(int exitCode, String stdout, String stderr) {}

    private Launcher() {}

    /** Starts {@code tend ARGS…} in {@code cwd}, with the variables of {@code extra} set. */
    public static Process start(Path cwd, Map<String, String> extra, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("sh", SCRIPT.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
        Map<String, String> env = pb.environment();
        env.put("TEND_RUNTIME_DIR", TendProcess.RUNTIME_BASE.toString());
        env.put("TEND_JAVA", NO_JAVA);
        KNOBS.forEach(env::remove);
        env.putAll(extra);
        return pb.start();
    }

    /** What {@code p} printed, once it ended within {@code within}. */
    public static Answer answer(Process p, Duration within) throws IOException, InterruptedException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread errors = new Thread(() -> {
            try {
                p.getErrorStream().transferTo(err);
            } catch (IOException e) {
                // the process ended
            }
        });
        errors.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(within.toMillis(), TimeUnit.MILLISECONDS), "the launcher did not end");
        errors.join();
        return new Answer(p.exitValue(), out, err.toString(StandardCharsets.UTF_8));
    }

    /** Runs {@code tend ARGS…} in {@code cwd} to its end, within {@code within}. */
    public static Answer run(Path cwd, Map<String, String> extra, Duration within, String... args)
            throws IOException, InterruptedException {
        return answer(start(cwd, extra, args), within);
    }

    /**
     * The launcher went on to start the JVM client, which cannot start here: it finds no Java (TEND_JAVA), or,
     * in a tree where the jar is not built yet (tests run before packaging), no jar.
     */
    public static void assertDeclined(Answer a, String what) {
        assertNotEquals(0, a.exitCode(), what + ": " + a);
        assertEquals("", a.stdout(), what + ": the launcher answered instead of the JVM client: " + a);
        assertTrue(a.stderr().contains("TEND_JAVA=" + NO_JAVA) || a.stderr().contains("cannot find "
                + SCRIPT.getParent().getParent().getParent().getParent().resolve("target/tend.jar")),
                what + ": not the JVM client's path: " + a);
    }
}
