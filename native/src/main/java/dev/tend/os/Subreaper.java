package dev.tend.os;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * The child-subreaper flag of this process ({@code PR_SET_CHILD_SUBREAPER}).
 *
 * <p>When a process dies, the kernel hands its children to the nearest ancestor marked as subreaper instead
 * of PID 1. A supervisor sets it so that what its workers leave behind (double-forked daemons, a worker's
 * children after the worker was killed) stays attached to it: they show up in
 * {@link OrphanReaper#children()} and it reaps them with {@link OrphanReaper#sweep}. A process running as
 * PID 1 (a container's init) gets all orphans in its namespace without the flag.
 *
 * <p>The flag belongs to the whole process and is inherited by nothing: children do not get it, and it
 * survives only until this process exits.
 */
public final class Subreaper {
    private Subreaper() {}

    /**
     * Marks this process as a child subreaper.
     *
     * @throws NativeException if the kernel refuses (before Linux 3.4, or a seccomp filter forbids prctl).
     */
    public static void enable() {
        if (LibC.prctl(LibC.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) {
            throw NativeException.last("prctl(PR_SET_CHILD_SUBREAPER)", null);
        }
    }

    /** Whether this process is marked as child subreaper (false for PID 1 unless it set the flag too). */
    public static boolean isEnabled() {
        try (Memory flag = new Memory(4)) {
            flag.setInt(0, 0);
            if (LibC.prctl(LibC.PR_GET_CHILD_SUBREAPER, Pointer.nativeValue(flag), 0, 0, 0) != 0) {
                throw NativeException.last("prctl(PR_GET_CHILD_SUBREAPER)", null);
            }
            return flag.getInt(0) != 0;
        }
    }

    /** Whether this process is PID 1 of its PID namespace, the reaper of every orphan in it. */
    public static boolean isPid1() {
        return LibC.getpid() == 1;
    }
}
