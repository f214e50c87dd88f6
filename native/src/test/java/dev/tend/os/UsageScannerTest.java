package dev.tend.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsageScannerTest {
    private static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin", "LC_ALL", "C");
    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    /** A shell script that holds {@code $1} bytes in a variable, then waits. */
    private Path hog() throws IOException {
        Path script = dir.resolve("hog.sh");
        Files.writeString(script, "#!/bin/sh\nx=$(head -c \"$1\" /dev/zero | tr '\\0' x)\nwhile :; do sleep 600; done\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private static ChildProcess start(String... argv) {
        return Spawner.spawn(new SpawnRequest(Path.of(argv[0]), List.of(argv), Path.of("/"), ENV, 0, -1));
    }

    @Test
    void shouldSumMemoryOverTheProcessGroup() throws IOException {
        Path hog = hog();
        UsageScanner scanner = new UsageScanner();
        // The group's leader is a shell; the memory is held by its two children, in the same group.
        try (ChildProcess group = start("/bin/sh", "-c", hog + " 40000000 & " + hog + " 40000000 & wait");
             ChildProcess other = start("/bin/sleep", "600")) {
            int[] groups = {group.pid(), other.pid()};
            UsageScanner.Sample[] last = new UsageScanner.Sample[1];
            Await.until(Duration.ofSeconds(30), "both children holding 40 MB", () -> {
                last[0] = scanner.scan(groups);
                UsageScanner.Usage u = last[0].groups().get(group.pid());
                return u != null && u.rssBytes() >= 80_000_000;
            });
            UsageScanner.Usage used = last[0].groups().get(group.pid());
            assertTrue(used.processes() >= 3, "the shell and both children: " + used);
            UsageScanner.Usage sleep = last[0].groups().get(other.pid());
            assertEquals(1, sleep.processes());
            assertTrue(sleep.rssBytes() > 0 && sleep.rssBytes() < 20 * MIB, "sleep alone: " + sleep);
            assertTrue(last[0].self().rssBytes() > 20 * MIB, "this JVM: " + last[0].self());
            group.signalGroup(Signal.KILL);
            other.signal(Signal.KILL);
        }
    }

    @Test
    void shouldCountCpuTimeOfChildrenThatEnded() {
        UsageScanner scanner = new UsageScanner();
        // Each child burns CPU and ends; its time moves to the shell's (cutime) once the shell has waited for it.
        try (ChildProcess group = start("/bin/sh", "-c",
                "for n in 1 2 3; do sh -c 'i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done'; done; exec sleep 600")) {
            int[] groups = {group.pid()};
            Await.until(Duration.ofSeconds(60), "the busy children done, the sleep left",
                    () -> comm(group.pid()).equals("sleep"));
            UsageScanner.Usage used = scanner.scan(groups).groups().get(group.pid());
            assertEquals(1, used.processes(), used.toString());
            assertTrue(used.cpuNanos() >= 100_000_000L, "three busy loops: " + used);
            group.signal(Signal.KILL);
        }
    }

    @Test
    void shouldLeaveOutGroupsWithoutProcesses() {
        UsageScanner.Sample sample = new UsageScanner().scan(new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE});
        assertFalse(sample.groups().containsKey(Integer.MAX_VALUE));
        assertTrue(sample.self().cpuNanos() > 0, "this JVM ran: " + sample.self());
    }

    @Test
    void shouldParseFieldsAfterTheLastParenthesis() {
        StringBuilder line = new StringBuilder("123 (x) (y) 9) S 77 88 99");
        for (int field = 7; field <= 52; field++) {
            line.append(' ').append(field == 16 ? -3 : field);
        }
        line.append('\n');
        long[] fields = new long[25];
        assertTrue(UsageScanner.parse(ByteBuffer.wrap(line.toString().getBytes(StandardCharsets.ISO_8859_1)), fields));
        assertEquals(77, fields[4]);
        assertEquals(88, fields[5]);
        assertEquals(14, fields[14]);
        assertEquals(-3, fields[16]);
        assertEquals(24, fields[24]);
        assertFalse(UsageScanner.parse(ByteBuffer.wrap("1 (short) S 1 2".getBytes(StandardCharsets.ISO_8859_1)), fields));
        assertFalse(UsageScanner.parse(ByteBuffer.wrap("1 (none S 1 2".getBytes(StandardCharsets.ISO_8859_1)), fields));
    }

    @Test
    void shouldTakeOnlyNumbersForPids() {
        assertEquals(1, UsageScanner.pid("1"));
        assertEquals(4194304, UsageScanner.pid("4194304"));
        assertEquals(-1, UsageScanner.pid("self"));
        assertEquals(-1, UsageScanner.pid("1a"));
        assertEquals(-1, UsageScanner.pid(""));
        assertEquals(-1, UsageScanner.pid("99999999999"));
    }

    private static String comm(int pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/comm")).strip();
        } catch (IOException e) {
            return "";
        }
    }
}
