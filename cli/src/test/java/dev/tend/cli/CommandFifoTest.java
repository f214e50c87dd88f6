package dev.tend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.json.Json;
import dev.tend.os.Signal;
import dev.tend.testing.Await;
import dev.tend.testing.Launcher;
import dev.tend.testing.Launcher.Answer;
import dev.tend.testing.TendProcess;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The actions the launcher asks for through the running tend's command FIFO, without a JVM: the same output
 * and exit code as the JVM client's, a launcher that never hangs on a tend that dies, garbage in the FIFO
 * ignored, no reply FIFO left behind. The launcher runs with {@code TEND_JAVA} pointing nowhere, so a command
 * line it declines fails loudly instead of quietly starting the JVM client.
 */
class CommandFifoTest {

    @TempDir
    Path dir;

    /** A launcher started as a user starts it, in {@code dir}, with no Java to fall back on. */
    private Process startLauncher(Map<String, String> extra, String... args) throws IOException {
        return Launcher.start(dir, extra, args);
    }

    private Answer launcher(Map<String, String> extra, String... args) throws IOException, InterruptedException {
        return Launcher.answer(startLauncher(extra, args), Duration.ofSeconds(30));
    }

    private Answer launcher(String... args) throws IOException, InterruptedException {
        return launcher(Map.of(), args);
    }

    private Answer client(String... args) throws Exception {
        TendProcess.Result r = TendProcess.run(dir, args);
        // TendProcess joins the lines it read, each with a newline: no line at all reads as one empty line.
        return new Answer(r.exitCode(), r.stdout().equals("\n") ? "" : r.stdout(),
                r.stderr().equals("\n") ? "" : r.stderr());
    }

    /** Starts tend and waits until the launcher can use its command FIFO (it needs the status file too). */
    private TendProcess up(String toml) throws Exception {
        TendProcess tend = TendProcess.up(dir, toml);
        Path instance = TendProcess.instanceDirectory(dir);
        Await.until(TendProcess.WAIT, "the command FIFO and the status file", () -> Files.exists(instance.resolve("control.fifo"))
                && Files.exists(instance.resolve("status")));
        return tend;
    }

    private List<String> replyFifos() throws IOException {
        try (Stream<Path> files = Files.list(TendProcess.instanceDirectory(dir))) {
            return files.map(f -> f.getFileName().toString()).filter(f -> f.startsWith("reply.")).toList();
        }
    }

    @Test
    void shouldPrintWhatTheJvmClientPrintsWithItsExitCode() throws Exception {
        String toml = """
                [pool.web]
                command = ["cat"]
                count = 2

                [pool.bad]
                command = ["sh", "-c", "echo boom >&2; exit 3"]
                restart = "never"
                """;
        try (TendProcess tend = up(toml)) {
            tend.awaitLine("bad.1 given up or exited", l -> l.contains("bad.1 exited"));
            String name = dir.getFileName().toString();
            // Each command from the same state both ways: set up by the JVM client, then the launcher's; again, then
            // the JVM client's.
            assertSame(List.of("start", "web"), List.of("stop", "web"));
            assertSame(List.of("stop", "--no-wait", "web.2", "--name", name), List.of("start", "web.2"));
            assertSame(List.of("stop", "web"), List.of("start", "web"));
            assertSame(List.of("start", "web"), List.of("stop", "all", "-c", "tend.toml"));
            assertSame(List.of(), List.of("restart", "web.1"));
            assertSame(List.of(), List.of("restart", "--rolling", "web"));
            assertSame(List.of("scale", "web", "2"), List.of("scale", "web", "3"));
            assertSame(List.of(), List.of("stop", "nosuch"));
            assertSame(List.of(), List.of("start", "web.9"));
            assertSame(List.of(), List.of("scale", "nosuch", "2"));
            assertSame(List.of(), List.of("require", "nosuch"));
            assertSame(List.of(), List.of("reload"));
            // Failing fast with its report: the same lines, but for the run time and attempt count of each run.
            Answer fast = launcher("start", "bad");
            Answer jvm = client("start", "bad");
            assertEquals(1, fast.exitCode(), fast.toString());
            assertTrue(fast.stderr().startsWith("tend: error: bad.1 ended before it was ready"), fast.stderr());
            assertTrue(fast.stderr().contains("\n    boom\n"), fast.stderr());
            assertEquals(new Answer(jvm.exitCode(), jvm.stdout(), digitless(jvm.stderr())),
                    new Answer(fast.exitCode(), fast.stdout(), digitless(fast.stderr())));

            assertEquals(List.of(), replyFifos(), "a reply FIFO was left behind");
            Answer down = launcher("down");
            assertEquals(new Answer(0, "stopped every worker\n", ""), down);
            assertEquals(0, tend.awaitExit());
            assertTrue(Files.notExists(TendProcess.instanceDirectory(dir).resolve("control.fifo")),
                    "the command FIFO outlived tend");
        }
    }

