package dev.tend.logfile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.engine.LogLine;
import dev.tend.protocol.LogFiles;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The line format, time stamps, and the merge of files with tend's memory that {@code tend logs} prints. */
class LogHistoryTest {
    private static final long T = 1_796_378_400_000L; // 2026-12-04T10:00:00Z

    @TempDir
    Path dir;

    private static LogLine line(long millis, String source, LogLine.Channel channel, String text) {
        return LogLine.ofText(0, millis, source, channel, text);
    }

    @Test
    void shouldFormatTimeWithMillisecondsAndOffset() {
        LogTime paris = new LogTime(ZoneOffset.ofHours(1));
        assertEquals("2026-12-04T11:00:00.007+01:00", paris.format(T + 7));
        assertEquals("2026-12-04T11:00:01.230+01:00", paris.format(T + 1230));
        assertEquals("2026-12-04T10:00:00.000+00:00", new LogTime(ZoneOffset.UTC).format(T));
        LogTime.Reader reader = new LogTime.Reader();
        for (long t = T - 2500; t < T + 2500; t += 37) {
            assertEquals(t, reader.parse(paris.format(t)));
        }
    }

    @Test
    void shouldReadBackALineWithTheWorkersBytesUnchanged() {
        byte[] text = {'a', (byte) 0xff, ' ', '|', ' ', 'b'};
        LogLine written = new LogLine(5, T + 42, "web.2", LogLine.Channel.STDERR, text);
        byte[] file = LogFileLine.format(written, new LogTime(ZoneOffset.UTC));
        assertEquals("2026-12-04T10:00:00.042+00:00 web.2 stderr | ", new String(file, 0, 45));
        LogLine read = LogFileLine.parse(file, file.length - 1).orElseThrow();
        assertEquals(T + 42, read.epochMillis());
        assertEquals("web.2", read.source());
        assertEquals(LogLine.Channel.STDERR, read.channel());
        assertArrayEquals(text, read.bytes());
        assertTrue(LogFileLine.parse("not a log line".getBytes(), 14).isEmpty());
    }

    @Test
    void shouldPrintALineOnceWhetherInTheFileInMemoryOrBoth() throws Exception {
        Path file = dir.resolve("web.log");
        LogTime utc = new LogTime(ZoneOffset.UTC);
        LogLine a = line(T, "web.1", LogLine.Channel.STDOUT, "a");
        LogLine b = line(T, "web.1", LogLine.Channel.STDOUT, "b");
        LogLine other = line(T + 1, "web.2", LogLine.Channel.STDOUT, "other");
        LogLine c = line(T + 1, "web.1", LogLine.Channel.STDOUT, "c");
        // Rotated: the oldest line is in web.log.1.
        LogLine old = line(T - 5000, "web.1", LogLine.Channel.STDOUT, "rotated away");
        write(dir.resolve("web.log.1"), utc, a);
        write(file, utc, b, other, c);
        LogLine d = line(T + 1, "web.1", LogLine.Channel.STDOUT, "d (same millisecond as c, not yet in the file)");
        LogLine e = line(T + 2, "web.1", LogLine.Channel.STDERR, "e");
        LogLine tend = line(T + 1, "tend", LogLine.Channel.NOTICE, "web.2 started");

        LogHistory history = new LogHistory(s -> s.equals("web.1"), Long.MIN_VALUE, 100, w -> { });
        for (LogLine l : List.of(old, a, b, tend, c, d, e)) {
            history.fromMemory(l);
        }
        String path = file.toString();
        List<LogLine> printed = history.read(new LogFiles(List.of(new LogFiles.Route("web.1", "stdout", path),
                new LogFiles.Route("web.1", "stderr", path))));
        // Files carry no sequence numbers: within a millisecond, the files' lines come before those from memory.
        assertEquals(List.of("rotated away", "a", "b", "c", "web.2 started", "d (same millisecond as c, not yet in the file)",
                "e"), texts(printed));

        assertTrue(history.admit(line(T + 3, "web.1", LogLine.Channel.STDOUT, "f")));
    }

    @Test
    void shouldDropAFollowedLineThatTheFileAlreadyHad() throws Exception {
        // x came after the lines tend sent from memory, but was written before tend logs read the file.
        Path file = dir.resolve("web.log");
        LogLine a = line(T, "web.1", LogLine.Channel.STDOUT, "a");
        LogLine x = line(T + 2, "web.1", LogLine.Channel.STDOUT, "x");
        write(file, new LogTime(ZoneOffset.UTC), a, x);
        LogHistory history = new LogHistory(s -> true, Long.MIN_VALUE, 100, w -> { });
        history.fromMemory(a);
        assertEquals(List.of("a", "x"), texts(history.read(new LogFiles(List.of(
                new LogFiles.Route("web.1", "stdout", file.toString()))))));
        assertFalse(history.admit(x));
        assertTrue(history.admit(line(T + 2, "web.1", LogLine.Channel.STDOUT, "y, in the same millisecond")));
        assertTrue(history.admit(line(T + 3, "web.1", LogLine.Channel.STDOUT, "z")));
    }

