package dev.tend.os;

import com.sun.jna.Native;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time and resident memory of process groups, summed in one scan of {@code /proc}: a worker is a process
 * group leader and its children share its group, so a group's figures are those of the worker with everything it
 * started (unless a child moved to a group of its own). The same scan reads the calling process's own figures.
 *
 * <p>A scan reads {@code /proc/PID/stat} of every process on the machine (the kernel offers no index by group):
 * one {@code open}, {@code read} and {@code close} each, into a buffer reused from scan to scan, parsed in place
 * without a regex or a string per field. Names in {@code /proc} that are not numbers are skipped, and a process
 * that ends while being read is left out. Not thread-safe: one scanner per thread.
 */
public final class UsageScanner {
    // Field numbers of proc(5) for /proc/PID/stat, counted from 1 (pid) and 2 (comm).
    private static final int PGRP = 5;
    private static final int UTIME = 14;
    private static final int STIME = 15;
    private static final int CUTIME = 16;
    private static final int CSTIME = 17;
    private static final int RSS = 24;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final Path PROC = Path.of("/proc");
    private static final byte[] PREFIX = {'/', 'p', 'r', 'o', 'c', '/'};
    private static final byte[] SUFFIX = {'/', 's', 't', 'a', 't', 0};

    /**
     * What a process group, or one process, used.
     *
     * @param cpuNanos  CPU time (user and system) of its live processes since they started, together with that of
     *                  the children they waited for: a short-lived child's time is not lost when it ends.
     * @param rssBytes  resident memory, summed over its processes (a page shared between them counts in each).
     * @param processes how many processes it has.
     */
    public record Usage(long cpuNanos, long rssBytes, int processes) {}

    /**
     * One scan.
     *
     * @param groups what each asked-for group used, for the groups that have at least one process.
     * @param self   what the calling process used; its own CPU time only, not that of the children it reaped
     *               (a supervisor reaps its workers, whose time would otherwise count as its own).
     */
    public record Sample(Map<Integer, Usage> groups, Usage self) {
        public Sample {
            groups = Map.copyOf(groups);
        }
    }

    private final long nanosPerTick;
    private final long pageSize;
    private final int self = LibC.getpid();
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(4096);
    private final byte[] path = new byte[PREFIX.length + 11 + SUFFIX.length];
    private final long[] fields = new long[RSS + 1];
    private int[] groups = new int[0];
    private long[] cpuTicks = new long[0];
    private long[] rssPages = new long[0];
    private int[] processes = new int[0];

    /** A scanner with the system's page size and clock-tick rate ({@code sysconf}). */
    public UsageScanner() {
        long ticks = LibC.sysconf(LibC.SC_CLK_TCK);
        long page = LibC.sysconf(LibC.SC_PAGESIZE);
        if (ticks <= 0 || page <= 0) {
            throw new NativeException("sysconf", "_SC_CLK_TCK or _SC_PAGESIZE", Native.getLastError());
        }
        this.nanosPerTick = NANOS_PER_SECOND / ticks;
        this.pageSize = page;
        System.arraycopy(PREFIX, 0, path, 0, PREFIX.length);
    }

