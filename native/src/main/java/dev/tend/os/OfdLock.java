package dev.tend.os;

import com.sun.jna.Memory;
import com.sun.jna.Native;

/**
 * Open-file-description byte-range locks ({@code F_OFD_SETLK}) on one descriptor: held by an open file,
 * not by a process or thread, so two opens in one JVM conflict like two processes do, and the kernel
 * releases the lock when the last descriptor of the open file is closed, which includes the holder being
 * killed with SIGKILL. A lock may cover bytes beyond the end of the file.
 *
 * <p>The {@code struct flock} of each kind of call is kept and refilled only when the range changes: a
 * publisher locks the same byte on every publish, and every write into native memory is a JNI call.
 * Not thread-safe; does not own the descriptor.
 */
public final class OfdLock implements AutoCloseable {
    /** {@code struct flock}: l_type@0 (short), l_whence@2 (short), l_start@8, l_len@16, l_pid@24 (int); 32 bytes. */
    public static final int FLOCK_SIZE = 32;

    private final int fd;
    private final String subject;
    private final Request write = new Request(LibC.F_WRLCK);
    private final Request release = new Request(LibC.F_UNLCK);

    /**
     * @param fd      an open descriptor (read-write, for exclusive locks).
     * @param subject what the descriptor is, for error messages (a path).
     */
    public OfdLock(int fd, String subject) {
        this.fd = fd;
        this.subject = subject;
    }

    /** One prefilled {@code struct flock} of a lock type. */
    private static final class Request {
        final Memory flock = new Memory(FLOCK_SIZE);
        long start = -1;
        long length = -1;

        Request(short type) {
            flock.clear();
            flock.setShort(0, type);
            flock.setShort(2, LibC.SEEK_SET);
        }

        Memory range(long start, long length) {
            if (this.start != start) {
                flock.setLong(8, start);
                this.start = start;
            }
            if (this.length != length) {
                flock.setLong(16, length);
                this.length = length;
            }
            return flock;
        }
    }

    /**
     * Takes an exclusive lock on {@code [start, start+length)} without waiting.
     *
     * @return true if taken, false if another open file holds a conflicting lock.
     */
    public boolean tryLock(long start, long length) {
        while (LibC.fcntl(fd, LibC.F_OFD_SETLK, write.range(start, length)) != 0) {
            int errno = Native.getLastError();
            if (errno == Errno.EAGAIN || errno == Errno.EACCES) {
                return false;
            }
            if (errno != Errno.EINTR) {
                throw new NativeException("fcntl(F_OFD_SETLK)", subject, errno);
            }
        }
        return true;
    }

    /** Takes an exclusive lock, waiting for it as long as it takes. */
    public void lock(long start, long length) {
        while (LibC.fcntl(fd, LibC.F_OFD_SETLKW, write.range(start, length)) != 0) {
            int errno = Native.getLastError();
            if (errno != Errno.EINTR) {
                throw new NativeException("fcntl(F_OFD_SETLKW)", subject, errno);
            }
        }
    }

    /** Releases a lock this open file holds. */
    public void unlock(long start, long length) {
        if (LibC.fcntl(fd, LibC.F_OFD_SETLK, release.range(start, length)) != 0) {
            throw NativeException.last("fcntl(F_OFD_SETLK, F_UNLCK)", subject);
        }
    }

    /**
     * Whether another open file holds a conflicting lock ({@code F_OFD_GETLK}). For OFD locks the kernel
     * reports no holder pid, so callers that need one record it in the file itself.
     */
    public boolean isLockedByOther(long start, long length) {
        try (Memory query = new Memory(FLOCK_SIZE)) {
            query.clear();
            query.setShort(0, LibC.F_WRLCK);
            query.setShort(2, LibC.SEEK_SET);
            query.setLong(8, start);
            query.setLong(16, length);
            while (LibC.fcntl(fd, LibC.F_OFD_GETLK, query) != 0) {
                if (Native.getLastError() != Errno.EINTR) {
                    throw NativeException.last("fcntl(F_OFD_GETLK)", subject);
                }
            }
            return query.getShort(0) != LibC.F_UNLCK;
        }
    }

    /** Frees the prefilled structures (not the descriptor, and not the locks: closing the descriptor does that). */
    @Override
    public void close() {
        write.flock.close();
        release.flock.close();
    }
}
