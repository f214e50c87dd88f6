package dev.tend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.logfile.LogTime;
import dev.tend.testing.Await;
import dev.tend.testing.Processes;
import dev.tend.testing.TendProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Log files ({@code log_file}): written by a real {@code tend up}, read back by {@code tend logs}. */
class LogFilesTest {
    private static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}[+-]\\d\\d:\\d\\d";
    /** A worker that prints a numbered burst each time it starts ({@code run N line I}), then waits for EOF. */
    private static final String BURST = "n=$(cat runs 2>/dev/null || echo 0); n=$((n+1)); echo $n > runs; i=0;"
            + " while [ $i -lt %d ]; do echo \"run $n line $i\"; i=$((i+1)); done; exec cat";

    @TempDir
    Path dir;

    private TendProcess tend;

    @AfterEach
    void down() throws Exception {
        if (tend != null) {
            TendProcess.run(dir, "down");
            tend.awaitExit();
            tend.close();
        }
    }

    private static String burst(int lines) {
        return String.format(BURST, lines);
    }

    @Test
    void shouldStampEachLineWithTimeWorkerAndStream() throws Exception {
        tend = TendProcess.up(dir, """
                [pool.web]
                command = "echo to stdout; echo to stderr >&2; exec cat"
                log_file = "log/{pool}.log"
                """);
        Path file = dir.resolve("log/web.log");
        List<String> lines = awaitLines(file, 2);
        assertTrue(lines.contains(matching(lines, TIME + " web\\.1 stdout \\| to stdout")), lines.toString());
        assertTrue(lines.contains(matching(lines, TIME + " web\\.1 stderr \\| to stderr")), lines.toString());
        long stamp = LogTime.parse(lines.get(0).substring(0, lines.get(0).indexOf(' ')));
        assertTrue(Math.abs(System.currentTimeMillis() - stamp) < 60_000, lines.get(0));
        // Not on tend's stdout: the file has them.
        assertFalse(tend.stdout().contains("to stdout"), tend.stdout());
    }

    @Test
    void shouldPrintTimeStampsOnTheTerminalWithTheOption() throws Exception {
        Files.writeString(dir.resolve("tend.toml"), """
                [pool.web]
                command = "echo hello; exec cat"
                """);
        tend = TendProcess.start(dir, "up", "--timestamps");
        tend.awaitLine("stamped line", l -> l.matches(TIME + " web\\.1 \\| hello"));
    }

    @Test
    void shouldRotateAtTheSizeLimitKeepingTheNumberOfFilesAsked() throws Exception {
        tend = TendProcess.up(dir, """
                [pool.web]
                command = '%s'
                log_file = "log/{pool}.log"
                log_max_size = "4KiB"
                log_keep = 3
                """.formatted(burst(1000)));
        Path file = dir.resolve("log/web.log");
        awaitLine(file, "run 1 line 999");
        List<String> kept = new ArrayList<>();
        for (int n = 3; n >= 1; n--) {
            Path rotated = dir.resolve("log/web.log." + n);
            assertTrue(Files.exists(rotated), rotated.toString());
            long size = Files.size(rotated);
            assertTrue(size <= 4096 && size > 4096 - 100, rotated + ": " + size + " bytes");
            kept.addAll(Files.readAllLines(rotated));
        }
        assertFalse(Files.exists(dir.resolve("log/web.log.4")));
        assertTrue(Files.size(file) <= 4096);
        kept.addAll(Files.readAllLines(file));
        // The files hold the end of the burst, in order, without a gap.
        int first = number(kept.get(0));
        for (int i = 0; i < kept.size(); i++) {
            assertEquals("run 1 line " + (first + i), text(kept.get(i)), "line " + i + " of the kept files");
        }
        assertEquals(999, first + kept.size() - 1);
    }

    @Test
    void shouldPrintOnlyLinesSinceATime() throws Exception {
        tend = TendProcess.up(dir, """
                log_file = "log/all.log"
                [pool.early]
                command = "echo early; exec cat"
                [lazy.late]
                pattern = "late*"
                command = "echo late; exec cat"
                """);
        Path file = dir.resolve("log/all.log");
        String early = awaitLine(file, "early");
        long earlyMillis = LogTime.parse(early.substring(0, early.indexOf(' ')));
        // Strictly after the early line: wait for the clock to pass it, then take the time.
        Await.until(TendProcess.WAIT, "the clock to move on", () -> System.currentTimeMillis() > earlyMillis + 1);
        String since = new LogTime().format(System.currentTimeMillis());
        assertEquals(0, TendProcess.run(dir, "require", "late1").exitCode());
        awaitLine(file, "late");

        TendProcess.Result r = TendProcess.run(dir, "logs", "--since", since);
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.stdout().contains("late1   | late\n"), r.toString());
        assertFalse(r.stdout().contains("early"), r.toString());

        TendProcess.Result all = TendProcess.run(dir, "logs", "--since", "10m", "early", "late1");
        assertEquals("early.1 | early\nlate1   | late\n", all.stdout(), all.toString());

        TendProcess.Result bad = TendProcess.run(dir, "logs", "--since", "yesterday");
        assertEquals(2, bad.exitCode(), bad.toString());
        assertTrue(bad.stderr().contains("--since: \"yesterday\" is neither a duration"), bad.toString());
    }

    @Test
    void shouldFollowAcrossRotationsWithoutLosingOrRepeatingALine() throws Exception {
        tend = TendProcess.up(dir, """
                [pool.web]
                command = '%s'
                log_file = "log/{pool}.log"
                log_max_size = "4KiB"
                log_keep = 50
                """.formatted(burst(500)));
        Path file = dir.resolve("log/web.log");
        awaitLine(file, "run 1 line 499");
        try (TendProcess follow = TendProcess.start(dir, "logs", "-f", "-n", "20", "web")) {
            follow.awaitLine("history", l -> l.equals("web.1 | run 1 line 499"));
            assertEquals(0, TendProcess.run(dir, "restart", "web").exitCode());
            follow.awaitLine("the new burst", l -> l.equals("web.1 | run 2 line 499"));
            List<String> expected = new ArrayList<>();
            for (int i = 480; i < 500; i++) {
                expected.add("web.1 | run 1 line " + i);
            }
            for (int i = 0; i < 500; i++) {
                expected.add("web.1 | run 2 line " + i);
            }
            assertEquals(expected, List.copyOf(follow.lines()));
        }
        assertTrue(Files.exists(dir.resolve("log/web.log.5")), "the new burst rotated the file");
    }

    @Test
    void shouldKeepEveryLineOfAFloodWholeAndInOrder() throws Exception {
        String padding = "0123456789abcdefghijklmnopqrstuvwxyz0123456789";
        int workers = 4;
        int lines = 20_000;
        tend = TendProcess.up(dir, """
                [pool.flood]
                command = ["sh", "-c", 'i=0; while [ $i -lt %d ]; do echo "$TEND_WORKER $i %s"; i=$((i+1)); done; exec cat']
                count = %d
                log_file = "log/flood.log"
                log_max_size = "1MiB"
                log_keep = 100
                """.formatted(lines, padding, workers));
        Pattern whole = Pattern.compile(TIME + " (flood\\.\\d) stdout \\| (flood\\.\\d) (\\d+) " + padding);
        Path file = dir.resolve("log/flood.log");
        // Read once every line is there: read while tend rotates, the files shift under the reader.
        Await.until(Duration.ofSeconds(120), "every line in the files", () -> {
            try {
                return chain(file).size() == workers * lines;
            } catch (IOException e) {
                return false;
            }
        });
        Map<String, Integer> counts = new HashMap<>();
        for (String line : chain(file)) {
            Matcher m = whole.matcher(line);
            assertTrue(m.matches(), "a whole line: " + line);
            assertEquals(m.group(1), m.group(2), line);
            int expected = counts.getOrDefault(m.group(1), 0);
            assertEquals(expected, Integer.parseInt(m.group(3)), "the next line of " + m.group(1));
            counts.put(m.group(1), expected + 1);
        }
        assertEquals(Map.of("flood.1", lines, "flood.2", lines, "flood.3", lines, "flood.4", lines), counts);
        assertTrue(Files.exists(LogFilesTest.rotated(file, 5)), "rotated");
    }

    @Test
    void shouldReportAnUnwritableFileOnceAndPrintItsLinesOnStdout() throws Exception {
        Files.writeString(dir.resolve("blocker"), "a file, where the log directory would be\n");
        tend = TendProcess.up(dir, """
                [pool.web]
                command = "echo one; echo two; exec cat"
                log_file = "blocker/{pool}.log"
                """);
        long pid = tend.awaitWorkerPid("web.1");
        // In the file's format: time, worker and stream.
        String two = TIME + " web\\.1 stdout \\| two";
        tend.awaitLine("the line on stdout", l -> l.matches(two));
        assertEquals(0, TendProcess.run(dir, "restart", "web").exitCode());
        String started = Await.value(TendProcess.WAIT, "web.1 started again", () -> tend.lines().stream()
                .filter(l -> l.contains("| web.1 started (pid ")).skip(1).findFirst().orElse(null));
        long second = Long.parseLong(started.replaceAll(".*\\(pid (\\d+)\\).*", "$1"));
        Await.until(TendProcess.WAIT, "the second run's lines",
                () -> tend.lines().stream().filter(l -> l.matches(two)).count() == 2);
        List<String> reports = tend.lines().stream().filter(l -> l.contains("cannot write log file")).toList();
        assertEquals(1, reports.size(), tend.stdout());
        assertTrue(reports.get(0).contains(dir.resolve("blocker/web.log") + ": " + dir.resolve("blocker")
                + " is not a directory; its lines go to tend's stdout until `tend reload`"), reports.get(0));
        assertTrue(pid != second && Processes.alive(second), "the worker runs");
        TendProcess.Result ps = TendProcess.run(dir, "ps");
        assertTrue(ps.stdout().contains("running"), ps.toString());
    }

    @Test
    void shouldPrintTheLinesOfAFullDiskOnStdout() throws Exception {
        tend = TendProcess.up(dir, """
                [pool.web]
                command = '%s'
                log_file = "/dev/full"
                """.formatted(burst(200)));
        tend.awaitLine("the last line on stdout", l -> l.matches(TIME + " web\\.1 stdout \\| run 1 line 199"));
        List<String> lines = tend.lines().stream().filter(l -> l.contains(" web.1 stdout | run 1 line ")).toList();
        for (int i = 0; i < 200; i++) {
            assertTrue(lines.get(i).endsWith(" web.1 stdout | run 1 line " + i), lines.get(i));
        }
        assertEquals(200, lines.size());
        assertEquals(1, tend.lines().stream().filter(l -> l.contains("cannot write log file /dev/full: No space left on device"))
                .count(), tend.stdout());
    }

    @Test
    void shouldRecreateAFileRemovedByLogrotateOnReload() throws Exception {
        tend = TendProcess.up(dir, """
                [pool.web]
                command = '%s'
                log_file = "log/{pool}.log"
                """.formatted(burst(3)));
        Path file = dir.resolve("log/web.log");
        awaitLine(file, "run 1 line 2");
        Files.move(file, dir.resolve("log/web.log.old"));
        assertEquals(0, TendProcess.run(dir, "reload").exitCode());
        assertEquals(0, TendProcess.run(dir, "restart", "web").exitCode());
        awaitLine(file, "run 2 line 2");
        assertFalse(Files.readString(dir.resolve("log/web.log.old")).contains("run 2"));
    }

    @Test
    void shouldMoveToANewFileOnReloadWithoutRestartingTheWorker() throws Exception {
        String toml = """
                [pool.web]
                command = "while :; do echo tick; sleep 0.05; done"
                log_file = "log/%s.log"
                """;
        tend = TendProcess.up(dir, toml.formatted("first"));
        awaitLine(dir.resolve("log/first.log"), "tick");
        Files.writeString(dir.resolve("tend.toml"), toml.formatted("second"));
        TendProcess.Result reload = TendProcess.run(dir, "reload");
        assertEquals(0, reload.exitCode(), reload.toString());
        awaitLine(dir.resolve("log/second.log"), "tick");
        assertEquals(1, tend.lines().stream().filter(l -> l.contains("| web.1 started (pid ")).count(), tend.stdout());
    }

    // ---- helpers ----

    private static Path rotated(Path file, int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    /** A file and its rotated copies, oldest first, as lines. */
    private static List<String> chain(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        int last = 0;
        while (Files.exists(file.resolveSibling(file.getFileName() + "." + (last + 1)))) {
            last++;
        }
        for (int n = last; n >= 1; n--) {
            out.addAll(Files.readAllLines(file.resolveSibling(file.getFileName() + "." + n), StandardCharsets.UTF_8));
        }
        if (Files.exists(file)) {
            out.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
        }
        return out;
    }

    private static List<String> awaitLines(Path file, int count) {
        return Await.value(TendProcess.WAIT, count + " lines in " + file, () -> {
            try {
                List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
                return lines.size() >= count ? lines : null;
            } catch (IOException e) {
                return null;
            }
        });
    }

    /** Waits for a line whose text (after the prefix) is {@code text}; returns the whole line. */
    private static String awaitLine(Path file, String text) {
        return Await.value(TendProcess.WAIT, "\"" + text + "\" in " + file, () -> {
            try {
                return Files.exists(file) ? Files.readAllLines(file).stream().filter(l -> text(l).equals(text))
                        .findFirst().orElse(null) : null;
            } catch (IOException e) {
                return null;
            }
        });
    }

    private static String matching(List<String> lines, String regex) {
        return lines.stream().filter(l -> l.matches(regex)).findFirst().orElse("no line matches " + regex);
    }

    /** The worker's text of a file line. */
    private static String text(String line) {
        int bar = line.indexOf(" | ");
        return bar < 0 ? "" : line.substring(bar + 3);
    }

    private static int number(String line) {
        String t = text(line);
        return Integer.parseInt(t.substring(t.lastIndexOf(' ') + 1));
    }
}
