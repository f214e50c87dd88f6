package dev.tend.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * The kernel's per-user limit on inotify watches ({@code fs.inotify.max_user_watches}) or instances
 * ({@code fs.inotify.max_user_instances}) is reached. The message names the sysctl, its current value and
 * how to raise it; the limit is shared by every program the user runs (editors, IDEs, file indexers).
 */
public final class WatchLimitException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The sysctl limiting the number of watches per user. */
    public static final String WATCHES = "fs.inotify.max_user_watches";
    /** The sysctl limiting the number of inotify instances per user. */
    public static final String INSTANCES = "fs.inotify.max_user_instances";

    private final String sysctl;

    WatchLimitException(String sysctl, Path path, NativeException cause) {
        super(message(sysctl, path, current(sysctl)), cause);
        this.sysctl = sysctl;
    }

    /** The sysctl whose limit was reached: {@link #WATCHES} or {@link #INSTANCES}. */
    public String sysctl() {
        return sysctl;
    }

    /**
     * The message for a reached limit.
     *
     * @param sysctl  {@link #WATCHES} or {@link #INSTANCES}.
     * @param path    the directory that could not be watched, or null.
     * @param current the limit's value now, if it could be read.
     */
    public static String message(String sysctl, Path path, OptionalLong current) {
        boolean watches = sysctl.equals(WATCHES);
        long suggested = watches ? 524_288 : 1024;
        if (current.isPresent() && current.getAsLong() >= suggested) {
            suggested = current.getAsLong() * 2;
        }
        return (path == null ? "" : "cannot watch " + path + ": ")
                + "the kernel's limit on inotify " + (watches ? "watches" : "instances") + " per user is reached ("
                + sysctl + " = " + (current.isPresent() ? Long.toString(current.getAsLong()) : "unknown")
                + ", shared by every program of this user, editors and IDEs included); raise it with"
                + " `sudo sysctl " + sysctl + "=" + suggested + "`, and keep it across reboots with a line "
                + sysctl + " = " + suggested + " in /etc/sysctl.d/60-inotify.conf";
    }

    /**
     * The limit in force: the value of a {@code fs.inotify} sysctl, from {@code /proc/sys}, or the lower one of
     * the user namespace tend runs in ({@code user.max_inotify_*}, which containers may set).
     */
    public static OptionalLong current(String sysctl) {
        OptionalLong global = read(sysctl);
        OptionalLong namespace = read(sysctl.equals(WATCHES) ? "user.max_inotify_watches" : "user.max_inotify_instances");
        if (namespace.isPresent() && (global.isEmpty() || namespace.getAsLong() < global.getAsLong())) {
            return namespace;
        }
        return global;
    }

    private static OptionalLong read(String sysctl) {
        // Not Files.readString: it reads as many bytes as the file's size, which /proc/sys gives as 0 (JDK 17 then
        // returns the first byte only).
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/sys", sysctl.replace('.', '/')));
            return lines.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException | SecurityException e) {
            return OptionalLong.empty();
        }
    }
}
