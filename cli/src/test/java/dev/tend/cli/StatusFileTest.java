package dev.tend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.os.Signal;
import dev.tend.testing.Await;
import dev.tend.testing.Launcher;
import dev.tend.testing.Launcher.Answer;
import dev.tend.testing.TendProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tend ps --ready} answered by the launcher from the status file the running tend keeps, without a JVM:
 * the same line and exit code as the JVM client, for every way of naming the instance, and never an answer
 * from a file whose tend is gone. The launcher runs with {@code TEND_JAVA} pointing nowhere, so any case it
 * declines fails loudly instead of quietly starting the JVM client.
 */
class StatusFileTest {

    @TempDir
    Path dir;

    /** The launcher as a user runs it, in {@code cwd}, with no Java to fall back on. */
    private static Answer launcher(Path cwd, String... args) throws IOException, InterruptedException {
        return Launcher.run(cwd, Map.of(), Duration.ofSeconds(20), args);
    }

    private Answer client(String... args) throws Exception {
        TendProcess.Result r = TendProcess.run(dir, args);
        return new Answer(r.exitCode(), r.stdout(), "");
    }

    @Test
    void shouldAnswerAsTheJvmClientDoesWithoutStartingOne() throws Exception {
        Path gate = dir.resolve("gate");
        assertEquals(0, new ProcessBuilder("mkfifo", gate.toString()).start().waitFor());
        // late.1 becomes ready when it publishes, which it does once the test writes a line into the fifo.
        String toml = """
                [pool.ok]
                command = ["cat"]
                count = 2

                [pool.late]
                command = ["sh", "-c", "read go < gate; echo '{\\"go\\": \\"yes\\"}' >&3; exec cat"]
                ready = "publish"
                """;
        try (TendProcess tend = TendProcess.up(dir, toml)) {
            String name = dir.getFileName().toString();
            Answer notYet = Await.value(TendProcess.WAIT, "ok.1 and ok.2 ready", () -> {
                try {
                    Answer a = client("ps", "--ready");
                    return a.stdout().startsWith("2/3 ready") ? a : null;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertEquals(new Answer(1, "2/3 ready; not ready: late.1 (starting)\n", ""), notYet);
            // The status file follows tend within ThrottledFile.MIN_INTERVAL_MS of a change.
            Await.until(TendProcess.WAIT, "the status file to catch up", () -> {
                try {
                    return launcher(dir, "ps", "--ready").equals(notYet);
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Path file = dir.resolve("tend.toml");
            Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
            List<String[]> forms = List.of(
                    new String[] {"ps", "--ready"},
                    new String[] {"status", "--ready"},
                    new String[] {"ps", "--ready", "-c", "tend.toml"},
                    new String[] {"ps", "-c./tend.toml", "--ready"},
                    new String[] {"ps", "--ready", "--config=" + file},
                    new String[] {"ps", "--ready", "--name", name},
                    new String[] {"ps", "--name=" + name, "--ready"});
            for (String[] form : forms) {
                assertEquals(notYet, launcher(dir, form), String.join(" ", form));
            }
            assertEquals(notYet, launcher(elsewhere, "ps", "--ready", "-c", "../tend.toml"), "another path to the file");

            Files.writeString(gate, "go\n");
            Answer ready = new Answer(0, "3/3 ready\n", "");
            Await.until(TendProcess.WAIT, "the launcher to see late.1 ready", () -> {
                try {
                    return launcher(dir, "ps", "--ready").equals(ready);
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertEquals(ready, client("ps", "--ready"));

            // What the status file cannot answer goes to the JVM client (which cannot start here).
            for (String[] other : List.of(new String[] {"ps", "--ready", "--watch"}, new String[] {"ps", "--ready", "--json"},
                    new String[] {"ps", "--ready", "--timeout", "5s"}, new String[] {"ps", "--ready", "-c", "other.toml"},
                    new String[] {"ps", "--ready", "--name", "-bad"})) {
                Launcher.assertDeclined(launcher(dir, other), String.join(" ", other));
            }

            tend.signal(Signal.KILL);
            tend.awaitExit();
            assertTrue(Files.exists(TendProcess.instanceDirectory(dir).resolve("status")),
                    "a killed tend leaves its status file behind");
            Launcher.assertDeclined(launcher(dir, "ps", "--ready"), "the tend that wrote the status file is gone");
        }
    }

    @Test
    void shouldCountAScheduledJobReadyBetweenAndDuringItsRuns() throws Exception {
        // The seed case: a job every second whose runs fail, beside a worker that runs continuously.
        String toml = """
                [pool.web]
                command = ["cat"]

                [pool.cleanup]
                command = "sleep 0.3; exit 1"
                every = "1s"
                """;
        try (TendProcess tend = TendProcess.up(dir, toml)) {
            Answer ready = new Answer(0, "2/2 ready\n", "");
            Await.until(TendProcess.WAIT, "the JVM client to see web.1 ready", () -> {
                try {
                    return client("ps", "--ready").equals(ready);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            tend.awaitLine("a failed run", l -> l.contains("failed its run (exit status 1)"));
            assertEquals(ready, client("ps", "--ready"), "failing runs do not make the job not ready");
            Await.until(TendProcess.WAIT, "the launcher to answer from the status file", () -> {
                try {
                    return launcher(dir, "ps", "--ready").equals(ready);
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Await.until(TendProcess.WAIT, "a second failed run",
                    () -> tend.lines().stream().filter(l -> l.contains("failed its run (exit status 1)")).count() >= 2);
            assertEquals(ready, launcher(dir, "ps", "--ready"));
        }
    }

    @Test
    void shouldRemoveTheStatusFileWhenTendEnds() throws Exception {
        try (TendProcess tend = TendProcess.up(dir, "[pool.ok]\ncommand = [\"cat\"]\n")) {
            Path status = TendProcess.instanceDirectory(dir).resolve("status");
            Await.until(TendProcess.WAIT, "the status file to say ok.1 is ready", () -> {
                try {
                    return Files.exists(status) && Files.readString(status).contains("ready 0 1/1 ready\n");
                } catch (IOException e) {
                    return false;
                }
            });
            assertEquals(0, client("down").exitCode());
            assertEquals(0, tend.awaitExit());
            assertTrue(Files.notExists(status), "the status file outlived tend");
        }
    }
}
