package dev.tend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.json.Json;
import dev.tend.testing.Await;
import dev.tend.testing.Launcher;
import dev.tend.testing.Launcher.Answer;
import dev.tend.testing.TendProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tend get} and {@code tend set} through the running tend's command FIFO, without a JVM: byte for byte
 * what the JVM client prints, with its exit code, and the same snapshot published. The launcher runs with no
 * Java (so a case it declines fails loudly), the JVM client through the tests' {@code tend} shim, each reading
 * the other's results from the real state file.
 */
class StateFifoTest {
    private static final Duration WITHIN = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private Answer launcher(Map<String, String> env, String... args) throws IOException, InterruptedException {
        return Launcher.run(dir, env, WITHIN, args);
    }

    /** The JVM client, its output read raw (a value printed into a pipe ends without a newline). */
    private Answer client(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("sh", TendProcess.shimDirectory().resolve("tend").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().put("TEND_RUNTIME_DIR", TendProcess.RUNTIME_BASE.toString());
        pb.environment().keySet().removeIf(k -> k.startsWith("TEND_") && !k.equals("TEND_RUNTIME_DIR"));
        pb.environment().putAll(env);
        return Launcher.answer(pb.start(), WITHIN);
    }

    private void assertSame(Map<String, String> env, String... args) throws Exception {
        Answer fast = launcher(env, args);
        assertEquals(client(env, args), fast, String.join(" ", args));
    }

    private TendProcess up(String toml) throws Exception {
        TendProcess tend = TendProcess.up(dir, toml);
        Path instance = TendProcess.instanceDirectory(dir);
        Await.until(TendProcess.WAIT, "the command FIFO and the status file",
                () -> Files.exists(instance.resolve("control.fifo")) && Files.exists(instance.resolve("status")));
        return tend;
    }

    /** The variables tend gave {@code worker}, read from its process: what a {@code tend set} inside it sees. */
    private static Map<String, String> environmentOf(TendProcess tend, String worker) throws IOException {
        byte[] environ = Files.readAllBytes(Path.of("/proc/" + tend.awaitWorkerPid(worker) + "/environ"));
        Map<String, String> env = new HashMap<>();
        for (String entry : new String(environ, StandardCharsets.UTF_8).split("\0")) {
            int eq = entry.indexOf('=');
            if (List.of("TEND_STATE", "TEND_WORKER", "TEND_STATE_TOKEN").contains(entry.substring(0, Math.max(eq, 0)))) {
                env.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        assertEquals(3, env.size(), env.toString());
        return env;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    /** The slot JSON without its age, which moves between two calls. */
    private static Object steady(Answer a) {
        assertEquals(0, a.exitCode(), a.toString());
        assertTrue(a.stdout().endsWith("}\n") && a.stdout().indexOf('\n') == a.stdout().length() - 1, a.stdout());
        Map<String, Object> slot = new LinkedHashMap<>(Json.parseObject(a.stdout()));
        slot.remove("age_ms");
        return slot;
    }

    /** The data pub.1 published, as the JVM client reads it. */
    private Map<?, ?> data() throws Exception {
        return (Map<?, ?>) Json.parseObject(client(Map.of(), "get", "pub").stdout()).get("data");
    }

    private long version(String worker) throws Exception {
        return ((Number) Json.parseObject(client(Map.of(), "get", worker).stdout()).get("version")).longValue();
    }

    @Test
    void shouldPrintWhatTheJvmClientPrintsForGet() throws Exception {
        Files.writeString(dir.resolve("snapshot.json"),
                "{\"a\":\"1\",\"multi\":\"x\\ny\\n\",\"bin\":{\"base64\":\"/wA=\"},\"nul\":{\"base64\":\"YQBi\"}}\n");
        String toml = """
                [pool.pub]
                command = ["sh", "-c", "cat snapshot.json >&3; exec cat"]
                ready = "publish"

                [pool.web]
                command = ["cat"]
                count = 2
                """;
        try (TendProcess tend = up(toml)) {
            Path status = TendProcess.instanceDirectory(dir).resolve("status");
            Await.until(TendProcess.WAIT, "pub.1 published", () -> read(status).contains("ready 0 3/3 ready"));
            String name = dir.getFileName().toString();
            assertEquals(new Answer(0, "1", ""), launcher(Map.of(), "get", "pub", "a"));
            assertSame(Map.of(), "get", "pub", "a");
            assertSame(Map.of(), "get", "pub", "multi");
            assertSame(Map.of(), "get", "--json", "pub", "a");
            assertSame(Map.of(), "get", "--json", "pub", "bin");
            assertSame(Map.of(), "get", "pub", "nokey");
            assertSame(Map.of(), "get", "nosuch");
            assertSame(Map.of(), "get", "nosuch", "a");
            assertSame(Map.of(), "get", "web.1", "a");
            assertSame(Map.of(), "get", "web");
            assertSame(Map.of(), "get", "web.2");
            assertSame(Map.of(), "get", "-c", "tend.toml", "pub", "a");
            assertSame(Map.of(), "get", "pub", "a", "--name", name);
            Map<String, String> inside = Map.of("TEND_STATE", TendProcess.instanceDirectory(dir).resolve("state").toString());
            assertSame(inside, "get", "pub.1", "multi");
            assertEquals(steady(client(Map.of(), "get", "pub")), steady(launcher(Map.of(), "get", "pub")));
            assertEquals(steady(client(Map.of(), "get", "--json", "pub")), steady(launcher(Map.of(), "get", "--json", "pub")));
            for (String[] other : List.of(new String[] {"get", "pub", "bin"}, new String[] {"get", "pub", "nul"},
                    new String[] {"get", "--wait", "1s", "pub", "a"}, new String[] {"get"}, new String[] {"get", "p b"},
                    new String[] {"get", "pub", "a", "b"}, new String[] {"get", "-h"}, new String[] {"get", "pub", "@a"},
                    new String[] {"get", "--json", "--json", "pub"})) {
                Launcher.assertDeclined(launcher(Map.of(), other), String.join(" ", other));
            }
            Launcher.assertDeclined(launcher(Map.of("TEND_FAST", "0"), "get", "pub", "a"), "TEND_FAST=0");
        }
    }

    @Test
    void shouldEndARawValueWithANewlineOnATerminalAsTheJvmClientDoes() throws Exception {
        try (TendProcess tend = up("[pool.pub]\ncommand = [\"sh\", \"-c\", \"echo '{\\\"a\\\":\\\"1\\\"}' >&3; exec cat\"]\n"
                + "ready = \"publish\"\n")) {
            Path status = TendProcess.instanceDirectory(dir).resolve("status");
            Await.until(TendProcess.WAIT, "pub.1 published", () -> read(status).contains("ready 0 1/1 ready"));
            // script(1) gives the command a terminal; its output comes back with the terminal's \r\n.
            Answer fast = onTerminal(Launcher.SCRIPT + " get pub a", Map.of("TEND_JAVA", Launcher.NO_JAVA));
            assertEquals(new Answer(0, "1\r\n", ""), fast);
            assertEquals(onTerminal(TendProcess.shimDirectory().resolve("tend") + " get pub a", Map.of()), fast);
        }
    }

    private Answer onTerminal(String command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("script", "-qec", "sh " + command, "/dev/null").directory(dir.toFile());
        pb.environment().put("TEND_RUNTIME_DIR", TendProcess.RUNTIME_BASE.toString());
        pb.environment().keySet().removeIf(k -> k.startsWith("TEND_") && !k.equals("TEND_RUNTIME_DIR"));
        pb.environment().putAll(env);
        return Launcher.answer(pb.redirectInput(ProcessBuilder.Redirect.PIPE).start(), WITHIN);
    }

    @Test
    void shouldPublishFromAWorkersEnvironmentAsTheJvmClientDoes() throws Exception {
        try (TendProcess tend = up("[pool.pub]\ncommand = [\"cat\"]\n")) {
            Map<String, String> env = environmentOf(tend, "pub.1");
            assertEquals(new Answer(0, "", ""), launcher(env, "set", "a=1", "b=2"));
            long published = version("pub.1");
            assertEquals(1, published);
            // The JVM client publishing the same snapshot again leaves the version: the launcher's was that snapshot.
            assertSame(env, "set", "a=1", "b=2");
            assertEquals(published, version("pub.1"));
            assertEquals(new Answer(0, "", ""), launcher(env, "set", "--merge", "c=3", "a=0"));
            assertEquals(Map.of("a", "0", "b", "2", "c", "3"), data());
            assertEquals(new Answer(0, "", ""), client(env, "set", "--merge", "c=3", "a=0"));
            assertEquals(published + 1, version("pub.1"));
            assertEquals(new Answer(0, "", ""), launcher(env, "set", "--json", "{\"n\":17,\"t\":true,\"s\":\"x\"}", "s=y"));
            assertSame(env, "set", "--json={\"n\":17,\"t\":true,\"s\":\"x\"}", "s=y");
            assertEquals(published + 2, version("pub.1"));
            assertEquals(Map.of("n", "17", "t", "true", "s", "y"), data());

            Map<String, String> guessed = new HashMap<>(env);
            guessed.put("TEND_STATE_TOKEN", "0000000000000001");
            Answer refused = launcher(guessed, "set", "a=stolen");
            assertEquals(1, refused.exitCode(), refused.toString());
            assertTrue(refused.stderr().startsWith("tend: error: may not publish as worker pub.1: TEND_STATE_TOKEN is not"),
                    refused.toString());
            assertSame(guessed, "set", "a=stolen");
            assertSame(guessed, "set", "--merge", "a=stolen");
            assertSame(env, "set", "=x");
            assertSame(env, "set", "a");
            assertSame(env, "set", "--json", "[1]");
            assertSame(env, "set", "--json", "{\"a\":[1]}");
            assertSame(env, "set", "k".repeat(1025) + "=v");
            assertEquals(published + 2, version("pub.1"));
            Map<String, String> gone = new HashMap<>(env);
            gone.put("TEND_WORKER", "nosuch.1");
            assertSame(gone, "set", "a=1");

            for (String[] other : List.of(new String[] {"set"}, new String[] {"set", "--json", "-"},
                    new String[] {"set", "--merge", "--merge", "a=1"}, new String[] {"set", "-h"},
                    new String[] {"set", "@file"}, new String[] {"set", "a=" + "x".repeat(4000)})) {
                Launcher.assertDeclined(launcher(env, other), String.join(" ", other));
            }
            Launcher.assertDeclined(launcher(Map.of(), "set", "a=1"), "outside a worker");
            Map<String, String> badToken = new HashMap<>(env);
            badToken.put("TEND_STATE_TOKEN", "xyz");
            Launcher.assertDeclined(launcher(badToken, "set", "a=1"), "a malformed token");
            assertEquals(published + 2, version("pub.1"));
        }
    }

    @Test
    void shouldEscapeWhatTheShellHandsOverSoThatItRoundTrips() throws Exception {
        try (TendProcess tend = up("[pool.pub]\ncommand = [\"cat\"]\n")) {
            Map<String, String> env = environmentOf(tend, "pub.1");
            List<String> odd = List.of("he said \"hi\"", "back\\slash \\\\ \\n \\u0041", "tab\there", "two\nlines\n",
                    "\u0001\u001b\u007f\u001f end", "été € \uD83D\uDE00", "{\"json\":true}", "'single' $HOME `x` *", " ");
            long version = 0;
            for (String value : odd) {
                assertEquals(new Answer(0, "", ""), launcher(env, "set", "k\"\\\té=" + value), value);
                version++;
                assertEquals(new Answer(0, value, ""), client(Map.of(), "get", "pub", "k\"\\\té"), value);
                assertEquals(new Answer(0, "", ""), client(env, "set", "k\"\\\té=" + value), value);
                assertEquals(version, version("pub.1"), "the JVM client published another snapshot for " + value);
            }
            assertEquals(new Answer(0, "", ""), launcher(env, "set", "--json", "{\"q\\\"\":\"a\\tb\\u00e9\",\"n\":1.5}"));
            assertEquals(Map.of("q\"", "a\tb\u00e9", "n", "1.5"), data());

            // Not UTF-8: tend answers fallback, and the JVM client (missing here) would take the arguments.
            ProcessBuilder pb = new ProcessBuilder("sh", "-c", "exec sh \"$0\" set \"k=$(printf '\\377')\"",
                    Launcher.SCRIPT.toString()).directory(dir.toFile());
            pb.environment().put("TEND_RUNTIME_DIR", TendProcess.RUNTIME_BASE.toString());
            pb.environment().put("TEND_JAVA", Launcher.NO_JAVA);
            pb.environment().putAll(env);
            Launcher.assertDeclined(Launcher.answer(pb.start(), WITHIN), "a value that is not UTF-8");
            assertTrue(tend.lines().stream().noneMatch(l -> l.contains("command FIFO")), String.join("\n", tend.lines()));
        }
    }

    @Test
    void shouldMakeAWorkerReadyByPublishWhenItSetsThroughTheFifo() throws Exception {
        // The worker runs the launcher with no Java: only the FIFO can publish for it, and only the launcher's ring
        // (the JVM client's empty line on the state pipe) makes it ready.
        String toml = """
                [pool.pub]
                command = ["sh", "-c", "sh '%s' set state=up && exec cat"]
                ready = "publish"
                env = { TEND_JAVA = "%s" }
                """.formatted(Launcher.SCRIPT, Launcher.NO_JAVA);
        try (TendProcess tend = up(toml)) {
            Path status = TendProcess.instanceDirectory(dir).resolve("status");
            Await.until(TendProcess.WAIT, "pub.1 ready", () -> read(status).contains("ready 0 1/1 ready"));
            assertEquals(new Answer(0, "up", ""), launcher(Map.of(), "get", "pub", "state"));
        }
    }
}
