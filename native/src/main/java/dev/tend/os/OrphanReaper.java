package dev.tend.os;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * Reaps the children of this process that nobody else reaps: orphans the kernel re-parented to us because
 * we are a {@linkplain Subreaper subreaper} or PID 1, and lists children and descendants so a supervisor
 * can kill what escaped its workers' process groups at shutdown.
 *
 * <h2>Why children are enumerated instead of asking waitid for any child</h2>
 * The usual init loop, {@code waitid(P_ALL, …, WNOHANG)}, would also reap the supervisor's own workers,
 * whose exit statuses belong to their pidfds ({@link ChildProcess#tryReap()}); once stolen, a status is
 * lost. Peeking with {@code WNOWAIT} does not help either: it keeps answering with the same first zombie,
 * and when that one is a managed worker whose turn has not come, every orphan behind it stays a zombie.
 * So {@link #sweep} lists our children from {@code /proc/self/task/TID/children} and waits only for
 * the pids it was told are not managed, each with {@code waitid(P_PID, pid, WEXITED | WNOHANG)}.
 *
 * <h2>Races the caller must rule out</h2>
 * A child spawned but not yet known as managed looks like an orphan: start children and run sweeps on the
 * same thread (the event loop), so registration completes before the next sweep. Children started by
 * {@link ProcessBuilder} are children too; if any exist, {@code managed} must cover them, or the JDK reports
 * exit code 0 for those it lost.
 *
 * <h2>What it may miss</h2>
 * {@code /proc} reads are not atomic: a child can be missed when its parent thread exits during the read
 * (its children move to another thread). Sweep again on every SIGCHLD and on a timer; signals coalesce
 * anyway, so a periodic sweep is needed regardless.
 */
public final class OrphanReaper {
    /** A child reaped by {@link #sweep}: its pid (free for reuse now) and how it ended. */
    public record Reaped(int pid, ExitStatus status) {}

    private static volatile Boolean childrenFiles;

    private OrphanReaper() {}

    /**
     * Reaps, without blocking, every exited child whose pid {@code managed} rejects. Children still running
     * and managed children (exited or not) are left alone.
     *
     * @param managed true for the pids reaped elsewhere (the supervisor's workers); called once per child.
     * @return the children reaped, in no particular order.
     */
    public static List<Reaped> sweep(IntPredicate managed) {
        List<Reaped> reaped = new ArrayList<>();
        try (Memory info = new Memory(LibC.SIGINFO_SIZE)) {
            for (int pid : children()) {
                if (!managed.test(pid)) {
                    reap(pid, info).ifPresent(status -> reaped.add(new Reaped(pid, status)));
                }
            }
        }
        return reaped;
    }

    private static Optional<ExitStatus> reap(int pid, Memory info) {
        info.clear();
        while (LibC.waitid(LibC.P_PID, pid, info, LibC.WEXITED | LibC.WNOHANG) != 0) {
            int errno = Native.getLastError();
            if (errno == Errno.ECHILD) {
                // Reaped by someone else between the listing and now.
                return Optional.empty();
            }
            if (errno != Errno.EINTR) {
                throw new NativeException("waitid", "pid " + pid, errno);
            }
        }
        if (info.getInt(16) == 0) {
            return Optional.empty();
        }
        return Optional.of(ExitStatus.fromSiginfo(info.getInt(8), info.getInt(24)));
    }

    /** The pids of this process's children (zombies included), in no particular order. */
    public static List<Integer> children() {
        return List.copyOf(childrenOf(LibC.getpid()));
    }

    /**
     * Every process below this one: children, their children, and so on, parents before their children.
     * A snapshot: processes may start and end while it is taken.
     */
    public static List<Integer> descendants() {
        int self = LibC.getpid();
        Map<Integer, List<Integer>> byParent = hasChildrenFiles() ? null : childrenByParent();
        Set<Integer> found = new LinkedHashSet<>();
        Deque<Integer> queue = new ArrayDeque<>();
        queue.add(self);
        while (!queue.isEmpty()) {
            int parent = queue.poll();
            Iterable<Integer> kids = byParent != null ? byParent.getOrDefault(parent, List.of()) : childrenOf(parent);
            for (int kid : kids) {
                // The set also breaks cycles a pid reused during the walk could create.
                if (kid != self && found.add(kid)) {
                    queue.add(kid);
                }
            }
        }
        return List.copyOf(found);
    }

    /** Children of any process, from the {@code children} file of each of its threads. */
    static Set<Integer> childrenOf(int pid) {
        if (!hasChildrenFiles()) {
            return childrenFromStat(pid);
        }
        Set<Integer> children = new LinkedHashSet<>();
        // Every thread: a child belongs to the thread that forked it, not to the process.
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Integer.toString(pid), "task"))) {
            for (Path task : tasks) {
                String text;
                try {
                    text = Files.readString(task.resolve("children"), StandardCharsets.US_ASCII);
                } catch (IOException e) {
                    continue; // the thread ended meanwhile
                }
                for (String token : text.trim().split(" ")) {
                    if (!token.isEmpty()) {
                        children.add(Integer.parseInt(token));
                    }
                }
            }
        } catch (IOException e) {
            return Set.of(); // the process is gone
        }
        return children;
    }

    /**
     * Fallback for kernels without {@code CONFIG_PROC_CHILDREN}: every process whose parent (field 4 of
     * {@code /proc/PID/stat}) is {@code parent}. Costs a read per process on the system.
     */
    static Set<Integer> childrenFromStat(int parent) {
        return new LinkedHashSet<>(childrenByParent().getOrDefault(parent, List.of()));
    }

    private static Map<Integer, List<Integer>> childrenByParent() {
        Map<Integer, List<Integer>> byParent = new HashMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc"),
                p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path entry : entries) {
                int pid = Integer.parseInt(entry.getFileName().toString());
                OptionalInt parent = ProcessInfo.parentPid(pid);
                if (parent.isPresent()) {
                    byParent.computeIfAbsent(parent.getAsInt(), k -> new ArrayList<>()).add(pid);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list /proc", e);
        }
        return byParent;
    }

    private static boolean hasChildrenFiles() {
        Boolean known = childrenFiles;
        if (known == null) {
            int pid = LibC.getpid();
            known = Files.exists(Path.of("/proc", Integer.toString(pid), "task", Integer.toString(pid), "children"));
            childrenFiles = known;
        }
        return known;
    }
}
