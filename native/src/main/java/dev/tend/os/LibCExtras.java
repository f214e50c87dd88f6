package dev.tend.os;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The parts of libc that direct mapping cannot bind: the variadic {@code syscall} and symbols that
 * only newer glibc releases export. Interface mapping resolves a method on its first call, so a
 * missing optional symbol surfaces as {@link UnsatisfiedLinkError} there instead of failing the
 * whole class at load time.
 */
interface LibCExtras extends Library {
    LibCExtras INSTANCE = load();

    // <asm-generic/unistd.h>: the same numbers on x86_64 and aarch64.
    long SYS_PIDFD_SEND_SIGNAL = 424;
    long SYS_PIDFD_OPEN = 434;
    long SYS_CLOSE_RANGE = 436;
    long CLOSE_RANGE_CLOEXEC = 4;

    long syscall(long number, Object... args);

    /** glibc 2.34 and later. */
    int posix_spawn_file_actions_addclosefrom_np(Pointer actions, int lowfd);

    /** glibc 2.29 and later. */
    int posix_spawn_file_actions_addchdir_np(Pointer actions, byte[] path);

    private static LibCExtras load() {
        NativeBootstrap.prepare();
        return Native.load(Platform.C_LIBRARY_NAME, LibCExtras.class);
    }
}