    @Test
    void shouldKeepTheLastLinesSinceATime() throws Exception {
        Path file = dir.resolve("web.log");
        LogTime utc = new LogTime(ZoneOffset.UTC);
        List<LogLine> lines = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            lines.add(line(T + 1000L * i, "web.1", LogLine.Channel.STDOUT, "line " + i));
        }
        write(file, utc, lines.toArray(LogLine[]::new));
        LogFiles files = new LogFiles(List.of(new LogFiles.Route("web.1", "stdout", file.toString())));
        assertEquals(List.of("line 8", "line 9"), texts(new LogHistory(s -> true, Long.MIN_VALUE, 2, w -> { }).read(files)));
        assertEquals(List.of("line 5", "line 6", "line 7", "line 8", "line 9"),
                texts(new LogHistory(s -> true, T + 5000, Integer.MAX_VALUE, w -> { }).read(files)));
    }

    @Test
    void shouldReadTheFilesFromTheirEndsAsFarBackAsTheHistoryNeeds() throws Exception {
        // 600 lines of two workers over three files (one line longer than a block of reading, two lines in each
        // millisecond), a line being written at the end; memory has the last 50, two not yet written and tend's.
        Path file = dir.resolve("web.log");
        LogTime utc = new LogTime(ZoneOffset.UTC);
        List<LogLine> all = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            String text = i == 250 ? "long ".repeat(30_000) : "line " + i + " " + "x".repeat(i % 300);
            all.add(line(T + 10L * (i / 2), "web." + (1 + i % 2), LogLine.Channel.STDOUT, text));
        }
        write(dir.resolve("web.log.2"), utc, all.subList(0, 200).toArray(LogLine[]::new));
        write(dir.resolve("web.log.1"), utc, all.subList(200, 400).toArray(LogLine[]::new));
        write(file, utc, all.subList(400, 600).toArray(LogLine[]::new));
        Files.write(file, "2026-12-04T10:00:09.990+00:00 web.1 stdout | being wri".getBytes(),
                StandardOpenOption.APPEND);
        List<LogLine> unwritten = List.of(line(T + 9000, "web.1", LogLine.Channel.STDOUT, "not yet written"),
                line(T + 9001, "tend", LogLine.Channel.NOTICE, "tend's"));
        List<LogLine> everything = new ArrayList<>(all);
        everything.addAll(unwritten);
        LogFiles files = new LogFiles(List.of(new LogFiles.Route("web.1", "stdout", file.toString()),
                new LogFiles.Route("web.2", "stdout", file.toString())));
        for (List<String> targets : List.of(List.<String>of(), List.of("web.2"), List.of("web", "tend"))) {
            for (long since : new long[] {Long.MIN_VALUE, T + 2005, T + 2000}) {
                for (int limit : new int[] {0, 1, 2, 7, 64, 250, 700}) {
                    LogHistory history = new LogHistory(LogReplay.sources(targets), since, limit, w -> { });
                    // tend sends the targets' lines from memory.
                    Stream.concat(all.subList(550, 600).stream(), unwritten.stream())
                            .filter(l -> LogReplay.sources(targets).test(l.source())).forEach(history::fromMemory);
                    List<String> expected = everything.stream()
                            .filter(l -> LogReplay.sources(targets).test(l.source()) && l.epochMillis() >= since)
                            .map(LogLine::text).toList();
                    expected = expected.subList(Math.max(0, expected.size() - limit), expected.size());
                    assertEquals(expected, texts(history.read(files)), targets + " since " + since + " limit " + limit);
                }
            }
        }
        // Bounded: the last lines take one block of reading, every line takes all three files.
        assertEquals(2, new LogHistory(s -> true, Long.MIN_VALUE, 2, w -> { }, 64 << 10).read(files).size());
        assertThrows(LogHistory.TooLong.class,
                () -> new LogHistory(s -> true, Long.MIN_VALUE, Integer.MAX_VALUE, w -> { }, 64 << 10).read(files));
    }

    private static void write(Path file, LogTime time, LogLine... lines) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (LogLine l : lines) {
            out.write(LogFileLine.format(l, time));
        }
        Files.write(file, out.toByteArray());
    }

    private static List<String> texts(List<LogLine> lines) {
        return lines.stream().map(LogLine::text).toList();
    }
}