    /**
     * Scans {@code /proc} once.
     *
     * @param processGroups the process-group ids to sum usage for (duplicates are harmless).
     * @throws UncheckedIOException when {@code /proc} cannot be listed.
     */
    public Sample scan(int[] processGroups) {
        prepare(processGroups);
        long ownTicks = 0;
        long ownPages = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC)) {
            for (Path entry : entries) {
                int pid = pid(entry.getFileName().toString());
                if (pid <= 0 || !readStat(pid)) {
                    continue;
                }
                if (pid == self) {
                    ownTicks = fields[UTIME] + fields[STIME];
                    ownPages = fields[RSS];
                }
                int i = Arrays.binarySearch(groups, (int) fields[PGRP]);
                if (i >= 0) {
                    cpuTicks[i] += fields[UTIME] + fields[STIME] + fields[CUTIME] + fields[CSTIME];
                    rssPages[i] += fields[RSS];
                    processes[i]++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list /proc", e);
        }
        Map<Integer, Usage> found = new HashMap<>();
        for (int i = 0; i < groups.length; i++) {
            if (processes[i] > 0) {
                found.put(groups[i], new Usage(cpuTicks[i] * nanosPerTick, rssPages[i] * pageSize, processes[i]));
            }
        }
        return new Sample(found, new Usage(ownTicks * nanosPerTick, ownPages * pageSize, 1));
    }

    private void prepare(int[] processGroups) {
        int[] sorted = processGroups.clone();
        Arrays.sort(sorted);
        int n = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                sorted[n++] = sorted[i];
            }
        }
        groups = Arrays.copyOf(sorted, n);
        if (cpuTicks.length != n) {
            cpuTicks = new long[n];
            rssPages = new long[n];
            processes = new int[n];
        } else {
            Arrays.fill(cpuTicks, 0);
            Arrays.fill(rssPages, 0);
            Arrays.fill(processes, 0);
        }
    }

    /** The pid a name in {@code /proc} stands for, or -1 for the names that are not processes. */
    static int pid(String name) {
        int n = name.length();
        if (n == 0 || n > 10) {
            return -1;
        }
        long pid = 0;
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            pid = pid * 10 + (c - '0');
        }
        return pid <= Integer.MAX_VALUE ? (int) pid : -1;
    }

    /** Reads {@code /proc/PID/stat} into {@link #fields}; false when the process is gone or the line unreadable. */
    private boolean readStat(int pid) {
        int end = PREFIX.length;
        int digits = Integer.toString(pid).length();
        for (int i = digits - 1, rest = pid; i >= 0; i--, rest /= 10) {
            path[end + i] = (byte) ('0' + rest % 10);
        }
        end += digits;
        System.arraycopy(SUFFIX, 0, path, end, SUFFIX.length);
        int fd = LibC.open(path, LibC.O_RDONLY | LibC.O_CLOEXEC, 0);
        if (fd < 0) {
            return false;
        }
        try {
            buffer.clear();
            while (buffer.hasRemaining()) {
                long n = LibC.read(fd, buffer, buffer.remaining());
                if (n < 0 && Native.getLastError() == Errno.EINTR) {
                    continue;
                }
                if (n <= 0) {
                    break;
                }
                buffer.position(buffer.position() + (int) n);
            }
        } finally {
            LibC.close(fd);
        }
        buffer.flip();
        return parse(buffer, fields);
    }

    /**
     * Parses a {@code /proc/PID/stat} line: the numeric fields from {@code state}'s successor up to {@code rss}
     * into {@code into}, indexed by their field number. The comm field (field 2) may hold spaces and parentheses,
     * so the fields start after the last {@code ')'}.
     */
    static boolean parse(ByteBuffer line, long[] into) {
        int close = -1;
        for (int i = line.limit() - 1; i >= 0; i--) {
            if (line.get(i) == ')') {
                close = i;
                break;
            }
        }
        // ") S " then field 4 (ppid) on.
        int at = close + 4;
        if (close < 0 || at >= line.limit()) {
            return false;
        }
        int field = 4;
        while (field < into.length) {
            boolean negative = at < line.limit() && line.get(at) == '-';
            if (negative) {
                at++;
            }
            long value = 0;
            int start = at;
            while (at < line.limit()) {
                byte b = line.get(at);
                if (b < '0' || b > '9') {
                    break;
                }
                value = value * 10 + (b - '0');
                at++;
            }
            if (at == start) {
                return false;
            }
            into[field++] = negative ? -value : value;
            if (field < into.length && (at >= line.limit() || line.get(at) != ' ')) {
                return false;
            }
            at++;
        }
        return true;
    }
}
