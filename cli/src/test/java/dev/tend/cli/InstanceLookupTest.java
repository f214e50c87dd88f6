package dev.tend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.json.Json;
import dev.tend.testing.Await;
import dev.tend.testing.TendProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client given a configuration file ({@code -c FILE}, or {@code ./tend.toml}) reaches the instance running
 * that file, found by the file's record in the runtime directories rather than by the name the file gives.
 */
class InstanceLookupTest {
    @TempDir
    Path dir;

    /** Starts {@code tend up -c FILE --name NAME}: a name the file alone would not give. */
    private TendProcess up(String file, String name, String pool) throws Exception {
        Files.writeString(dir.resolve(file), "[pool." + pool + "]\ncommand = [\"cat\"]\n");
        TendProcess tend = TendProcess.start(dir, "up", "-c", file, "--name", name);
        tend.awaitWorkerPid(pool + ".1");
        Path socket = TendProcess.RUNTIME_BASE.resolve(name).resolve("control.sock");
        Await.until(TendProcess.WAIT, "control socket of " + name, () -> Files.exists(socket));
        return tend;
    }

    private Map<String, Object> ps(Path cwd, String file) throws Exception {
        TendProcess.Result r = TendProcess.run(cwd, "ps", "--json", "-c", file);
        assertEquals(0, r.exitCode(), r.toString());
        return Json.parseObject(r.stdout().trim());
    }

    @SuppressWarnings("unchecked")
    private static String firstWorker(Map<String, Object> ps) {
        return (String) ((List<Map<String, Object>>) ps.get("workers")).get(0).get("name");
    }

    @Test
    void shouldReachTheInstanceOfEachFile() throws Exception {
        String alpha = dir.getFileName() + "-alpha";
        String beta = dir.getFileName() + "-beta";
        try (TendProcess a = up("a.toml", alpha, "one"); TendProcess b = up("b.toml", beta, "two")) {
            Map<String, Object> first = ps(dir, "a.toml");
            assertEquals(alpha, first.get("instance"));
            assertEquals("one.1", firstWorker(first));
            Map<String, Object> second = ps(dir, "b.toml");
            assertEquals(beta, second.get("instance"));
            assertEquals("two.1", firstWorker(second));

            Path sub = Files.createDirectory(dir.resolve("sub"));
            assertEquals(alpha, ps(sub, "../a.toml").get("instance"), "the same file by another path");
            Files.createSymbolicLink(sub.resolve("link.toml"), dir.resolve("b.toml"));
            assertEquals(beta, ps(sub, "link.toml").get("instance"), "a symbolic link to the file");

            TendProcess.Result stop = TendProcess.run(dir, "stop", "-c", "b.toml", "two.1");
            assertEquals(0, stop.exitCode(), stop.toString());
            assertEquals("stopped two.1\n", stop.stdout());
            assertEquals("running", state(ps(dir, "a.toml")), "the other instance was not touched");
        }
    }

    @SuppressWarnings("unchecked")
    private static String state(Map<String, Object> ps) {
        return (String) ((List<Map<String, Object>>) ps.get("workers")).get(0).get("state");
    }

    @Test
    void shouldSayNotRunningForAFileNoInstanceRuns() throws Exception {
        String alpha = dir.getFileName() + "-alpha";
        try (TendProcess a = up("a.toml", alpha, "one")) {
            Files.writeString(dir.resolve("c.toml"), "[pool.three]\ncommand = [\"cat\"]\n");
            TendProcess.Result ps = TendProcess.run(dir, "ps", "-c", "c.toml");
            assertEquals(3, ps.exitCode(), ps.toString());
            assertTrue(ps.stderr().contains("no running tend instance " + dir.getFileName() + " (nothing listens on "
                    + TendProcess.RUNTIME_BASE.resolve(dir.getFileName().toString()).resolve("control.sock")),
                    ps.toString());
        }
    }

    @Test
    void shouldLoadNeitherTheParserNorJnaNorPicocli() throws Exception {
        String alpha = dir.getFileName() + "-alpha";
        try (TendProcess a = up("a.toml", alpha, "one")) {
            Path log = dir.resolve("classes.log");
            TendProcess.Result ps = TendProcess.run(dir,
                    Map.of("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + log), "ps", "-c", "a.toml");
            assertEquals(0, ps.exitCode(), ps.toString());
            List<String> loaded = Files.readAllLines(log);
            assertTrue(loaded.stream().anyMatch(l -> l.contains("dev.tend.cli.PsCommand ")), "the log works");
            for (String library : List.of("com.sun.jna.", "toml", "com.google.gson.", "org.antlr.", "picocli.")) {
                assertEquals(List.of(), loaded.stream().filter(l -> l.contains(library)).toList(), library);
            }
        }
    }
}
