package dev.tend.os;

import com.sun.jna.Memory;

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

    /**
     * Gives the free memory of the C heap back to the kernel ({@code malloc_trim}). A JVM's start-up leaves
     * several MiB free in malloc's arenas (the JIT compiler's scratch memory, mostly) that glibc keeps for reuse;
     * a long-lived, mostly idle process calls this once its start-up is over, so that its resident size shows
     * what it uses.
     */
    public static void releaseFreeNativeMemory() {
        LibC.malloc_trim(0);
    }

    /**
     * The soft limit on open files ({@code RLIMIT_NOFILE}): the most descriptors this process may hold at once
     * ({@link Long#MAX_VALUE} when unlimited). The JVM raises its own soft limit to the hard one as it starts.
     */
    public static long openFileLimit() {
        try (Memory limits = openFileLimits()) {
            long soft = limits.getLong(0);
            // RLIM_INFINITY is all ones, which reads as -1.
            return soft < 0 ? Long.MAX_VALUE : soft;
        }
    }

    /**
     * {@code getrlimit(RLIMIT_NOFILE)} into a new {@code struct rlimit}: the soft limit at offset 0, the hard one at
     * 8. The caller closes it (and may pass it on to {@code setrlimit}).
     */
    static Memory openFileLimits() {
        Memory limits = new Memory(16);
        if (LibC.getrlimit(LibC.RLIMIT_NOFILE, limits) != 0) {
            NativeException failure = NativeException.last("getrlimit", "RLIMIT_NOFILE");
            limits.close();
            throw failure;
        }
        return limits;
    }
}
