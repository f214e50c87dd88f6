package dev.tend.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Facts about any process from {@code /proc/PID/stat}, and a pidfd for a process that is not our child.
 *
 * <p>A pid alone does not name a process for long: once the process is reaped the number can be given to
 * a new one. The pair (pid, {@linkplain #startTime start time}) does, which is what {@link #exists} checks;
 * use it for processes known only by number (recorded in a state file, found in {@code /proc}). For a
 * process that must be watched, {@link #pidfdOpen} is better still: the pidfd keeps referring to the
 * process it was opened for.
 *
 * <p>Every query answers empty (or false) when the process does not exist. A zombie still exists: its pid
 * stays taken until its parent reaps it.
 */
public final class ProcessInfo {
    // Field numbers of proc(5) for /proc/PID/stat, counted from 1 (pid) and 2 (comm).
    private static final int STATE = 3;
    private static final int PPID = 4;
    private static final int PGRP = 5;
    private static final int NUM_THREADS = 20;
    private static final int STARTTIME = 22;
    private static final int FIRST_AFTER_COMM = 3;

    private ProcessInfo() {}

    /**
     * What {@code /proc/PID/stat} says about a process, read in one go.
     *
     * @param state        the state letter: {@code R}, {@code S}, {@code D}, {@code Z} (zombie), {@code X}, …
     * @param parentPid    its parent's pid.
     * @param processGroup its process-group id.
     * @param threads      how many threads it has.
     * @param startTime    when it started, in clock ticks since boot.
     */
    public record Stat(char state, int parentPid, int processGroup, long threads, long startTime) {
        /** Whether it has exited and waits to be reaped. A zombie leader with live threads has not. */
        public boolean exited() {
            return (state == 'Z' || state == 'X') && threads <= 1;
        }
    }

    /**
     * Reads a process's stat.
     *
     * @return empty when there is no such process.
     * @throws IOException when it exists but cannot be read (or vanished while being read).
     */
    public static Optional<Stat> readStat(int pid) throws IOException {
        if (pid <= 0) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(Path.of("/proc", Integer.toString(pid), "stat"));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        // Latin-1 maps every byte to one char: comm may hold any bytes, the fields after it are ASCII.
        String[] f = fieldsAfterComm(new String(bytes, StandardCharsets.ISO_8859_1));
        if (f == null) {
            throw new IOException("unreadable /proc/" + pid + "/stat");
        }
        try {
            return Optional.of(new Stat(field(f, STATE).charAt(0), Integer.parseInt(field(f, PPID)),
                    Integer.parseInt(field(f, PGRP)), Long.parseLong(field(f, NUM_THREADS)),
                    Long.parseLong(field(f, STARTTIME))));
        } catch (NumberFormatException e) {
            throw new IOException("unreadable /proc/" + pid + "/stat: " + e.getMessage(), e);
        }
    }

    /** {@link #readStat}, with a process that cannot be read treated as gone. */
    private static Optional<Stat> stat(int pid) {
        try {
            return readStat(pid);
        } catch (IOException e) {
            // ESRCH from read() when it vanished while being read.
            return Optional.empty();
        }
    }

    /**
     * When the process started, in clock ticks since boot (field 22, {@code starttime}). Two processes
     * with the same pid and start time are the same process.
     */
    public static OptionalLong startTime(int pid) {
        return stat(pid).map(st -> OptionalLong.of(st.startTime())).orElse(OptionalLong.empty());
    }

    /**
     * Whether the process is running or sleeping, as opposed to a zombie waiting to be reaped (state
     * {@code Z}) or gone.
     */
    public static boolean isLive(int pid) {
        return stat(pid).map(st -> st.state() != 'Z' && st.state() != 'X').orElse(false);
    }

    /** The parent's pid (0 for a process whose parent is outside its PID namespace, such as PID 1). */
    public static OptionalInt parentPid(int pid) {
        return stat(pid).map(st -> OptionalInt.of(st.parentPid())).orElse(OptionalInt.empty());
    }

    /** The process-group id. */
    public static OptionalInt processGroup(int pid) {
        return stat(pid).map(st -> OptionalInt.of(st.processGroup())).orElse(OptionalInt.empty());
    }

    /**
     * Whether {@code pid} is still the process that had {@code startTime}: false once it is reaped, also
     * when a new process got the same number since.
     */
    public static boolean exists(int pid, long startTime) {
        OptionalLong now = startTime(pid);
        return now.isPresent() && now.getAsLong() == startTime;
    }

    /**
     * Opens a pidfd for any process, our child or not. It becomes readable (EPOLLIN) when the process
     * exits, so a {@link Reactor} can watch processes tend did not start, and it never refers to another
     * process even after the pid is reused. Close-on-exec; the caller closes it.
     *
     * @return the pidfd, or empty when no process has this pid.
     * @throws NativeException for any other failure, e.g. EINVAL when {@code pid} is a thread, not a process.
     */
    public static OptionalInt pidfdOpen(int pid) {
        if (pid <= 0) {
            throw new IllegalArgumentException("not a process id: " + pid);
        }
        try {
            return OptionalInt.of(Spawner.pidfdOpen(pid));
        } catch (NativeException e) {
            if (e.errno() == Errno.ESRCH) {
                return OptionalInt.empty();
            }
            throw e;
        }
    }

    private static String field(String[] fieldsAfterComm, int number) {
        return fieldsAfterComm[number - FIRST_AFTER_COMM];
    }

    /**
     * Splits a {@code /proc/PID/stat} line into its fields from field 3 ({@code state}) on, or null when
     * the line is not one. The comm field (field 2) is the executable's name in parentheses and may itself
     * contain spaces and parentheses, so the fields are found after the <em>last</em> {@code ')'}.
     */
    static String[] fieldsAfterComm(String line) {
        int close = line.lastIndexOf(')');
        if (close < 0 || close + 2 > line.length()) {
            return null;
        }
        String[] fields = line.substring(close + 2).trim().split(" ");
        return fields.length >= STARTTIME - FIRST_AFTER_COMM + 1 ? fields : null;
    }
}
