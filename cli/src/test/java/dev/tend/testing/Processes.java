package dev.tend.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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

    /** The numbers of the descriptors a process holds open, sorted as text; empty once it is gone. */
    public static Set<String> descriptors(long pid) {
        try (Stream<Path> list = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return list.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            return Set.of();
        }
    }

    /** Kills a process if it is still there; for test clean-up. */
    public static void killQuietly(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
}
