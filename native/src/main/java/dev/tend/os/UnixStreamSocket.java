package dev.tend.os;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Unix-domain stream sockets ({@code AF_UNIX}, {@code SOCK_STREAM}) bound to a file: the listening side of
 * a local control channel, for use from a {@link Reactor}.
 *
 * <p>Every descriptor made here is non-blocking and close-on-exec. Reads and writes never raise
 * {@code SIGPIPE} and never throw for the ordinary outcomes of a non-blocking socket: "nothing now"
 * ({@link #AGAIN}), end of stream and a vanished peer ({@link #CLOSED}) are return values, so that a loop
 * can tell them apart without exceptions. Other failures throw {@link NativeException}.
 *
 * <h2>Stale socket files</h2>
 * A socket file outlives the process that bound it when that process is killed, and {@code bind} then
 * fails with {@code EADDRINUSE}. Nothing in the file says whether its owner is still alive, so removing it
 * is the caller's decision: a program that holds its own instance lock knows that an existing socket file
 * is stale and may call {@link #deleteStale(Path)} before {@link #listen(Path, int)}.
 */
public final class UnixStreamSocket {
    /** Longest path {@code sun_path} holds: 108 bytes including the terminating NUL. */
    public static final int MAX_PATH_BYTES = NotifyAddress.MAX_PATH_BYTES;
    /** Returned by {@link #accept}, {@link #read} and {@link #write}: the call would block (EAGAIN). */
    public static final int AGAIN = Fds.AGAIN;
    /** Returned by {@link #write}: the peer has gone (EPIPE or ECONNRESET); nothing more can be sent. */
    public static final int CLOSED = -2;

    /** {@code S_IFMT} and {@code S_IFSOCK} of {@code <sys/stat.h>}, for the {@code unix:mode} attribute. */
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final int UCRED_SIZE = 12;

    private UnixStreamSocket() {}

    /**
     * The process at the other end of a connected socket, as the kernel recorded it when the peer called
     * {@code connect} ({@code SO_PEERCRED}): pid, effective uid and effective gid.
     */
    public record PeerCredentials(int pid, int uid, int gid) {}

    /**
     * Creates a socket file at {@code path} with mode 0600 and listens on it.
     *
     * <p>The mode is set by {@code chmod} between {@code bind} and {@code listen}: until {@code listen}, a
     * connection attempt is refused, so no one can connect while the file still has the umask's mode.
     * (Changing the umask instead would affect every thread of the process.)
     *
     * @param backlog how many connections the kernel queues before {@link #accept} takes them.
     * @return the listening descriptor, non-blocking and close-on-exec; the caller closes it and removes
     *     the file when done.
     * @throws NativeException when the path is too long ({@code ENAMETOOLONG}, limit
     *     {@value #MAX_PATH_BYTES} bytes) or a call fails; {@code bind} reports {@code EADDRINUSE} when a
     *     file already exists there. The message names the path.
     * @throws UncheckedIOException when the mode cannot be set (the socket is then closed and removed).
     */
    public static int listen(Path path, int backlog) {
        try (Memory address = address(path)) {
            int fd = LibC.socket(LibC.AF_UNIX, LibC.SOCK_STREAM | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw NativeException.last("socket", path.toString());
            }
            if (LibC.bind(fd, address, (int) address.size()) != 0) {
                NativeException failure = NativeException.last("bind", path.toString());
                Fds.close(fd);
                throw failure;
            }
            try {
                Files.setPosixFilePermissions(path, Set.of(PosixFilePermission.OWNER_READ,
                        PosixFilePermission.OWNER_WRITE));
            } catch (IOException e) {
                Fds.close(fd);
                deleteQuietly(path);
                throw new UncheckedIOException("cannot set mode 0600 on socket " + path, e);
            }
            if (LibC.listen(fd, backlog) != 0) {
                NativeException failure = NativeException.last("listen", path.toString());
                Fds.close(fd);
                deleteQuietly(path);
                throw failure;
            }
            return fd;
        }
    }

    /**
     * Takes one pending connection.
     *
     * @return the connected descriptor (non-blocking, close-on-exec), or {@link #AGAIN} when none is
     *     pending.
     * @throws NativeException for real failures, notably {@code EMFILE}/{@code ENFILE} when the process or
     *     system is out of descriptors; the connection then stays queued.
     */
    public static int accept(int listenFd) {
        while (true) {
            int fd = LibC.accept4(listenFd, null, null, LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC);
            if (fd >= 0) {
                return fd;
            }
            int errno = Native.getLastError();
            if (errno == Errno.EAGAIN) {
                return AGAIN;
            }
            // EINTR: a signal arrived; ECONNABORTED: that client gave up while queued. Neither ends accepting.
            if (errno != Errno.EINTR && errno != Errno.ECONNABORTED) {
                throw new NativeException("accept4", "fd " + listenFd, errno);
            }
        }
    }

    /** Who is connected at the other end of {@code fd} ({@code getsockopt(SO_PEERCRED)}). */
    public static PeerCredentials peerCredentials(int fd) {
        try (Memory ucred = new Memory(UCRED_SIZE); Memory length = new Memory(4)) {
            ucred.clear();
            length.setInt(0, UCRED_SIZE);
            if (LibC.getsockopt(fd, LibC.SOL_SOCKET, LibC.SO_PEERCRED, ucred, length) != 0) {
                throw NativeException.last("getsockopt(SO_PEERCRED)", "fd " + fd);
            }
            // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
            return new PeerCredentials(ucred.getInt(0), ucred.getInt(4), ucred.getInt(8));
        }
    }

    /**
     * Reads once into {@code buffer}, from its position up to its limit, and advances the position by the
     * count (see {@link Fds#read}).
     *
     * @return the byte count; 0 at end of stream, which includes a peer that closed with data of ours
     *     unread ({@code ECONNRESET}); or {@link #AGAIN} when nothing is available now.
     */
    public static int read(int fd, ByteBuffer buffer) {
        return Fds.read(fd, buffer);
    }

    /**
     * Writes once from {@code buffer}, from its position up to its limit, without blocking, and advances the
     * position by the count. A direct buffer is written from without a copy.
     *
     * <p>Uses {@code send(MSG_NOSIGNAL)}: a peer that has gone makes this return {@link #CLOSED} instead of
     * raising {@code SIGPIPE}. HotSpot happens to install its own SIGPIPE handler, so a plain
     * {@code write} would not kill the JVM, but the flag makes the outcome independent of how the host JVM
     * (or anything sharing the process) disposes of that signal, and saves delivering it.
     *
     * @return the number of bytes accepted (possibly fewer than were remaining), {@link #AGAIN} when the
     *     socket buffer is full, or {@link #CLOSED} when the peer has gone.
     */
    public static int write(int fd, ByteBuffer buffer) {
        while (true) {
            // sendto with no address is send(2) on a connected socket.
            long n = LibC.sendto(fd, buffer, buffer.remaining(), LibC.MSG_NOSIGNAL | LibC.MSG_DONTWAIT, null, 0);
            if (n >= 0) {
                buffer.position(buffer.position() + (int) n);
                return (int) n;
            }
            int errno = Native.getLastError();
            if (errno == Errno.EAGAIN) {
                return AGAIN;
            }
            if (errno == Errno.EPIPE || errno == Errno.ECONNRESET) {
                return CLOSED;
            }
            if (errno != Errno.EINTR) {
                throw new NativeException("send", "fd " + fd, errno);
            }
        }
    }

    /**
     * Shuts down the sending side ({@code shutdown(SHUT_WR)}): the peer reads end of stream after what was
     * sent, while this side can still read. A peer that has gone already is not an error.
     */
    public static void shutdownOutput(int fd) {
        if (LibC.shutdown(fd, LibC.SHUT_WR) != 0) {
            int errno = Native.getLastError();
            if (errno != Errno.ENOTCONN) {
                throw new NativeException("shutdown", "fd " + fd, errno);
            }
        }
    }

    /**
     * Removes a socket file left behind at {@code path}, without checking whether anyone still listens
     * on it: call this only when an instance lock proves the previous owner is gone.
     *
     * @return whether a socket file was removed ({@code false} when nothing was there).
     * @throws IOException when something other than a socket is at {@code path} (it is left alone), or
     *     the file cannot be removed.
     */
    public static boolean deleteStale(Path path) throws IOException {
        int mode;
        try {
            mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return false;
        }
        if ((mode & S_IFMT) != S_IFSOCK) {
            throw new IOException("not removing " + path + ": it is not a socket");
        }
        return Files.deleteIfExists(path);
    }

    /** A {@code struct sockaddr_un} for {@code path}; its size is the address length to pass. */
    private static Memory address(Path path) {
        byte[] bytes = path.toString().getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_PATH_BYTES) {
            throw new NativeException("bind", path + " (" + bytes.length
                    + " bytes; a Unix socket path holds at most " + MAX_PATH_BYTES + ")", Errno.ENAMETOOLONG);
        }
        if (bytes.length == 0) {
            throw new NativeException("bind", "(empty socket path)", Errno.EINVAL);
        }
        for (byte b : bytes) {
            if (b == 0) {
                throw new NativeException("bind", path + " (contains a NUL byte)", Errno.EINVAL);
            }
        }
        // sa_family_t then the path and its NUL; the length excludes the unused tail of sun_path.
        Memory address = new Memory(2 + bytes.length + 1);
        address.clear();
        address.setShort(0, (short) LibC.AF_UNIX);
        address.write(2, bytes, 0, bytes.length);
        return address;
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException | RuntimeException ignored) {
            // Best effort while already reporting the original failure.
        }
    }
}
