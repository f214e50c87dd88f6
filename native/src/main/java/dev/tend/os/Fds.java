package dev.tend.os;

import com.sun.jna.Native;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * File-descriptor helpers with checked results. Every descriptor this layer creates has
 * {@code O_CLOEXEC}, so no child started by anyone inherits it by accident.
 */
public final class Fds {
    /** Returned by {@link #read} and {@link #write}: a non-blocking descriptor has nothing now, or no room (EAGAIN). */
    public static final int AGAIN = -1;

    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;

    private Fds() {}

    /** A pipe; both ends close-on-exec, both blocking. */
    public record Pipe(int readFd, int writeFd) {}

    /** Creates a pipe with {@code O_CLOEXEC} on both ends. */
    public static Pipe pipe() {
        int[] fds = new int[2];
        if (LibC.pipe2(fds, LibC.O_CLOEXEC) != 0) {
            throw NativeException.last("pipe2", null);
        }
        return new Pipe(fds[0], fds[1]);
    }

    /** Sets {@code O_NONBLOCK} on one descriptor (only the parent's ends of pipes: children expect blocking stdio). */
    public static void setNonBlocking(int fd) {
        int flags = LibC.fcntl(fd, LibC.F_GETFL, 0);
        if (flags < 0 || LibC.fcntl(fd, LibC.F_SETFL, flags | LibC.O_NONBLOCK) < 0) {
            throw NativeException.last("fcntl(O_NONBLOCK)", "fd " + fd);
        }
    }

    /** Duplicates {@code fd} to the lowest free number at or above {@code min}, close-on-exec. */
    public static int dupAbove(int fd, int min) {
        int copy = LibC.fcntl(fd, LibC.F_DUPFD_CLOEXEC, min);
        if (copy < 0) {
            throw NativeException.last("fcntl(F_DUPFD_CLOEXEC)", "fd " + fd);
        }
        return copy;
    }

    /**
     * Closes a descriptor. Linux releases the descriptor even when {@code close} reports EINTR, so
     * errors are not retried; negative values are ignored so callers can close "maybe open" fields.
     */
    public static void close(int fd) {
        if (fd >= 0) {
            LibC.close(fd);
        }
    }

    /**
     * Reads once into {@code buffer}, from its position up to its limit, and advances the position by the
     * count. A direct buffer is read into without a copy.
     *
     * @return the byte count; 0 at end of file, which for a socket includes a peer that closed with data of
     *     ours unread ({@code ECONNRESET}), and also when the buffer has no room left; or {@link #AGAIN} when
     *     a non-blocking descriptor has nothing now.
     */
    public static int read(int fd, ByteBuffer buffer) {
        if (!buffer.hasRemaining()) {
            return 0;
        }
        while (true) {
            long n = LibC.read(fd, buffer, buffer.remaining());
            if (n >= 0) {
                buffer.position(buffer.position() + (int) n);
                return (int) n;
            }
            int errno = Native.getLastError();
            if (errno == Errno.EINTR) {
                continue;
            }
            if (errno == Errno.EAGAIN) {
                return AGAIN;
            }
            if (errno == Errno.ECONNRESET) {
                return 0;
            }
            throw new NativeException("read", "fd " + fd, errno);
        }
    }

    /**
     * Writes once from {@code buffer}, from its position up to its limit, and advances the position by the
     * count. For sockets, {@link UnixStreamSocket#write} also keeps a gone peer from raising SIGPIPE.
     *
     * @return the number of bytes written, possibly fewer than were remaining; or {@link #AGAIN} when a
     *     non-blocking descriptor has no room now.
     * @throws NativeException for failures, {@code EPIPE} included (no reader is left).
     */
    public static int write(int fd, ByteBuffer buffer) {
        while (true) {
            long n = LibC.write(fd, buffer, buffer.remaining());
            if (n >= 0) {
                buffer.position(buffer.position() + (int) n);
                return (int) n;
            }
            int errno = Native.getLastError();
            if (errno == Errno.EAGAIN) {
                return AGAIN;
            }
            if (errno != Errno.EINTR) {
                throw new NativeException("write", "fd " + fd, errno);
            }
        }
    }

    /**
     * Opens an existing file for reading and writing.
     *
     * @return the descriptor, close-on-exec.
     * @throws NativeException naming the path; {@code ENOENT} when there is no such file.
     */
    public static int openReadWrite(Path path) {
        return open(path, LibC.O_RDWR, 0);
    }

