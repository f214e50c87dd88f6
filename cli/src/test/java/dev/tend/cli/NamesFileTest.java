package dev.tend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.os.Signal;
import dev.tend.testing.Await;
import dev.tend.testing.TendProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The names file the running tend keeps for shell completion, and the launcher's {@code tend __complete} that reads
 * it: the names follow scaling, lazy starts and reloads, are trusted only while their tend runs, and come without a
 * JVM (the launcher runs with a {@code TEND_JAVA} that leaves a mark when anything tries to start Java).
 */
class NamesFileTest {
    private static final Path LAUNCHER = Path.of("src/main/launcher/tend").toAbsolutePath();

    private static final String TOML = """
            [pool.web]
            command = ["cat"]
            count = 2

            [pool.queue]
            command = ["cat"]

            [lazy.cache]
            pattern = "cache-*"
            command = ["cat"]
            """;

    @TempDir
    Path dir;

    @Test
    void shouldFollowScalingLazyStartsAndReloads() throws Exception {
        try (TendProcess tend = TendProcess.up(dir, TOML)) {
            Path names = TendProcess.instanceDirectory(dir).resolve("names");
            awaitNames(names, Set.of("pool web", "pool queue", "lazy cache cache-*", "worker web.1", "worker web.2",
                    "worker queue.1"));
            List<String> lines = Files.readAllLines(names, StandardCharsets.UTF_8);
            assertEquals("tend-names 1", lines.get(0));
            assertEquals("pid " + tend.pid(), lines.get(1).substring(0, lines.get(1).lastIndexOf(' ')));

            assertEquals(0, TendProcess.run(dir, "scale", "web", "3").exitCode());
            assertEquals(0, TendProcess.run(dir, "require", "cache-eu").exitCode());
            awaitNames(names, Set.of("pool web", "pool queue", "lazy cache cache-*", "worker web.1", "worker web.2",
                    "worker web.3", "worker queue.1", "worker cache-eu"));

            Files.writeString(dir.resolve("tend.toml"), TOML.replace("[pool.queue]", "[pool.mail]"));
            assertEquals(0, TendProcess.run(dir, "reload").exitCode());
            awaitNames(names, Set.of("pool web", "pool mail", "lazy cache cache-*", "worker web.1", "worker web.2",
                    "worker web.3", "worker mail.1", "worker cache-eu"));

            assertEquals(0, TendProcess.run(dir, "down").exitCode());
            assertEquals(0, tend.awaitExit());
            assertFalse(Files.exists(names), "the names file outlived tend");
        }
    }

    @Test
    void shouldPrintTheNamesOfTheInstanceOnTheCommandLineWithoutAJvm() throws Exception {
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        Path project = Files.createDirectory(dir.resolve("shop"));
        try (TendProcess tend = TendProcess.up(project, TOML)) {
            Path names = TendProcess.instanceDirectory(project).resolve("names");
            awaitNames(names, Set.of("pool web", "pool queue", "lazy cache cache-*", "worker web.1", "worker web.2",
                    "worker queue.1"));
            String targets = "all\nweb\nqueue\ncache\nweb.1\nweb.2\nqueue.1\n";
            assertEquals(targets, complete(project, "names", "pool,lazy,worker,all", "stop"));
            assertEquals("web\nqueue\n", complete(project, "names", "pool", "scale"));
            assertEquals("web.1\nweb.2\nqueue.1\n", complete(project, "names", "worker", "get"));
            // The instance named on the command line being completed, in any of the forms the client takes.
            for (List<String> words : List.of(List.of("-c", "../shop/tend.toml"), List.of("--config=../shop/tend.toml"),
                    List.of("-c../shop/tend.toml"), List.of("--name", "shop"), List.of("--name=shop"),
                    List.of("--timeout", "5s", "--name", "shop", "web.1"))) {
                List<String> args = new ArrayList<>(List.of("names", "pool,lazy,worker,all", "stop"));
                args.addAll(words);
                assertEquals(targets, complete(elsewhere, args.toArray(String[]::new)), words.toString());
            }
            assertEquals("all\n", complete(elsewhere, "names", "pool,lazy,worker,all", "stop"),
                    "no instance here: only the keyword");
            assertTrue(complete(elsewhere, "instances").lines().toList().contains("shop"), "the running instance");

            tend.signal(Signal.KILL);
            tend.awaitExit();
            assertTrue(Files.exists(names), "a killed tend leaves its names file behind");
            assertEquals("", complete(project, "names", "pool,worker"), "the tend that wrote the names file is gone");
            assertFalse(complete(elsewhere, "instances").lines().toList().contains("shop"), "a killed instance");
        }
    }

    private void awaitNames(Path names, Set<String> expected) {
        Await.until(TendProcess.WAIT, "the names file to list " + expected, () -> {
            try {
                List<String> lines = Files.readAllLines(names, StandardCharsets.UTF_8);
                return lines.size() > 2 && new TreeSet<>(lines.subList(2, lines.size())).equals(new TreeSet<>(expected));
            } catch (IOException e) {
                return false;
            }
        });
    }

    /** {@code tend __complete ARGS…} run by the launcher in {@code cwd}: what it prints, checked to start no JVM. */
    private String complete(Path cwd, String... args) throws IOException, InterruptedException {
        Path mark = dir.resolve("java-started");
        Path java = dir.resolve("java");
        if (!Files.exists(java)) {
            Files.writeString(java, "#!/bin/sh\ntouch '" + mark + "'\nexit 1\n");
            assertTrue(java.toFile().setExecutable(true));
        }
        List<String> command = new ArrayList<>(List.of("sh", LAUNCHER.toString(), "__complete"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("TEND_RUNTIME_DIR", TendProcess.RUNTIME_BASE.toString());
        env.put("TEND_JAVA", java.toString());
        env.remove("TEND_SOCKET");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the launcher did not end");
        assertEquals(0, p.exitValue(), out);
        assertFalse(Files.exists(mark), "tend __complete " + String.join(" ", args) + " started Java");
        return out;
    }
}
