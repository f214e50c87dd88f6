package dev.tend.state;

import dev.tend.os.ProcessInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process as the slot lock names it ({@code lockOwner}: pid and start time), and the namespaces in
 * which that name means something to other processes. Computed once per JVM: Java processes do not fork.
 */
final class ProcessIdentity {
    private static volatile ProcessIdentity current;

    final int pid;
    final long startTicks;
    /** The {@code lockOwner} value of this process. */
    final long lockOwner;
    /** Inode number of {@code /proc/self/ns/pid}, 0 if unknown. */
    final long pidNamespace;
    /** Inode number of {@code /proc/self/ns/time}, 0 on kernels without time namespaces. */
    final long timeNamespace;

    private ProcessIdentity(int pid, long startTicks, long pidNamespace, long timeNamespace) {
        this.pid = pid;
        this.startTicks = startTicks;
        this.lockOwner = StateFileLayout.lockOwner(pid, startTicks);
        this.pidNamespace = pidNamespace;
        this.timeNamespace = timeNamespace;
    }

    /**
     * This process.
     *
     * @throws StateException INCOMPATIBLE when {@code /proc} does not show this process (not mounted, or
     *                        mounted for another PID namespace): slot locks cannot work without it.
     */
    static ProcessIdentity current() {
        ProcessIdentity identity = current;
        if (identity == null) {
            identity = current = lookUp();
        }
        return identity;
    }

    private static ProcessIdentity lookUp() {
        int pid = (int) ProcessHandle.current().pid();
        String self;
        try {
            self = Files.readSymbolicLink(Path.of("/proc/self")).toString();
        } catch (IOException e) {
            self = e.toString();
        }
        // /proc/self names this process only if /proc belongs to this process's PID namespace.
        var startTicks = ProcessInfo.startTime(pid);
        if (!self.equals(Integer.toString(pid)) || startTicks.isEmpty()) {
            throw new StateException(StateException.Reason.INCOMPATIBLE, "cannot publish to a state file: /proc"
                    + " does not show this process (pid " + pid + ", /proc/self is " + self + "), and the slot"
                    + " lock identifies publishers through /proc");
        }
        return new ProcessIdentity(pid, startTicks.getAsLong(), namespace("pid"), namespace("time"));
    }

    /** The inode number in the link {@code /proc/self/ns/KIND} (it reads {@code KIND:[INODE]}), or 0. */
    static long namespace(String kind) {
        String link;
        try {
            link = Files.readSymbolicLink(Path.of("/proc/self/ns", kind)).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return 0;
        }
        int open = link.indexOf('[');
        int close = link.lastIndexOf(']');
        if (open < 0 || close < open) {
            return 0;
        }
        try {
            return Long.parseLong(link.substring(open + 1, close));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
