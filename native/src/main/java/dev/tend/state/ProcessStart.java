package dev.tend.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Process start times from {@code /proc/PID/stat}: a pid plus its start time names one process for the life
 * of the system, where a pid alone may have been recycled.
 */
final class ProcessStart {
    private ProcessStart() {}

    /** Field 22 of {@code /proc/PID/stat} (clock ticks after boot), or -1 when there is no such process. */
    static long ticks(long pid) {
        String stat;
        try {
            stat = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/stat")), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return -1;
        }
        // The command name (field 2) is in parentheses and may itself hold spaces and parentheses.
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return -1;
        }
        String[] fields = stat.substring(close + 1).trim().split(" ");
        int startTimeField = 22 - 3;
        return fields.length > startTimeField ? Long.parseLong(fields[startTimeField]) : -1;
    }

    /** Whether the process that had {@code ticks} as its start time still exists under {@code pid}. */
    static boolean isAlive(long pid, long ticks) {
        return pid > 0 && ticks >= 0 && ticks(pid) == ticks;
    }
}
