package dev.tend.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Looks at other processes through /proc. */
public final class Processes {
    private Processes() {}

    /** Whether the pid runs (a zombie counts as gone). */
    public static boolean alive(long pid) {
        try {
            List<String> status = Files.readAllLines(Path.of("/proc/" + pid + "/status"));
            return status.stream().noneMatch(l -> l.startsWith("State:") && l.contains("Z"));
        } catch (IOException e) {
            return false;
        }
    }

    /** A field of /proc/PID/status, such as {@code SigBlk}. */
    public static String statusField(long pid, String field) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(l -> l.startsWith(field + ":"))
                .map(l -> l.substring(field.length() + 1).trim())
                .findFirst().orElseThrow(() -> new IOException("no " + field + " in /proc/" + pid + "/status"));
    }

    /** Kills a process if it is still there; for test clean-up. */
    public static void killQuietly(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
}
