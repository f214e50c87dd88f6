package dev.tend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.testing.Await;
import dev.tend.testing.Launcher;
import dev.tend.testing.Launcher.Answer;
import dev.tend.testing.TendProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tend logs} answered by the launcher through the running tend's command FIFO, without a JVM: the same
 * output and exit code as the JVM client's, for lines in memory, in log files and in rotated ones, tend's own,
 * with -n, --since and -t, and its errors; -f and what tend cannot answer on its loop (more of the files than it
 * reads there, another time zone) go to the JVM client. The launcher runs with no Java, so a command it declines
 * fails loudly.
 */
class LogsFifoTest {

    @TempDir
    Path dir;

    /** {@code tend logs ARGS...} by the launcher, with the variables of {@code extra} set. */
    private Answer fast(Map<String, String> extra, String... args) {
        try {
            return Launcher.run(dir, extra, Duration.ofSeconds(30), prefixed(args));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private Answer fast(String... args) {
        return fast(Map.of(), args);
    }

    /** {@code tend logs ARGS...} by the JVM client. */
    private Answer jvm(String... args) {
        TendProcess.Result r;
        try {
            r = TendProcess.run(dir, prefixed(args));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        // TendProcess joins the lines it read, each with a newline: no line at all reads as one empty line.
        return new Answer(r.exitCode(), r.stdout().equals("\n") ? "" : r.stdout(),
                r.stderr().equals("\n") ? "" : r.stderr());
    }

    private TendProcess up(String toml) throws Exception {
        TendProcess tend = TendProcess.up(dir, toml);
        Path instance = TendProcess.instanceDirectory(dir);
        Await.until(TendProcess.WAIT, "the command FIFO and the status file",
                () -> Files.exists(instance.resolve("control.fifo")) && Files.exists(instance.resolve("status")));
        return tend;
    }

    private List<String> replyFifos() throws IOException {
        try (Stream<Path> files = Files.list(TendProcess.instanceDirectory(dir))) {
            return files.map(f -> f.getFileName().toString()).filter(f -> f.startsWith("reply.")).toList();
        }
    }

    private void assertSame(String... command) throws Exception {
        Answer fast = fast(command);
        assertEquals(jvm(command), fast, String.join(" ", command));
    }

    @Test
    void shouldPrintWhatTheJvmClientPrints() throws Exception {
        // web: 300 lines into files rotated every 4 KiB (six files, the oldest lines gone); memory keeps 500 a worker.
        // plain: on tend's stdout, so only in memory, one line on stderr. The workers then wait, writing nothing.
        String toml = """
                [pool.web]
                command = ["sh", "-c", "i=0; while [ $i -lt 300 ]; do echo web line $i; i=$((i+1)); done; exec cat"]
                count = 2
                log_file = "log/{pool}.log"
                log_max_size = "4KiB"

                [pool.plain]
                command = ["sh", "-c", "echo hello from plain; echo oops >&2; exec cat"]

                [pool.a-worker-with-a-long-name]
                command = ["cat"]
                """;
        try (TendProcess tend = up(toml)) {
            Await.until(TendProcess.WAIT, "both web workers' last lines in the file",
                    () -> fast("web.1", "-n", "1").stdout().contains("web line 299")
                            && fast("web.2", "-n", "1").stdout().contains("web line 299"));
            assertTrue(Files.exists(dir.resolve("log/web.log.5")), "the files were not rotated");
            Answer all = fast("plain");
            assertEquals(0, all.exitCode(), all.toString());
            // The name column as wide as the longest worker name.
            assertTrue(all.stdout().contains("plain.1" + " ".repeat(20) + " | hello from plain\n"), all.stdout());
            assertSame();
            assertSame("-n", "5");
            assertSame("-n5", "web");
            assertSame("web.1", "--lines", "3");
            assertSame("--lines=7", "plain", "web");
            assertSame("-n", "0");
            assertSame("-n", "1000");
            assertSame("-n", "007", "tend");
            assertSame("--since", "1h");
            assertSame("--since=2020-01-01", "web.2");
            assertSame("-t", "-n", "3", "web");
            assertSame("--timestamps", "plain");
            assertSame("-c", "tend.toml", "-n", "4");
            assertSame("--name", dir.getFileName().toString(), "all", "-n", "4");
            // Errors: an unknown target (3), a time that is none (2).
            Answer unknown = fast("nope");
            assertEquals(3, unknown.exitCode(), unknown.toString());
            assertEquals(jvm("nope"), unknown);
            Answer bad = fast("--since", "yesterday");
            assertEquals(2, bad.exitCode(), bad.toString());
            assertEquals(jvm("--since", "yesterday"), bad);

            // On a terminal: colours, as the JVM client has them; none with NO_COLOR, or TERM=dumb.
            byte[] colored = onTerminal(Map.of(), Launcher.SCRIPT.toString(), "-n", "4");
            assertTrue(new String(colored, StandardCharsets.UTF_8).contains("\u001b["), new String(colored,
                    StandardCharsets.UTF_8));
            assertEquals(new String(onTerminal(Map.of(), TendProcess.script().toString(), "-n", "4"),
                    StandardCharsets.UTF_8), new String(colored, StandardCharsets.UTF_8));
            for (Map<String, String> plainly : List.of(Map.of("NO_COLOR", ""), Map.of("TERM", "dumb"))) {
                byte[] plain = onTerminal(plainly, Launcher.SCRIPT.toString(), "-n", "4");
                assertEquals(new String(onTerminal(plainly, TendProcess.script().toString(), "-n", "4"),
                        StandardCharsets.UTF_8), new String(plain, StandardCharsets.UTF_8), plainly.toString());
                assertTrue(!new String(plain, StandardCharsets.UTF_8).contains("\u001b[") && plain.length > 0,
                        new String(plain, StandardCharsets.UTF_8));
            }
            for (String[] other : List.of(new String[] {"-f"}, new String[] {"web", "--follow"},
                    new String[] {"-n", "-1"}, new String[] {"-n", "ten"}, new String[] {"-n", "1", "-n", "2"},
                    new String[] {"--timeout", "5s"}, new String[] {"-h"}, new String[] {"-t", "-t"},
                    new String[] {"--since", "1h", "--since", "2h"}, new String[] {"web\"x"})) {
                Launcher.assertDeclined(fast(other), String.join(" ", other));
            }
            // Local times in another time zone than tend's: the JVM client prints them.
            Launcher.assertDeclined(fast(Map.of("TZ", "Asia/Tokyo"), "-t"), "-t in another time zone");
            Launcher.assertDeclined(fast(Map.of("TEND_FAST", "0"), "-n", "1"), "TEND_FAST=0");
            assertEquals(List.of(), replyFifos(), "a reply FIFO was left behind");
        }
    }

    private static String[] prefixed(String[] args) {
        String[] command = new String[args.length + 1];
        command[0] = "logs";
        System.arraycopy(args, 0, command, 1, args.length);
        return command;
    }

    /**
     * What {@code tend logs ARGS...} prints on a terminal (util-linux's {@code script} gives it one), run by
     * {@code tend}: the launcher with no Java, or the JVM client; with {@code extra} set in its environment.
     */
    private byte[] onTerminal(Map<String, String> extra, String tend, String... args) throws Exception {
        StringBuilder command = new StringBuilder("sh '").append(tend).append("' logs");
        for (String arg : args) {
            command.append(" '").append(arg).append('\'');
        }
        ProcessBuilder pb = new ProcessBuilder("script", "-qec", command.toString(), "/dev/null").directory(dir.toFile())
                .redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        List.of("NO_COLOR", "JOURNAL_STREAM", "TEND_JAVA_OPTS", "TEND_SOCKET", "TEND_FAST", "TEND_TIMEOUT")
                .forEach(env::remove);
        env.put("TERM", "xterm");
        env.put("TEND_RUNTIME_DIR", TendProcess.RUNTIME_BASE.toString());
        env.put("TEND_JAVA", Launcher.NO_JAVA);
        env.putAll(extra);
        Process p = pb.redirectInput(ProcessBuilder.Redirect.PIPE).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "script did not end");
        assertEquals(0, p.exitValue(), new String(out, StandardCharsets.UTF_8));
        return out;
    }

    @Test
    void shouldLeaveToTheJvmClientAHistoryThatNeedsMoreOfTheFilesThanTendReadsOnItsLoop() throws Exception {
        // About 2.7 MiB of lines kept in files of 256 KiB: the last lines are read from the end of the newest file;
        // every line since an hour ago would take more than tend reads on its loop for one request.
        String toml = """
                [pool.big]
                command = ["sh", "-c", "yes 'a line of the big worker, long enough to fill files' | head -n 40000; echo the end; exec cat"]
                log_file = "log/{pool}.log"
                log_max_size = "256KiB"
                log_keep = 10
                """;
        try (TendProcess tend = up(toml)) {
            Await.until(TendProcess.WAIT, "the last line in the file", () -> jvm("-n", "1").stdout().contains("the end"));
            assertTrue(Files.exists(dir.resolve("log/big.log.10")), "the files were not rotated");
            Answer tail = fast("-n", "10");
            assertEquals(0, tail.exitCode(), tail.toString());
            assertEquals(10, tail.stdout().lines().count(), tail.stdout());
            assertEquals(jvm("-n", "10"), tail);
            Launcher.assertDeclined(fast("--since", "1h"), "every line of 2.7 MiB of files");
            Launcher.assertDeclined(fast("-n", "30000"), "30000 lines of 2.7 MiB of files");
            assertEquals(List.of(), replyFifos(), "a reply FIFO was left behind");
        }
    }
}
