package dev.tend.os;

import com.sun.jna.Memory;
import com.sun.jna.Native;

/**
 * Open-file-description byte-range locks ({@code F_OFD_SETLK}): held by an open file, not by a process or
 * thread, so two opens in one JVM conflict like two processes do, and the kernel releases the lock when
 * the last descriptor of the open file is closed, which includes the holder being killed with SIGKILL.
 * A lock may cover bytes beyond the end of the file.
 */
public final class OfdLock {
    /** {@code struct flock}: l_type@0 (short), l_whence@2 (short), l_start@8, l_len@16, l_pid@24 (int); 32 bytes. */
    private static final int FLOCK_SIZE = 32;

    private OfdLock() {}

    /**
     * Takes an exclusive lock on {@code [start, start+length)} without waiting.
     *
     * @return true if taken, false if another open file holds a conflicting lock.
     */
    public static boolean tryLock(int fd, long start, long length) {
        return set(fd, LibC.F_OFD_SETLK, LibC.F_WRLCK, start, length, "F_OFD_SETLK");
    }

    /** Takes an exclusive lock, waiting for it as long as it takes. */
    public static void lock(int fd, long start, long length) {
        set(fd, LibC.F_OFD_SETLKW, LibC.F_WRLCK, start, length, "F_OFD_SETLKW");
    }

    /** Releases a lock this open file holds. */
    public static void unlock(int fd, long start, long length) {
        set(fd, LibC.F_OFD_SETLK, LibC.F_UNLCK, start, length, "F_OFD_SETLK(unlock)");
    }

    /**
     * Whether a conflicting lock is held by another open file ({@code F_OFD_GETLK}). For OFD locks the
     * kernel reports no holder pid, so callers that need one record it in the file itself.
     */
    public static boolean isLockedByOther(int fd, long start, long length) {
        try (Memory flock = flock(LibC.F_WRLCK, start, length)) {
            while (LibC.fcntl(fd, LibC.F_OFD_GETLK, flock) != 0) {
                if (Native.getLastError() != Errno.EINTR) {
                    throw NativeException.last("fcntl(F_OFD_GETLK)", "fd " + fd);
                }
            }
            return flock.getShort(0) != LibC.F_UNLCK;
        }
    }

    private static boolean set(int fd, int cmd, short type, long start, long length, String call) {
        try (Memory flock = flock(type, start, length)) {
            while (true) {
                if (LibC.fcntl(fd, cmd, flock) == 0) {
                    return true;
                }
                int errno = Native.getLastError();
                if (errno == Errno.EINTR) {
                    continue;
                }
                if (cmd == LibC.F_OFD_SETLK && (errno == Errno.EAGAIN || errno == Errno.EACCES)) {
                    return false;
                }
                throw new NativeException("fcntl(" + call + ")", "fd " + fd, errno);
            }
        }
    }

    private static Memory flock(short type, long start, long length) {
        Memory flock = new Memory(FLOCK_SIZE);
        flock.clear();
        flock.setShort(0, type);
        flock.setShort(2, LibC.SEEK_SET);
        flock.setLong(8, start);
        flock.setLong(16, length);
        return flock;
    }
}
