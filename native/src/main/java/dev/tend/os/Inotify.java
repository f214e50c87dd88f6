package dev.tend.os;

import com.sun.jna.Native;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * An inotify instance: non-blocking and close-on-exec, so that its descriptor can be registered on a
 * {@link Reactor} and read when it becomes readable. Watches are per directory (inotify is not recursive);
 * whoever watches a tree adds one watch per directory.
 *
 * <p>Failures name the call and the path. The kernel's per-user limits are {@link WatchLimitException}s
 * naming the sysctl to raise: {@code ENOSPC} from {@code inotify_add_watch} (too many watches) and
 * {@code EMFILE} from {@code inotify_init1} (too many inotify instances).
 *
 * <p>Not thread-safe: one thread (the loop's) adds, removes and reads.
 */
public final class Inotify implements AutoCloseable {
    // <sys/inotify.h>
    /** A file was modified (written to). */
    public static final int MODIFY = 0x2;
    /** Metadata changed: permissions, times ({@code touch}), links. */
    public static final int ATTRIB = 0x4;
    /** A file opened for writing was closed. */
    public static final int CLOSE_WRITE = 0x8;
    /** An entry was moved out of the directory; {@link Event#cookie()} pairs it with its {@link #MOVED_TO}. */
    public static final int MOVED_FROM = 0x40;
    /** An entry was moved into the directory. */
    public static final int MOVED_TO = 0x80;
    /** An entry was created in the directory. */
    public static final int CREATE = 0x100;
    /** An entry was deleted from the directory. */
    public static final int DELETE = 0x200;
    /** The watched directory itself was deleted. */
    public static final int DELETE_SELF = 0x400;
    /** The watched directory itself was moved. */
    public static final int MOVE_SELF = 0x800;
    /** The queue overflowed: events were lost. The event's watch descriptor is -1. */
    public static final int Q_OVERFLOW = 0x4000;
    /** The watch is gone (removed, or its directory deleted); its descriptor may be reused afterwards. */
    public static final int IGNORED = 0x8000;
    /** The entry the event is about is a directory. */
    public static final int ISDIR = 0x40000000;
    /** {@link #addWatch} flag: fail with {@code ENOTDIR} unless the path is a directory. */
    public static final int ONLYDIR = 0x01000000;
    /** {@link #addWatch} flag: do not follow a symbolic link at the path. */
    public static final int DONT_FOLLOW = 0x02000000;

    private static final int IN_NONBLOCK = LibC.O_NONBLOCK;
    private static final int IN_CLOEXEC = LibC.O_CLOEXEC;
    /** {@code struct inotify_event}: wd, mask, cookie, len, then {@code len} bytes of NUL-padded name. */
    private static final int HEADER = 16;
    /** Room for many events per read; the kernel never splits one event across reads. */
    private static final int BUFFER_SIZE = 64 * 1024;

    /**
     * One event.
     *
     * @param wd     the watch it came from (-1 for {@link #Q_OVERFLOW}).
     * @param mask   what happened, as the constants of {@link Inotify}.
     * @param cookie pairs a {@link #MOVED_FROM} with its {@link #MOVED_TO}; 0 otherwise.
     * @param name   the entry's name in the watched directory; empty for an event on the directory itself.
     */
    public record Event(int wd, int mask, int cookie, String name) {
        /** Whether {@code flag} (one of the constants of {@link Inotify}) is set. */
        public boolean is(int flag) {
            return (mask & flag) != 0;
        }

        /** Whether the entry is a directory. */
        public boolean isDirectory() {
            return is(ISDIR);
        }

        /** Whether this event says that events were lost. */
        public boolean overflow() {
            return is(Q_OVERFLOW);
        }
    }

    private final int fd;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE).order(ByteOrder.nativeOrder());
    private boolean closed;

    private Inotify(int fd) {
        this.fd = fd;
    }

    /**
     * A new inotify instance.
     *
     * @throws WatchLimitException when the user has as many inotify instances as the kernel allows.
     * @throws NativeException     on any other failure.
     */
    public static Inotify open() {
        int fd = LibC.inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        if (fd < 0) {
            int errno = Native.getLastError();
            if (errno == Errno.EMFILE) {
                throw new WatchLimitException(WatchLimitException.INSTANCES, null,
                        new NativeException("inotify_init1", null, errno));
            }
            throw new NativeException("inotify_init1", null, errno);
        }
        return new Inotify(fd);
    }

    /** The descriptor to register on a {@link Reactor}: readable when events are queued. */
    public int fd() {
        return fd;
    }

    /**
     * Watches {@code path} for the events in {@code mask}. Watching the same inode again returns the same
     * watch descriptor, with its mask replaced.
     *
     * @return the watch descriptor events carry.
     * @throws WatchLimitException when the user has as many watches as the kernel allows ({@code ENOSPC}).
     * @throws NativeException     naming the path otherwise: {@code ENOENT} (it does not exist, or no longer),
     *     {@code ENOTDIR} (with {@link #ONLYDIR}), {@code EACCES}.
     */
    public int addWatch(Path path, int mask) {
        int wd = LibC.inotify_add_watch(fd, (path + "\0").getBytes(StandardCharsets.UTF_8), mask);
        if (wd < 0) {
            int errno = Native.getLastError();
            NativeException failure = new NativeException("inotify_add_watch", path.toString(), errno);
            if (errno == Errno.ENOSPC) {
                throw new WatchLimitException(WatchLimitException.WATCHES, path, failure);
            }
            throw failure;
        }
        return wd;
    }

    /**
     * Stops a watch; an {@link #IGNORED} event for it follows. A watch the kernel already removed (its
     * directory was deleted) is no error.
     */
    public void removeWatch(int wd) {
        if (LibC.inotify_rm_watch(fd, wd) != 0) {
            int errno = Native.getLastError();
            if (errno != Errno.EINVAL) {
                throw new NativeException("inotify_rm_watch", "wd " + wd, errno);
            }
        }
    }

    /**
     * Reads every queued event and hands each to {@code sink}, in order, until none is left. Reuses one
     * buffer, so a burst of events costs no allocation but the events themselves.
     *
     * @return how many events were read.
     */
    public int read(Consumer<Event> sink) {
        int count = 0;
        while (true) {
            buffer.clear();
            int n = Fds.read(fd, buffer);
            if (n == Fds.AGAIN || n == 0) {
                return count;
            }
            buffer.flip();
            while (buffer.remaining() >= HEADER) {
                int wd = buffer.getInt();
                int mask = buffer.getInt();
                int cookie = buffer.getInt();
                int len = buffer.getInt();
                String name = name(len);
                count++;
                sink.accept(new Event(wd, mask, cookie, name));
            }
        }
    }

    private String name(int len) {
        int start = buffer.position();
        int end = start;
        while (end < start + len && buffer.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - start];
        buffer.get(bytes);
        buffer.position(start + len);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Closes the instance; the kernel removes its watches. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Fds.close(fd);
        }
    }
}
