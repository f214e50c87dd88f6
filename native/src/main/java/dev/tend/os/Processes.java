package dev.tend.os;

import com.sun.jna.Native;

/**
 * Signals to processes and process groups known by number ({@code kill(2)}).
 *
 * <p>A number names a process only until it is reaped: prefer {@link ChildProcess#signal} (a pidfd) for a
 * child, and check a recorded pid with {@link ProcessInfo#exists} first. A process group keeps its id while
 * any member, or its unreaped leader, is left.
 */
public final class Processes {
    private Processes() {}

    /**
     * Sends {@code signal} to one process.
     *
     * @param pid a process id, greater than 0 ({@code kill(2)} gives 0 and negative numbers other meanings).
     * @return false when there is no such process ({@code ESRCH}).
     * @throws NativeException when the process may not be signalled ({@code EPERM}).
     */
    public static boolean signal(int pid, Signal signal) {
        if (pid <= 0) {
            throw new IllegalArgumentException("not a process id: " + pid);
        }
        return kill(pid, signal, "pid " + pid);
    }

    /**
     * Sends {@code signal} to every process of a process group.
     *
     * @param processGroup a process-group id, greater than 1 (group 1 would be {@code kill(-1)}: every process
     *                     the caller may signal).
     * @return false when no process is left in the group ({@code ESRCH}).
     * @throws NativeException when no member may be signalled ({@code EPERM}).
     */
    public static boolean signalGroup(int processGroup, Signal signal) {
        if (processGroup <= 1) {
            throw new IllegalArgumentException("not a process group that may be signalled: " + processGroup);
        }
        return kill(-processGroup, signal, "process group " + processGroup);
    }

    private static boolean kill(int target, Signal signal, String subject) {
        if (LibC.kill(target, signal.number()) == 0) {
            return true;
        }
        int errno = Native.getLastError();
        if (errno == Errno.ESRCH) {
            return false;
        }
        throw new NativeException("kill", subject + " with SIG" + signal, errno);
    }
}