    /**
     * Creates a file that must not exist yet ({@code O_EXCL}: a symbolic link there is not followed either),
     * open for reading and writing.
     *
     * @param mode its permission bits, such as {@code 0600}, less the umask (as {@code open(2)} does).
     * @return the descriptor, close-on-exec.
     * @throws NativeException naming the path; {@code EEXIST} when something is already there.
     */
    public static int createNew(Path path, int mode) {
        return open(path, LibC.O_RDWR | LibC.O_CREAT | LibC.O_EXCL, mode);
    }

    /**
     * Opens a file for reading and writing, creating it if missing: what a lock file needs, which every
     * contender opens and none removes.
     *
     * @param mode the permission bits of a file created now, less the umask; an existing file keeps its own.
     * @return the descriptor, close-on-exec.
     * @throws NativeException naming the path.
     */
    public static int openOrCreate(Path path, int mode) {
        return open(path, LibC.O_RDWR | LibC.O_CREAT, mode);
    }

    /**
     * Creates a named pipe (FIFO) that must not exist yet.
     *
     * @param mode its permission bits, such as {@code 0600}, less the umask.
     * @throws NativeException naming the path; {@code EEXIST} when something is already there.
     */
    public static void makeFifo(Path path, int mode) {
        if (LibC.mkfifo((path.toString() + "\0").getBytes(StandardCharsets.UTF_8), mode) != 0) {
            throw NativeException.last("mkfifo", path.toString());
        }
    }

    /**
     * Opens a FIFO to read from it, non-blocking and also for writing: the open does not wait for a writer, and
     * the reader never sees end of file when its writers come and go, since it is a writer itself.
     *
     * @return the descriptor, close-on-exec and non-blocking.
     */
    public static int openFifoToRead(Path path) {
        return open(path, LibC.O_RDWR | LibC.O_NONBLOCK, 0);
    }

    /**
     * Opens a FIFO to write into it, non-blocking: the open fails at once with {@code ENXIO} when no process
     * has it open for reading, and writes never wait (see {@link #write}).
     *
     * @return the descriptor, close-on-exec and non-blocking.
     */
    public static int openFifoToWrite(Path path) {
        return open(path, LibC.O_WRONLY | LibC.O_NONBLOCK, 0);
    }

    private static int open(Path path, int flags, int mode) {
        byte[] name = (path.toString() + "\0").getBytes(StandardCharsets.UTF_8);
        // O_NOCTTY: opening a terminal device by mistake must not make it this process's controlling terminal.
        int fd = LibC.open(name, flags | LibC.O_CLOEXEC | LibC.O_NOCTTY, mode);
        if (fd < 0) {
            throw NativeException.last("open", path.toString());
        }
        return fd;
    }

    /**
     * Whether the descriptor is the journald stream systemd connected it to: {@code JOURNAL_STREAM} holds the
     * {@code DEVICE:INODE} of that stream (systemd.exec(5)), so a descriptor with the same pair writes to the
     * journal rather than to something redirected in between.
     */
    public static boolean isJournalStream(int fd, String journalStream) {
        if (journalStream == null || !journalStream.matches("\\d+:\\d+")) {
            return false;
        }
        // stat(2) through the descriptor's /proc link: the JDK reads st_dev and st_ino without a struct layout of
        // ours, and on any glibc (fstat itself is exported only since 2.33).
        try {
            Map<String, Object> stat = Files.readAttributes(Path.of("/proc/self/fd/" + fd), "unix:dev,ino");
            String[] parts = journalStream.split(":");
            return Long.parseUnsignedLong(parts[0]) == (Long) stat.get("dev")
                    && Long.parseUnsignedLong(parts[1]) == (Long) stat.get("ino");
        } catch (IOException | UnsupportedOperationException | NumberFormatException e) {
            return false;
        }
    }

    /**
     * Whether the descriptor is a terminal: a character device under {@code /dev/pts/}, {@code /dev/tty*},
     * {@code /dev/console} or {@code /dev/ptmx}, which are the names Linux gives every terminal device.
     * Answered from the descriptor's {@code /proc} link rather than by {@code isatty(3)}, so that a client that
     * only asks whether to colour its output loads no native library (JNA costs a short command more than
     * half of its start-up).
     */
    public static boolean isTerminal(int fd) {
        Path link = Path.of("/proc/self/fd/" + fd);
        String target;
        try {
            target = Files.readSymbolicLink(link).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
        if (!(target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console")
                || target.equals("/dev/ptmx"))) {
            return false;
        }
        try {
            int mode = (Integer) Files.getAttribute(link, "unix:mode");
            return (mode & S_IFMT) == S_IFCHR;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
