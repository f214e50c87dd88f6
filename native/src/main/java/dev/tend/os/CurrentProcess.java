package dev.tend.os;

/**
 * Who the calling process is: its pid and the user its permission checks use ({@link UserId} has the real
 * user id, without JNA). The answers come from the kernel on each
 * call (they are cheap system calls), so they stay right after a fork or a change of user.
 */
public final class CurrentProcess {
    private CurrentProcess() {}

    /** This process's id ({@code getpid}). */
    public static int pid() {
        return LibC.getpid();
    }

    /**
     * The effective user id ({@code geteuid}): what permission checks use, and what {@code SO_PEERCRED}
     * reports to a peer of this process.
     */
    public static int effectiveUid() {
        return LibC.geteuid();
    }
}
