package dev.tend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.os.Signal;
import dev.tend.testing.Await;
import dev.tend.testing.Launcher;
import dev.tend.testing.Launcher.Answer;
import dev.tend.testing.TendProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tend ls} and {@code tend ls --json} answered by the launcher, each instance giving its own row through its
 * command FIFO: the same output as the JVM client's, but for the uptimes, which grow between the two; and the JVM
 * client whenever one instance cannot answer so. The launcher runs with {@code TEND_JAVA} pointing nowhere, so a
 * case it declines fails loudly. Both use a runtime base of this test's own, which holds only its instances.
 */
class LsByFifoTest {
    /** A table line: NAME and PID with their padding, UPTIME, its padding, then READY and CONFIG. */
    private static final Pattern LINE = Pattern.compile("(\\S+ +\\S+ +)(\\S+)( +)(.*)");

    @TempDir
    Path dir;

    private Map<String, String> env() {
        return Map.of("TEND_RUNTIME_DIR", dir.resolve("run").toString());
    }

    private TendProcess up(String name, String toml) throws Exception {
        Path project = Files.createDirectories(dir.resolve(name));
        Files.writeString(project.resolve("tend.toml"), toml);
        TendProcess tend = TendProcess.start(project, env(), "up");
        Path instance = dir.resolve("run").resolve(name);
        Await.until(TendProcess.WAIT, "the command FIFO and the status file of " + name,
                () -> Files.exists(instance.resolve("control.fifo")) && Files.exists(instance.resolve("status")));
        return tend;
    }

    private Answer launcher(String... args) throws Exception {
        return Launcher.run(dir, env(), Duration.ofSeconds(30), args);
    }

    private String listed() {
        try {
            return launcher("ls").stdout();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Answer client(String... args) throws Exception {
        TendProcess.Result r = TendProcess.run(dir, env(), args);
        // TendProcess joins the lines it read, each with a newline: no line at all reads as one empty line.
        return new Answer(r.exitCode(), r.stdout().equals("\n") ? "" : r.stdout(), r.stderr().equals("\n") ? "" : r.stderr());
    }

    @Test
    void shouldListTheInstancesAsTheJvmClient() throws Exception {
        assertEquals(new Answer(0, "no running instance\n", ""), launcher("ls"));
        assertEquals(client("ls"), launcher("ls"));
        assertEquals(new Answer(0, "{\"instances\":[]}\n", ""), launcher("ls", "--json"));
        assertEquals(client("ls", "--json"), launcher("ls", "--json"));

        try (TendProcess b = up("b-with-a-longer-name", "[pool.w]\ncommand = [\"cat\"]\ncount = 12\n");
                TendProcess a = up("a", "[pool.w]\ncommand = [\"cat\"]\n\n[pool.once]\ncommand = [\"true\"]\n"
                        + "restart = \"never\"\n")) {
            Await.until(TendProcess.WAIT, "every worker ready", () -> {
                String listed = listed();
                return listed.contains(" 12/12 ") && listed.contains(" 2/2 ");
            });
            Answer fast = launcher("ls");
            Answer jvm = client("ls");
            assertEquals(0, fast.exitCode(), fast.toString());
            assertEquals("", fast.stderr(), fast.toString());
            assertEquals(3, fast.stdout().lines().count(), fast.toString());
            assertTrue(fast.stdout().lines().toList().get(1).startsWith("a "), "by name: " + fast);
            assertEquals(withoutUptimes(jvm.stdout()), withoutUptimes(fast.stdout()), fast + "\n" + jvm);
            assertEquals(jvm.exitCode(), fast.exitCode());

            Answer fastJson = launcher("ls", "--json");
            Answer jvmJson = client("ls", "--json");
            assertEquals("", fastJson.stderr(), fastJson.toString());
            assertEquals(jvmJson.stdout().replaceAll("\"uptime_ms\":\\d+", "\"uptime_ms\":0"),
                    fastJson.stdout().replaceAll("\"uptime_ms\":\\d+", "\"uptime_ms\":0"));
            assertEquals(jvmJson.exitCode(), fastJson.exitCode());
        }
    }

    @Test
    void shouldLeaveItToTheJvmClientWhenAnInstanceCannotAnswer() throws Exception {
        try (TendProcess a = up("a", "[pool.w]\ncommand = [\"cat\"]\n")) {
            assertEquals("", launcher("ls").stderr());
            Launcher.assertDeclined(launcher("ls", "--timeout", "1s"), "ls --timeout");
            Launcher.assertDeclined(Launcher.run(dir, Map.of("TEND_RUNTIME_DIR", dir.resolve("run").toString(),
                    "TEND_TIMEOUT", "1s"), Duration.ofSeconds(30), "ls"), "TEND_TIMEOUT");
            Launcher.assertDeclined(launcher("ls", "--json", "--json"), "ls --json --json");

            // A tend that is stopped would not answer: the JVM client shows it with a ? after its timeout.
            a.signal(Signal.STOP);
            try {
                Launcher.assertDeclined(launcher("ls"), "a stopped tend");
            } finally {
                a.signal(Signal.CONT);
            }
            assertEquals("", launcher("ls").stderr(), "answered again");

            // A tend older than the ls of the command FIFO: its status file does not list it.
            Path status = dir.resolve("run/a/status");
            List<String> lines = new ArrayList<>(Files.readAllLines(status));
            lines.replaceAll(l -> l.startsWith("fifo ") ? l.replace(" ls", "") : l);
            Files.write(status, lines);
            Launcher.assertDeclined(launcher("ls"), "a tend without ls in its command FIFO");
        }
    }

    /** The table with each uptime (and its column's padding) replaced by {@code U}: they grow between two looks. */
    private static String withoutUptimes(String table) {
        StringBuilder out = new StringBuilder();
        for (String line : table.lines().toList()) {
            Matcher m = LINE.matcher(line);
            assertTrue(m.matches(), line);
            out.append(m.group(1)).append('U').append(' ').append(m.group(4)).append('\n');
        }
        return out.toString();
    }
}