    private void assertSame(List<String> before, List<String> command) throws Exception {
        if (!before.isEmpty()) {
            assertEquals(0, client(before.toArray(String[]::new)).exitCode(), String.join(" ", before));
        }
        Answer fast = launcher(command.toArray(String[]::new));
        if (!before.isEmpty()) {
            assertEquals(0, client(before.toArray(String[]::new)).exitCode(), String.join(" ", before));
        }
        Answer jvm = client(command.toArray(String[]::new));
        assertEquals(jvm, fast, String.join(" ", command));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    private static String digitless(String text) {
        return text.replaceAll("[0-9]+", "#");
    }

    @Test
    void shouldAnswerPsAsTheJvmClientDoes() throws Exception {
        // Workers that ran and ended, or are stopped: no uptime, CPU or memory that moves between two calls.
        String toml = """
                [pool.done]
                command = ["true"]
                count = 2

                [pool.web]
                command = ["cat"]
                """;
        try (TendProcess tend = up(toml)) {
            Path status = TendProcess.instanceDirectory(dir).resolve("status");
            Await.until(TendProcess.WAIT, "done finished", () -> read(status).contains("ready 0 3/3 ready"));
            Await.until(TendProcess.WAIT, "done.1 and done.2 exited", () -> fastPs().split(" exited ", -1).length == 3);
            assertEquals(0, client("stop", "web").exitCode());
            Answer fast = launcher("ps");
            assertEquals(client("ps"), fast);
            assertTrue(fast.stdout().startsWith("instance " + dir.getFileName() + " (pid " + tend.pid() + ") from "),
                    fast.stdout());
            assertEquals(client("status", "-c", "tend.toml"), launcher("status", "-c", "tend.toml"));
            // tend's own CPU and memory and the ages in milliseconds move between two calls: compared without them.
            Answer json = launcher("ps", "--json");
            assertEquals(0, json.exitCode(), json.toString());
            assertEquals(steady(Json.parseObject(client("ps", "--json").stdout())), steady(Json.parseObject(json.stdout())));
            assertTrue(json.stdout().endsWith("}\n") && json.stdout().indexOf('\n') == json.stdout().length() - 1,
                    json.stdout());
            // Not ready (web is stopped): exit 1, from the FIFO when the status file is not read.
            Answer ready = launcher(Map.of("TEND_STATUS_FILE", "0"), "ps", "--ready");
            assertEquals(new Answer(1, "2/3 ready; not ready: web.1 (stopped)\n", ""), ready);
            assertEquals(client("ps", "--ready"), ready);
            for (String[] other : List.of(new String[] {"ps", "--watch"}, new String[] {"ps", "--json", "--json"},
                    new String[] {"ps", "--timeout", "5s"}, new String[] {"ps", "web"}, new String[] {"ps", "-h"})) {
                Launcher.assertDeclined(launcher(other), String.join(" ", other));
            }
            assertEquals(List.of(), replyFifos(), "a reply FIFO was left behind");
        }
    }

    @Test
    void shouldSendALargeAnswerAsOneBlock() throws Exception {
        try (TendProcess tend = up("[pool.many]\ncommand = [\"cat\"]\ncount = 40\n")) {
            assertEquals(0, client("stop", "many").exitCode());
            Answer json = launcher("ps", "--json");
            assertEquals(0, json.exitCode(), json.toString());
            assertTrue(json.stdout().length() > 8 * 1024, "not larger than a block: " + json.stdout().length());
            assertEquals(steady(Json.parseObject(client("ps", "--json").stdout())), steady(Json.parseObject(json.stdout())));
            assertEquals(client("ps"), launcher("ps"));
            assertEquals(List.of(), replyFifos(), "a reply FIFO was left behind");
        }
    }

    private String fastPs() {
        try {
            return launcher("ps").stdout();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code value} without the members that change from one moment to the next. */
    private static Object steady(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> kept = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                if (!List.of("usage", "uptime_ms", "cpu_percent", "rss_bytes").contains(k)) {
                    kept.put((String) k, steady(v));
                }
            });
            return kept;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(CommandFifoTest::steady).toList();
        }
        return value;
    }

    @Test
    void shouldRunTheJvmClientWhenTheFifoAnswersFallback() throws Exception {
        try (TendProcess tend = up("[pool.web]\ncommand = [\"cat\"]\n")) {
            // tend's FIFO replaced by one this test serves: it answers what tend answers to a query it cannot send.
            Path fifo = TendProcess.instanceDirectory(dir).resolve("control.fifo");
            Files.delete(fifo);
            assertEquals(0, new ProcessBuilder("mkfifo", "-m", "600", fifo.toString()).start().waitFor());
            Thread server = new Thread(() -> {
                try {
                    String line = Files.readAllLines(fifo).get(0);
                    String reply = line.split(" ")[2];
                    Files.writeString(fifo.resolveSibling(reply), "fallback\n");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            server.start();
            Launcher.assertDeclined(launcher("ps"), "fallback");
            server.join(TendProcess.WAIT.toMillis());
            assertEquals(List.of(), replyFifos(), "a reply FIFO was left behind");
        }
    }

    /** A worker that ignores SIGTERM, with a grace long enough for a launcher to wait on its stop. */
    private static final String STUBBORN = """
            [pool.stubborn]
            command = ["sh", "-c", "trap '' TERM; while :; do sleep 1; done"]
            grace = "60s"
            """;

    /** Starts the launcher's {@code stop stubborn} once the worker is ready; returns when the stop has begun. */
    private Process startStoppingStubborn() throws IOException {
        Path status = TendProcess.instanceDirectory(dir).resolve("status");
        Await.until(TendProcess.WAIT, "stubborn.1 ready", () -> read(status).contains("ready 0 1/1 ready"));
        Process stop = startLauncher(Map.of(), "stop", "stubborn");
        Await.until(TendProcess.WAIT, "the stop to begin", () -> read(status).contains("stubborn.1 (stopping)"));
        return stop;
    }

    @Test
    void shouldEndWithTheNotRunningCodeWhenTendDiesWhileALauncherWaits() throws Exception {
        try (TendProcess tend = up(STUBBORN)) {
            Process stop = startStoppingStubborn();
            long killed = System.nanoTime();
            tend.signal(Signal.KILL);
            Answer a = Launcher.answer(stop, Duration.ofSeconds(10));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            assertEquals(new Answer(3, "", "tend: error: no running tend instance " + dir.getFileName()
                    + " (it ended before it answered); start it with `tend up`\n"), a);
            assertTrue(millis < 5_000, "the launcher took " + millis + " ms to notice");
            assertEquals(List.of(), replyFifos(), "the launcher left its reply FIFO behind");
        }
    }

    @Test
    void shouldLeaveNothingBehindWhenTheLauncherAloneIsSignalled() throws Exception {
        try (TendProcess tend = up(STUBBORN)) {
            Process stop = startStoppingStubborn();
            Path children = Path.of("/proc/" + stop.pid() + "/task/" + stop.pid() + "/children");
            List<String> watchers = List.of(read(children).trim().split(" "));
            assertTrue(!watchers.get(0).isEmpty(), "the launcher has no watcher");
            stop.destroy();
            assertTrue(stop.waitFor(10, TimeUnit.SECONDS), "the launcher did not end on TERM");
            Await.until(TendProcess.WAIT, "the watcher " + watchers + " to end", () -> watchers.stream()
                    .noneMatch(pid -> Files.exists(Path.of("/proc/" + pid + "/cmdline"))
                            && read(Path.of("/proc/" + pid + "/cmdline")).contains(Launcher.SCRIPT.toString())));
            Await.until(TendProcess.WAIT, "the reply FIFO removed", () -> {
                try {
                    return replyFifos().isEmpty();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    @Test
    void shouldGiveUpOnAStoppedTendAsTheJvmClientDoesThenIgnoreTheStaleRequest() throws Exception {
        try (TendProcess tend = up("[pool.web]\ncommand = [\"cat\"]\n")) {
            tend.signal(Signal.STOP);
            Answer fast;
            Answer jvm;
            try {
                Process launcher = startLauncher(Map.of(), "stop", "web");
                // The JVM client's default answer timeout is the launcher's bound too: 10 s of state T.
                jvm = client("stop", "web");
                fast = Launcher.answer(launcher, Duration.ofSeconds(20));
            } finally {
                tend.signal(Signal.CONT);
            }
            assertEquals(4, fast.exitCode(), fast.toString());
            assertEquals(jvm, fast);
            tend.awaitLine("the stale request ignored", l -> l.contains("command FIFO: ignored a request whose reply FIFO"));
            assertEquals(List.of(), replyFifos(), "the launcher left its reply FIFO behind");
            assertEquals(new Answer(0, "stopped web.1\n", ""), launcher("stop", "web"));
        }
    }

    @Test
    void shouldIgnoreGarbageAndAnswerTheNextRequest() throws Exception {
        try (TendProcess tend = up("[pool.web]\ncommand = [\"cat\"]\n")) {
            Path instance = TendProcess.instanceDirectory(dir);
            Files.writeString(instance.resolve("reply.plain"), "not a FIFO");
            try (OutputStream fifo = new FileOutputStream(instance.resolve("control.fifo").toFile())) {
                fifo.write(("hello\n"
                        + "tend-request 1 ../../escape {\"op\":\"stop\",\"targets\":[\"web\"],\"wait\":true}\n"
                        + "tend-request 1 reply.plain {\"op\":\"stop\",\"targets\":[\"web\"],\"wait\":true}\n"
                        + "tend-request 1 reply.gone {\"op\":\"stop\",\"targets\":[\"web\"],\"wait\":true}\n"
                        + "x".repeat(10_000) + "\n").getBytes(StandardCharsets.UTF_8));
            }
            tend.awaitLine("the garbage ignored", l -> l.contains("command FIFO: ignored a request line longer than"));
            assertEquals("not a FIFO", Files.readString(instance.resolve("reply.plain")));
            long ignored = tend.lines().stream().filter(l -> l.contains("command FIFO: ignored")).count();
            assertEquals(5, ignored, String.join("\n", tend.lines()));
            assertEquals(new Answer(0, "stopped web.1\n", ""), launcher("stop", "web"));
        }
    }

    @Test
    void shouldLeaveToTheJvmClientWhatItCannotBeSureOfAndMakeTheFifoAgain() throws Exception {
        try (TendProcess tend = up("[pool.web]\ncommand = [\"cat\"]\n")) {
            Launcher.assertDeclined(launcher(Map.of("TEND_FAST", "0"), "stop", "web"), "TEND_FAST=0");
            Launcher.assertDeclined(launcher(Map.of("TEND_TIMEOUT", "5s"), "stop", "web"), "TEND_TIMEOUT");
            for (String[] other : List.of(new String[] {"stop"}, new String[] {"stop", "--timeout", "5s", "web"},
                    new String[] {"stop", "--rolling", "web"}, new String[] {"stop", "-h"}, new String[] {"stop", "we b"},
                    new String[] {"stop", "web", "--no-wait", "--no-wait"}, new String[] {"scale", "web"},
                    new String[] {"reload", "web"}, new String[] {"stop", "--", "web"}, new String[] {"stop", "web\"x"})) {
                Launcher.assertDeclined(launcher(other), String.join(" ", other));
            }
            Path fifo = TendProcess.instanceDirectory(dir).resolve("control.fifo");
            Files.delete(fifo);
            Launcher.assertDeclined(launcher("stop", "web"), "no command FIFO");
            // The JVM client, which a launcher runs when it finds no FIFO, has tend make it again.
            assertEquals(0, client("ps").exitCode());
            assertTrue(Files.exists(fifo), "the command FIFO was not made again");
            assertEquals(new Answer(0, "stopped web.1\n", ""), launcher("stop", "web"));
        }
    }
}
