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
 * An instance is never taken for another: two projects in directories of the same name, a deploy layout
 * that swaps a symbolic link, and the commands that say which instance is which ({@code tend ls}, the
 * header of {@code tend ps}).
 */
class InstanceIdentityTest {
    @TempDir
    Path root;

    /** Starts {@code tend up} in {@code dir}, its file naming instance {@code name}, and waits for its socket. */
    private static TendProcess up(Path dir, Map<String, String> env, String pool, String name) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("tend.toml"), (name.equals(dir.getFileName().toString()) ? ""
                : "name = \"" + name + "\"\n") + "[pool." + pool + "]\ncommand = [\"cat\"]\n");
        TendProcess tend = TendProcess.start(dir, env, "up");
        tend.awaitWorkerPid(pool + ".1");
        Path socket = TendProcess.RUNTIME_BASE.resolve(name).resolve("control.sock");
        Await.until(TendProcess.WAIT, "control socket", () -> Files.exists(socket));
        return tend;
    }

    @Test
    void shouldRefuseTheInstanceOfAnotherFileOfTheSameName() throws Exception {
        String shop = root.getFileName() + "-shop";
        Path a = root.resolve("a").resolve(shop);
        Path b = root.resolve("b").resolve(shop);
        try (TendProcess first = up(a, Map.of(), "one", shop)) {
            Files.createDirectories(b);
            Files.writeString(b.resolve("tend.toml"), "[pool.two]\ncommand = [\"cat\"]\n");
            for (String command : List.of("ps", "down")) {
                TendProcess.Result r = TendProcess.run(b, command);
                assertEquals(2, r.exitCode(), r.toString());
                assertEquals("tend: error: instance " + shop + " runs " + a.resolve("tend.toml") + ", not "
                        + b.resolve("tend.toml") + "; to act on it anyway, pass --name " + shop + "; to run "
                        + b.resolve("tend.toml") + " beside it, give it its own name: `name = \"…\"` in the file, or"
                        + " --name NAME\n", r.stderr(), command);
            }
            TendProcess.Result second = TendProcess.run(b, "up");
            assertEquals(1, second.exitCode(), second.toString());
            assertTrue(second.stderr().contains("instance " + shop + " is already running from " + a.resolve("tend.toml")
                    + ", another file than " + b.resolve("tend.toml")), second.toString());
            assertTrue(second.stderr().contains("`name = \"…\"` in the file, or --name NAME"), second.toString());

            TendProcess.Result ps = TendProcess.run(a, "ps");
            assertEquals(0, ps.exitCode(), "the first instance still runs, untouched: " + ps);
            assertTrue(ps.stdout().contains("one.1 "), ps.toString());
            TendProcess.Result chosen = TendProcess.run(b, "ps", "--name", shop);
            assertEquals(0, chosen.exitCode(), "--name chooses the instance whatever the file: " + chosen);
        }
    }

    @Test
    void shouldNameADeployAfterTheLinkItRunsFrom() throws Exception {
        String current = root.getFileName() + "-current";
        Path release = root.resolve("releases").resolve("5");
        Path link = Files.createSymbolicLink(root.resolve(current), Path.of("releases", "5"));
        Files.createDirectories(release);
        // As a shell does after `cd current`: PWD names the link, the process's directory is the release.
        Map<String, String> env = Map.of("PWD", link.toString());
        try (TendProcess tend = up(link, env, "web", current)) {
            TendProcess.Result ps = TendProcess.run(link, env, "ps", "--json");
            assertEquals(0, ps.exitCode(), ps.toString());
            Map<String, Object> status = Json.parseObject(ps.stdout().trim());
            assertEquals(current, status.get("instance"), "named after the link, not the release");
            assertEquals(link.resolve("tend.toml").toString(), status.get("config"));
            assertEquals(0, TendProcess.run(root, "ps", "-c", current + "/tend.toml").exitCode(), "found by the link");

            TendProcess.Result unit = TendProcess.run(link, env, "systemd", "--launcher", "/bin/true");
            assertEquals(0, unit.exitCode(), unit.toString());
            assertTrue(unit.stdout().contains(" up --config " + link.resolve("tend.toml") + " "), unit.stdout());
            assertTrue(unit.stdout().contains("SyslogIdentifier=tend-" + current + "\n"), unit.stdout());
            assertTrue(unit.stdout().contains("WorkingDirectory=" + link + "\n"), unit.stdout());
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldListTheRunningInstancesAndNameThemInPs() throws Exception {
        String name = root.getFileName().toString();
        Path one = root.resolve("one");
        Path two = root.resolve("two");
        try (TendProcess a = up(one, Map.of(), "x", name + "-one");
             TendProcess b = up(two, Map.of(), "y", name + "-two")) {
            TendProcess.Result ps = TendProcess.run(one, "ps");
            assertEquals(0, ps.exitCode(), ps.toString());
            assertEquals("instance " + name + "-one (pid " + a.pid() + ") from " + one.resolve("tend.toml"),
                    ps.stdout().lines().findFirst().orElseThrow());
            assertTrue(ps.stdout().lines().skip(1).findFirst().orElseThrow().startsWith("NAME "), ps.stdout());

            TendProcess.Result ls = TendProcess.run(root, "ls");
            assertEquals(0, ls.exitCode(), ls.toString());
            List<String> lines = ls.stdout().lines().toList();
            assertTrue(lines.get(0).matches("NAME +PID +UPTIME +READY +CONFIG"), ls.stdout());
            assertTrue(lines.stream().anyMatch(l -> l.matches(name + "-one +" + a.pid() + " +\\S+ +1/1 +"
                    + one.resolve("tend.toml"))), ls.stdout());
            assertTrue(lines.stream().anyMatch(l -> l.matches(name + "-two +" + b.pid() + " +\\S+ +1/1 +"
                    + two.resolve("tend.toml"))), ls.stdout());

            TendProcess.Result json = TendProcess.run(root, "ls", "--json");
            assertEquals(0, json.exitCode(), json.toString());
            List<Map<String, Object>> instances = (List<Map<String, Object>>) Json.parseObject(json.stdout().trim())
                    .get("instances");
            Map<String, Object> second = instances.stream().filter(i -> i.get("name").equals(name + "-two"))
                    .findFirst().orElseThrow(() -> new AssertionError(json.stdout()));
            assertEquals(b.pid(), second.get("pid"));
            assertEquals(two.resolve("tend.toml").toString(), second.get("config"));
            assertEquals(1L, second.get("ready"));
            assertEquals(1L, second.get("workers"));
            assertTrue((Long) second.get("uptime_ms") > 0, json.stdout());

            Path log = root.resolve("classes.log");
            TendProcess.Result traced = TendProcess.run(root, Map.of("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file="
                    + log), "ls");
            assertEquals(0, traced.exitCode(), traced.toString());
            List<String> loaded = Files.readAllLines(log);
            assertTrue(loaded.stream().anyMatch(l -> l.contains("dev.tend.cli.LsCommand ")), "the log works");
            assertEquals(List.of(), loaded.stream().filter(l -> l.contains("com.sun.jna.")).toList(), "no JNA");

            assertEquals(0, TendProcess.run(two, "down").exitCode());
            assertEquals(0, b.awaitExit());
            TendProcess.Result after = TendProcess.run(root, "ls", "--json");
            assertTrue(after.stdout().contains(name + "-one") && !after.stdout().contains(name + "-two"), after.stdout());
        }
    }
}
