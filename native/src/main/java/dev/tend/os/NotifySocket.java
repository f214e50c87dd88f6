package dev.tend.os;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Optional;

/**
 * The receiving end of the sd_notify protocol: the socket a supervised worker finds in its
 * {@code NOTIFY_SOCKET} and sends {@code READY=1}, {@code STATUS=…} and the like to.
 *
 * <p>One socket per worker: whoever sends to it speaks for that worker, so no sender pid has to be mapped
 * back to a worker (the pid in the credentials is not reliable anyway; see {@link NotifyMessage#pid()}).
 *
 * <p>The socket is an {@code AF_UNIX} datagram socket, non-blocking and close-on-exec, with
 * {@code SO_PASSCRED} so every datagram carries the sender's credentials. A socket file is created with
 * mode 0600 (and no looser mode at any moment), so only the same user (and root) can send; abstract names
 * ({@link #bindAbstract}) have no permissions at all and are reachable by anything in the network
 * namespace.
 *
 * <p>Register {@link #fd()} with the {@link Reactor} for {@link Interest#READ} and call {@link #receive()}
 * until it is empty. {@link #receive()} closes every file descriptor that arrives with a message: that
 * releases the barrier {@code systemd-notify} waits on (it sends {@code BARRIER=1} with a descriptor and
 * waits for it to be closed), and it keeps a misbehaving sender from filling our descriptor table.
 *
 * <p>Not thread-safe: the receive buffers are reused, so one thread (the event loop) owns a socket.
 */
public final class NotifySocket implements AutoCloseable {
    /** Payload bytes per datagram; the same limit systemd applies, longer datagrams are reported truncated. */
    public static final int MAX_MESSAGE_BYTES = 4096;
    // Room for SCM_CREDENTIALS (32 bytes) plus SCM_RIGHTS with the kernel's maximum of 253 descriptors
    // (16 + 4 * 253, aligned): anything smaller could cut descriptors off, which the kernel then drops.
    private static final int CONTROL_BYTES = 4096;
    private static final int MSGHDR_SIZE = 56;
    private static final int IOVEC_SIZE = 16;
    private static final int CMSG_HEADER = 16;

    private final NotifyAddress address;
    /** Identity (device and inode) of the socket file, so close() never removes a file someone put in its place. */
    private final Object fileKey;
    private int fd;
    private final Memory header = new Memory(MSGHDR_SIZE);
    private final Memory iovec = new Memory(IOVEC_SIZE);
    private final Memory data = new Memory(MAX_MESSAGE_BYTES);
    private final Memory control = new Memory(CONTROL_BYTES);

    private NotifySocket(NotifyAddress address, Object fileKey, int fd) {
        this.address = address;
        this.fileKey = fileKey;
        this.fd = fd;
        iovec.setPointer(0, data);
        iovec.setLong(8, MAX_MESSAGE_BYTES);
    }

    /**
     * Creates a socket file at {@code path} (made absolute) with mode 0600.
     *
     * @throws NativeException naming the path when the socket cannot be created or bound, e.g. EADDRINUSE
     *                         when the file already exists (a stale socket is the caller's to remove),
     *                         ENOENT or EACCES for the directory, ENAMETOOLONG when the path is longer than
     *                         the 107 bytes a socket address holds.
     */
    public static NotifySocket bind(Path path) {
        return bind(NotifyAddress.path(path));
    }

    /**
     * Binds a name in the Linux abstract namespace ({@code NOTIFY_SOCKET=@name}). There is no file and no
     * permission check: any process in the same network namespace can send to it.
     *
     * @param name the name without the leading {@code @}; at most 107 bytes.
     * @throws NativeException naming the address on failure, e.g. EADDRINUSE when the name is taken.
     */
    public static NotifySocket bindAbstract(String name) {
        return bind(NotifyAddress.abstractName(name));
    }

