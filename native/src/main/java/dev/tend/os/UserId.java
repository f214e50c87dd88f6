package dev.tend.os;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The real user id of this process, as {@code getuid(2)} returns it, read from {@code /proc/self/status}
 * through the JDK alone.
 *
 * <p>For client commands, which look for an instance's runtime directory (named after the uid) and must not
 * pay for loading JNA and its native library to learn one number. The {@code Uid:} line of
 * {@code /proc/self/status} lists the real, effective, saved and filesystem uids; the first is the real one.
 * (The owner of {@code /proc/self} would be the effective uid, or root for a process that is not dumpable.)
 */
public final class UserId {
    private static final Path STATUS = Path.of("/proc/self/status");

    private UserId() {}

    /**
     * The real uid of this process.
     *
     * @throws UncheckedIOException when {@code /proc} is not mounted.
     */
    public static int real() {
        List<String> lines;
        try {
            lines = Files.readAllLines(STATUS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + STATUS + " (is /proc mounted?)", e);
        }
        for (String line : lines) {
            if (line.startsWith("Uid:")) {
                String ids = line.substring("Uid:".length()).strip();
                int end = 0;
                while (end < ids.length() && Character.isDigit(ids.charAt(end))) {
                    end++;
                }
                return Integer.parseInt(ids.substring(0, end));
            }
        }
        throw new IllegalStateException(STATUS + " has no Uid: line");
    }
}
