package dev.tend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.json.Json;
import dev.tend.testing.Await;
import dev.tend.testing.TendProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Published state through tend: workers publish with tend set or fd 3; anyone reads with tend get. */
class StateCommandsTest {
    @TempDir
    Path dir;

    private Path runtime() {
        return TendProcess.instanceDirectory(dir);
    }

    private TendProcess up(String toml) throws Exception {
        return TendProcess.up(dir, toml);
    }

    /** These run in workers and scripts, often in loops: loading a native library would double their start-up. */
    @Test
    void shouldPublishReadAndShowLogsWithoutLoadingJna() throws Exception {
        Path setLog = dir.resolve("set-classes.log");
        try (TendProcess tend = up("""
                [pool.shell]
                command = "tend set colour=blue && echo published; exec cat"
                ready = "publish"
                env = { JAVA_TOOL_OPTIONS = "-Xlog:class+load=info:file=%s" }
                """.formatted(setLog))) {
            tend.awaitLine("shell.1 ready", l -> l.contains("shell.1 is ready"));
            Path getLog = dir.resolve("get-classes.log");
            TendProcess.Result get = TendProcess.run(dir,
                    Map.of("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + getLog), "get", "shell", "colour");
            assertEquals("blue\n", get.stdout(), get.toString());
            Path logsLog = dir.resolve("logs-classes.log");
            TendProcess.Result logs = TendProcess.run(dir,
                    Map.of("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + logsLog), "logs", "-n", "5");
            assertTrue(logs.stdout().contains("published"), logs.toString());
            for (Path log : List.of(setLog, getLog, logsLog)) {
                List<String> loaded = Files.readAllLines(log);
                assertTrue(loaded.size() > 100, log + " is a class-loading log");
                assertEquals(List.of(), loaded.stream().filter(l -> l.contains("com.sun.jna.")).toList(),
                        log.getFileName().toString());
            }
        }
    }

    @Test
    void shouldPublishWithTendSetAndFdThreeAndReadWithTendGet() throws Exception {
        try (TendProcess tend = up("""
                [pool.shell]
                command = "tend set leader=db-2 epoch=17 && echo set done; exec cat"
                ready = "publish"
                [pool.fd]
                command = "echo '{\\"region\\": \\"eu\\", \\"blob\\": {\\"base64\\": \\"AP8=\\"}}' >&3; exec cat"
                ready = "publish"
                """)) {
            tend.awaitLine("shell.1 ready", l -> l.contains("shell.1 is ready"));
            tend.awaitLine("fd.1 ready", l -> l.contains("fd.1 is ready"));
            TendProcess.Result value = TendProcess.run(dir, "get", "shell", "leader");
            assertEquals(0, value.exitCode(), value.toString());
            assertEquals("db-2\n", value.stdout(), "the raw value (pool name of a count-1 pool works too)");
            TendProcess.Result slot = TendProcess.run(dir, "get", "fd.1", "--json");
            assertEquals(0, slot.exitCode(), slot.toString());
            Map<String, Object> json = Json.parseObject(slot.stdout().trim());
            assertEquals("fd.1", json.get("name"));
            assertEquals(1L, json.get("version"));
            assertEquals("{\"blob\":{\"base64\":\"AP8=\"},\"region\":\"eu\"}", Json.write(json.get("data")));
            assertEquals(Map.of("state", "running", "pid", worker(tend, "fd.1"), "running", true), json.get("owner"));
            TendProcess.Result ps = TendProcess.run(dir, "ps");
            assertTrue(ps.stdout().lines().anyMatch(l -> l.startsWith("shell.1") && l.contains(" v1 ")), ps.stdout());
            assertEquals(3, TendProcess.run(dir, "get", "shell", "nokey").exitCode());
            assertEquals(3, TendProcess.run(dir, "get", "nosuch").exitCode());
        }
    }

    private static long worker(TendProcess tend, String name) {
        return tend.awaitWorkerPid(name);
    }

    @Test
    void shouldKeepVersionForIdenticalPublishAndWaitForLateOnes() throws Exception {
        try (TendProcess tend = up("""
                [pool.pub]
                command = "tend set a=1; tend set a=1; tend set a=2; exec cat"
                [pool.late]
                command = "while [ ! -e go ]; do sleep 0.05; done; echo '{\\"k\\": \\"v\\"}' >&3; exec cat"
                """)) {
            Await.until(TendProcess.WAIT, "a=2 published", () -> {
                try {
                    return TendProcess.run(dir, "get", "pub", "a").stdout().equals("2\n");
                } catch (Exception e) {
                    return false;
                }
            });
            Map<String, Object> slot = Json.parseObject(TendProcess.run(dir, "get", "pub", "--json").stdout().trim());
            assertEquals(2L, slot.get("version"), "the identical second publish kept version 1");
            TendProcess waiting = TendProcess.start(dir, "get", "late", "k", "--wait", "20s");
            try (waiting) {
                Files.writeString(dir.resolve("go"), "");
                assertEquals(0, waiting.awaitExit(), waiting.stderr());
                assertEquals(List.of("v"), waiting.lines());
            }
            TendProcess.Result timeout = TendProcess.run(dir, "get", "late", "never", "--wait", "300ms");
            assertEquals(4, timeout.exitCode(), timeout.toString());
        }
    }

    @Test
    void shouldKeepLastSnapshotReadableWhileTheOwnerRestarts() throws Exception {
        try (TendProcess tend = up("""
                [pool.config]
                command = "tend set url=postgres://primary; exec cat"
                ready = "publish"
                """)) {
            tend.awaitLine("ready", l -> l.contains("config.1 is ready"));
            assertEquals(0, TendProcess.run(dir, "stop", "config").exitCode());
            Map<String, Object> slot = Json.parseObject(TendProcess.run(dir, "get", "config", "--json").stdout().trim());
            assertEquals("{\"url\":\"postgres://primary\"}", Json.write(slot.get("data")), "stale but available");
            assertEquals(Map.of("state", "stopped", "pid", 0L, "running", false), slot.get("owner"));
            assertEquals(0, TendProcess.run(dir, "start", "config").exitCode());
            Map<String, Object> after = Json.parseObject(TendProcess.run(dir, "get", "config", "--json").stdout().trim());
            assertEquals(1L, after.get("version"), "the restarted worker republished the same snapshot: version kept");
            assertEquals("running", ((Map<?, ?>) after.get("owner")).get("state"));
        }
    }

    @Test
    void shouldCreatePrivateFilesAndKeepInstancesApart() throws Exception {
        Path other = Files.createDirectory(dir.resolve("other"));
        Files.writeString(other.resolve("tend.toml"), "[pool.w]\ncommand = \"tend set who=other; exec cat\"\n");
        try (TendProcess one = up("[pool.w]\ncommand = \"tend set who=one; exec cat\"\n");
             TendProcess two = TendProcess.start(other, "up")) {
            two.awaitWorkerPid("w.1");
            one.awaitWorkerPid("w.1");
            Await.until(TendProcess.WAIT, "both published", () -> {
                try {
                    return TendProcess.run(dir, "get", "w", "who").stdout().equals("one\n")
                            && TendProcess.run(other, "get", "w", "who").stdout().equals("other\n");
                } catch (Exception e) {
                    return false;
                }
            });
            Path state = runtime().resolve("state");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state)));
            assertEquals("rwx------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(runtime(), LinkOption.NOFOLLOW_LINKS)));
            assertTrue(!state.equals(TendProcess.RUNTIME_BASE.resolve("other").resolve("state")));
        }
    }

    @Test
    void shouldRefuseTendSetOutsideAWorkerAndOversizedSnapshots() throws Exception {
        TendProcess.Result outside = TendProcess.run(dir, "set", "a=1");
        assertEquals(2, outside.exitCode(), outside.toString());
        assertTrue(outside.stderr().contains("run it from inside a tend worker"), outside.toString());
        try (TendProcess tend = up("""
                [pool.big]
                command = "head -c 3000 /dev/zero | tr '\\\\0' x > blob; tend set \\"v=$(cat blob)\\" || echo refused; exec cat"
                [state]
                max_snapshot = "2KiB"
                """)) {
            tend.awaitLine("refused", l -> l.equals("big.1 | refused"));
            assertTrue(tend.stdout().contains("exceeds the state file's limit of 2 KiB"), tend.stdout());
        }
    }

    @Test
    void shouldPublishASnapshotOfAMegabyteWrittenOnFdThreeWhole() throws Exception {
        try (TendProcess tend = up("""
                [pool.big]
                command = "printf '{\\"v\\":\\"%s\\"}\\\\n' $(head -c 1000000 /dev/zero | tr '\\\\0' x) >&3; exec cat"
                ready = "publish"
                """)) {
            tend.awaitLine("big.1 ready", l -> l.contains("big.1 is ready"));
            TendProcess.Result value = TendProcess.run(dir, "get", "big", "v");
            assertEquals(0, value.exitCode(), value.stderr());
            assertEquals("x".repeat(1_000_000) + "\n", value.stdout());
            assertTrue(tend.lines().stream().noneMatch(l -> l.contains("fd 3")), tend.stdout());
        }
    }

    @Test
    void shouldRefuseALineOverTheLimitOrNotUtf8OnFdThreeOnceAndReadTheNextOne() throws Exception {
        Files.writeString(dir.resolve("over.sh"), """
                head -c 5000 /dev/zero | tr '\\0' x >&3; echo >&3
                printf '{"a":"\\377"}\\n' >&3
                echo '{"after":"yes"}' >&3
                exec cat
                """);
        try (TendProcess tend = up("""
                [pool.over]
                command = "sh over.sh"
                ready = "publish"
                [state]
                max_snapshot = "2KiB"
                """)) {
            tend.awaitLine("over.1 ready", l -> l.contains("over.1 is ready"));
            // Ready means published: only the line after the refused one could do that.
            assertEquals("yes\n", TendProcess.run(dir, "get", "over", "after").stdout());
            List<String> warnings = tend.lines().stream().filter(l -> l.contains("fd 3")).toList();
            assertEquals(2, warnings.size(), tend.stdout());
            assertTrue(warnings.get(0).endsWith("| over.1 wrote a line of 4.9 KiB on fd 3, over the limit of 4 KiB"
                    + " (twice [state] max_snapshot): nothing was published; write a smaller snapshot, or raise"
                    + " max_snapshot in the [state] table"), warnings.get(0));
            assertTrue(warnings.get(1).endsWith("| over.1 wrote a line on fd 3 that is not valid UTF-8; JSON text must"
                    + " be UTF-8 (binary values go in {\"base64\": \"...\"})"), warnings.get(1));
        }
    }

    @Test
    void shouldAgreeWithThePythonReaderWrittenFromTheDoc() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        Assumptions.assumeTrue(Files.isExecutable(python), "python3 is not installed");
        try (TendProcess tend = up("""
                [pool.a]
                command = "tend set text=hello 'spaced key=x y'; exec cat"
                ready = "publish"
                [pool.b]
                command = "echo '{\\"bin\\": {\\"base64\\": \\"/wAB\\"}, \\"n\\": 7}' >&3; exec cat"
                ready = "publish"
                count = 2
                """)) {
            for (String w : List.of("a.1", "b.1", "b.2")) {
                tend.awaitLine(w + " ready", l -> l.contains(w + " is ready"));
            }
            Path reader = Path.of(System.getProperty("user.dir")).getParent().resolve("examples/state_reader.py");
            for (String name : List.of("a", "b.1", "b.2")) {
                TendProcess.Result ours = TendProcess.run(dir, "get", name, "--json");
                Process p = new ProcessBuilder(python.toString(), reader.toString(), runtime().resolve("state").toString(),
                        name).redirectErrorStream(true).start();
                String theirs = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(p.waitFor(30, TimeUnit.SECONDS));
                assertEquals(0, p.exitValue(), theirs);
                Map<String, Object> a = Json.parseObject(ours.stdout().trim());
                Map<String, Object> b = Json.parseObject(theirs.trim());
                for (String field : List.of("name", "version", "owner", "data")) {
                    assertEquals(Json.write(a.get(field)), Json.write(b.get(field)), name + " " + field);
                }
            }
            Process missing = new ProcessBuilder(python.toString(), reader.toString(),
                    runtime().resolve("state").toString(), "nosuch").start();
            assertTrue(missing.waitFor(30, TimeUnit.SECONDS));
            assertEquals(3, missing.exitValue());
            assertEquals(3, TendProcess.run(dir, "get", "nosuch").exitCode());
        }
    }

    @Test
    void aWorkerMayNotPublishIntoAnotherWorkersSlot() throws Exception {
        // The attacker knows the victim's name, and everything the state file holds: the old attack presented
        // the victim's incarnation number (1, readable from the file) as its token.
        try (TendProcess tend = up("""
                [pool.victim]
                command = "tend set owner=victim && echo published; exec cat"
                [pool.attacker]
                command = "TEND_WORKER=victim.1 tend set owner=ATTACKER || echo refused own token; \
                TEND_WORKER=victim.1 TEND_STATE_TOKEN=0000000000000001 tend set owner=ATTACKER || echo refused guessed token; \
                tend set mine=yes && echo own slot; exec cat"
                """)) {
            // Lines are prefixed with the name padded to the longest one: "victim.1   | published".
            tend.awaitLine("victim published", l -> l.matches("victim\\.1 +\\| published"));
            tend.awaitLine("own slot", l -> l.matches("attacker\\.1 +\\| own slot"));
            assertTrue(tend.lines().stream().anyMatch(l -> l.matches("attacker\\.1 +\\| refused own token")), tend.stdout());
            assertTrue(tend.lines().stream().anyMatch(l -> l.matches("attacker\\.1 +\\| refused guessed token")),
                    tend.stdout());
            assertTrue(tend.stdout().contains("TEND_STATE_TOKEN is not the token tend gave its current process"),
                    tend.stdout());
            TendProcess.Result owner = TendProcess.run(dir, "get", "victim", "owner");
            assertEquals("victim\n", owner.stdout(), owner.toString());
        }
    }
}