    private static NotifySocket bind(NotifyAddress address) {
        if (!address.fits()) {
            throw new NativeException("bind", address + " (" + address.nameBytes() + " bytes; a socket address holds "
                    + NotifyAddress.MAX_PATH_BYTES + ")", Errno.ENAMETOOLONG);
        }
        int fd = LibC.socket(LibC.AF_UNIX, LibC.SOCK_DGRAM | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw NativeException.last("socket", address.text());
        }
        boolean bound = false;
        try {
            try (Memory one = new Memory(4)) {
                one.setInt(0, 1);
                // Before bind: a datagram that arrived in between would come without credentials.
                if (LibC.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_PASSCRED, one, 4) != 0) {
                    throw NativeException.last("setsockopt(SO_PASSCRED)", address.text());
                }
            }
            if (!address.isAbstract() && LibC.fchmod(fd, 0600) != 0) {
                throw NativeException.last("fchmod", address.text());
            }
            try (Memory sockaddr = address.sockaddr()) {
                if (LibC.bind(fd, sockaddr, address.sockaddrLength()) != 0) {
                    throw NativeException.last("bind", address.text());
                }
            }
            bound = true;
            Object fileKey = null;
            if (!address.isAbstract()) {
                // fchmod before bind already gave the file 0600 on Linux; this makes it independent of that.
                restrictToOwner(address.file());
                fileKey = fileKey(address.file());
            }
            return new NotifySocket(address, fileKey, fd);
        } catch (RuntimeException e) {
            Fds.close(fd);
            if (bound && !address.isAbstract()) {
                deleteQuietly(address.file());
            }
            throw e;
        }
    }

    private static Object fileKey(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    private static void restrictToOwner(Path file) {
        byte[] bytes = file.toString().getBytes(StandardCharsets.UTF_8);
        byte[] cPath = Arrays.copyOf(bytes, bytes.length + 1);
        if (LibC.chmod(cPath, 0600) != 0) {
            throw NativeException.last("chmod", file.toString());
        }
    }

    /** The descriptor to watch for {@link Interest#READ}; -1 once closed. */
    public int fd() {
        return fd;
    }

    /** The value to give a worker as {@code NOTIFY_SOCKET}: the absolute path, or {@code @name}. */
    public String address() {
        return address.text();
    }

    /** The socket file, if the socket is bound to a path rather than an abstract name. */
    public Optional<Path> path() {
        return Optional.ofNullable(address.file());
    }

    /**
     * Reads one datagram, without blocking. Any descriptors it carried are closed.
     *
     * @return the message, or empty when none is queued.
     * @throws NativeException when {@code recvmsg} fails for another reason than having nothing to read.
     * @throws IllegalStateException after {@link #close()}.
     */
    public Optional<NotifyMessage> receive() {
        if (fd < 0) {
            throw new IllegalStateException("notify socket " + address + " is closed");
        }
        header.clear();
        header.setPointer(16, iovec);
        header.setLong(24, 1);
        header.setPointer(32, control);
        // The kernel shrinks msg_controllen to what it filled in, so it is reset for every call.
        header.setLong(40, CONTROL_BYTES);
        long n;
        while (true) {
            // MSG_TRUNC as a flag makes recvmsg return the real datagram length even when it did not fit.
            n = LibC.recvmsg(fd, header, LibC.MSG_DONTWAIT | LibC.MSG_CMSG_CLOEXEC | LibC.MSG_TRUNC);
            if (n >= 0) {
                break;
            }
            int errno = Native.getLastError();
            if (errno == Errno.EINTR) {
                continue;
            }
            if (errno == Errno.EAGAIN) {
                return Optional.empty();
            }
            throw new NativeException("recvmsg", address.text(), errno);
        }
        int flags = header.getInt(48);
        int[] credentials = takeControlMessages(header.getLong(40));
        boolean truncated = n > MAX_MESSAGE_BYTES || (flags & LibC.MSG_TRUNC) != 0;
        int length = (int) Math.min(n, MAX_MESSAGE_BYTES);
        String text = new String(data.getByteArray(0, length), StandardCharsets.UTF_8);
        return Optional.of(NotifyMessage.of(text, credentials[0], credentials[1], credentials[2], truncated));
    }

    /**
     * Walks the control messages: keeps the credentials, closes every passed descriptor.
     *
     * @return pid, uid and gid of the sender, each -1 when no credentials came.
     */
    private int[] takeControlMessages(long controlLength) {
        int[] credentials = {-1, -1, -1};
        long offset = 0;
        long end = Math.min(controlLength, CONTROL_BYTES);
        while (offset + CMSG_HEADER <= end) {
            long length = control.getLong(offset);
            if (length < CMSG_HEADER || offset + length > end) {
                break;
            }
            int level = control.getInt(offset + 8);
            int type = control.getInt(offset + 12);
            long payload = offset + CMSG_HEADER;
            if (level == LibC.SOL_SOCKET && type == LibC.SCM_CREDENTIALS && length >= CMSG_HEADER + 12) {
                credentials[0] = control.getInt(payload);
                credentials[1] = control.getInt(payload + 4);
                credentials[2] = control.getInt(payload + 8);
            } else if (level == LibC.SOL_SOCKET && type == LibC.SCM_RIGHTS) {
                for (long at = payload; at + 4 <= offset + length; at += 4) {
                    Fds.close(control.getInt(at));
                }
            }
            // CMSG_NXTHDR: headers start on 8-byte boundaries.
            offset += (length + 7) & ~7L;
        }
        return credentials;
    }

    /** Closes the socket and removes its file. Idempotent. */
    @Override
    public void close() {
        if (fd < 0) {
            return;
        }
        Fds.close(fd);
        fd = -1;
        if (!address.isAbstract() && (fileKey == null || fileKey.equals(fileKey(address.file())))) {
            deleteQuietly(address.file());
        }
        header.close();
        iovec.close();
        data.close();
        control.close();
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // Best effort: a leftover socket file is harmless and the next bind reports it clearly.
        }
    }
}
