package dev.tend.logfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing and rotating real files, and what tend does when something else moved or emptied them. */
class LogFileSetTest {
    @TempDir
    Path dir;

    private final List<String> reports = new ArrayList<>();
    private final List<byte[]> spilled = new ArrayList<>();

    private static byte[] line(int i) {
        // 100 bytes with the newline.
        return String.format("%099d%n", i).getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void shouldRotateBeforeALineWouldPassTheSize() throws Exception {
        LogTarget target = new LogTarget(dir.resolve("web.log"), 4096, 2);
        try (LogFileSet files = new LogFileSet(reports::add, spilled::add)) {
            for (int i = 0; i < 150; i++) {
                files.write(target, line(i));
            }
        }
        // 40 lines (4000 bytes) per file: 0-39 rotated away, 40-79 in .2, 80-119 in .1, 120-149 in the current one.
        assertEquals(4000, Files.size(dir.resolve("web.log.2")));
        assertEquals(40, Integer.parseInt(Files.readAllLines(dir.resolve("web.log.2")).get(0)));
        assertEquals(80, Integer.parseInt(Files.readAllLines(dir.resolve("web.log.1")).get(0)));
        assertEquals(120, Integer.parseInt(Files.readAllLines(dir.resolve("web.log")).get(0)));
        assertEquals(3000, Files.size(dir.resolve("web.log")));
        assertFalse(Files.exists(dir.resolve("web.log.3")));
        assertEquals(List.of(), reports);
        assertEquals(List.of(), spilled);
    }

    @Test
    void shouldEmptyTheFileWhenKeepingNone() throws Exception {
        LogTarget target = new LogTarget(dir.resolve("web.log"), 4096, 0);
        try (LogFileSet files = new LogFileSet(reports::add, spilled::add)) {
            for (int i = 0; i < 45; i++) {
                files.write(target, line(i));
            }
        }
        assertEquals(5, Files.readAllLines(dir.resolve("web.log")).size());
        assertFalse(Files.exists(dir.resolve("web.log.1")));
    }

    @Test
    void shouldCountFromTheRealSizeAfterCopytruncate() throws Exception {
        Path file = dir.resolve("web.log");
        LogTarget target = new LogTarget(file, 4096, 2);
        try (LogFileSet files = new LogFileSet(reports::add, spilled::add)) {
            for (int i = 0; i < 30; i++) {
                files.write(target, line(i));
            }
            files.flush();
            // logrotate's copytruncate: copies the file, then empties it under tend's open descriptor.
            Files.copy(file, dir.resolve("web.log.copy"));
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(0);
            }
            for (int i = 30; i < 60; i++) {
                files.write(target, line(i));
            }
        }
        // Appended at the new end, and not rotated: 30 lines fit.
        assertEquals(30, Files.readAllLines(file).size());
        assertFalse(Files.exists(dir.resolve("web.log.1")));
    }

    @Test
    void shouldRecreateAFileMovedAwayAtTheNextRotationCheck() throws Exception {
        Path file = dir.resolve("web.log");
        LogTarget target = new LogTarget(file, 4096, 2);
        try (LogFileSet files = new LogFileSet(reports::add, spilled::add)) {
            for (int i = 0; i < 30; i++) {
                files.write(target, line(i));
            }
            files.flush();
            Files.move(file, dir.resolve("elsewhere.log"));
            for (int i = 30; i < 50; i++) {
                files.write(target, line(i));
            }
        }
        // Lines 30-39 still reached the moved file; at the size check tend opened a new one.
        assertEquals(40, Files.readAllLines(dir.resolve("elsewhere.log")).size());
        assertEquals(10, Files.readAllLines(file).size());
        assertFalse(Files.exists(dir.resolve("web.log.1")));
    }

    @Test
    void shouldReportAFileThatCannotBeOpenedOnceAndTryAgainAfterReopen() throws Exception {
        Files.writeString(dir.resolve("blocker"), "a file\n");
        LogTarget target = new LogTarget(dir.resolve("blocker/web.log"), 4096, 2);
        try (LogFileSet files = new LogFileSet(reports::add, spilled::add)) {
            files.write(target, line(1));
            files.write(target, line(2));
            assertEquals(2, spilled.size(), "the lines go elsewhere");
            assertEquals(1, reports.size(), reports.toString());
            assertTrue(reports.get(0).startsWith("cannot write log file " + target.path() + ": " + dir.resolve("blocker")
                    + " is not a directory; "), reports.get(0));
            Files.delete(dir.resolve("blocker"));
            files.write(target, line(3));
            assertEquals(3, spilled.size(), "still given up until reopened");
            files.reopen();
            files.write(target, line(4));
            assertEquals(3, spilled.size());
        }
        assertEquals(List.of(String.format("%099d", 4)), Files.readAllLines(target.path()));
    }

    @Test
    void shouldSpillEveryBufferedLineWhenTheDiskIsFull() {
        // /dev/full: every write fails with ENOSPC, as on a full disk.
        LogTarget target = new LogTarget(Path.of("/dev/full"), 0, 0);
        try (LogFileSet files = new LogFileSet(reports::add, spilled::add)) {
            files.write(target, line(1));
            files.write(target, line(2));
            assertEquals(List.of(), spilled, "buffered");
            files.flush();
            files.write(target, line(3));
        }
        assertEquals(1, reports.size(), reports.toString());
        assertEquals("cannot write log file /dev/full: No space left on device; its lines go to tend's stdout until"
                + " `tend reload` (or SIGHUP) opens it again", reports.get(0));
        StringBuilder all = new StringBuilder();
        spilled.forEach(b -> all.append(new String(b, StandardCharsets.US_ASCII)));
        assertEquals(new String(line(1)) + new String(line(2)) + new String(line(3)), all.toString());
    }
}
