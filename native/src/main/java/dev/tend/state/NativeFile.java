package dev.tend.state;

import dev.tend.os.Errno;
import dev.tend.os.Fds;
import dev.tend.os.NativeException;
import dev.tend.text.Human;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A read-write descriptor of a state file, for what Java's file API cannot do: {@code open} with
 * {@code O_EXCL} and an exact mode, and {@code fallocate}. Not thread-safe: callers serialise their own use.
 */
final class NativeFile implements AutoCloseable {
    private final Path path;
    private int fd;

    private NativeFile(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /** Opens an existing file read-write, close-on-exec. */
    static NativeFile open(Path path) {
        try {
            return new NativeFile(path, Fds.openReadWrite(path));
        } catch (NativeException e) {
            throw cannotOpen(path, e);
        }
    }

    /** Creates a new file that must not exist yet, with permissions {@code mode}. */
    static NativeFile createNew(Path path, int mode) {
        try {
            return new NativeFile(path, Fds.createNew(path, mode));
        } catch (NativeException e) {
            throw cannotOpen(path, e);
        }
    }

    private static StateException cannotOpen(Path path, NativeException e) {
        StateException.Reason reason = e.errno() == Errno.ENOENT
                ? StateException.Reason.NOT_FOUND : StateException.Reason.IO;
        return new StateException(reason, "cannot open state file " + path + ": "
                + new NativeException("open", null, e.errno()).getMessage());
    }

    /** A channel on this very open file (not the path, which may have been replaced since). */
    FileChannel channel() {
        try {
            return FileChannel.open(Path.of("/proc/self/fd/" + fd), StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new StateException(StateException.Reason.IO, "cannot reopen state file " + path + ": " + e, e);
        }
    }

    /**
     * Reserves real storage for {@code [offset, offset + length)}, extending the file if needed. Done before
     * anything in the range is published, so that no later access can fault on a full tmpfs.
     */
    void reserve(long offset, long length) {
        int errno;
        try {
            Fds.allocate(fd, offset, length);
            return;
        } catch (NativeException e) {
            errno = e.errno();
        }
        if (errno == Errno.EOPNOTSUPP) {
            writeZeros(offset, length);
            return;
        }
        if (errno == Errno.ENOSPC) {
            throw new StateException(StateException.Reason.LIMIT, "no space left to grow state file " + path
                    + " by " + Human.bytes(length) + " (fallocate: ENOSPC); the file system holding it is full");
        }
        throw new StateException(StateException.Reason.IO, "cannot grow state file " + path + ": "
                + new NativeException("fallocate", null, errno).getMessage());
    }

    /** For file systems without fallocate: writing zeros also allocates the blocks. */
    private void writeZeros(long offset, long length) {
        try (FileChannel channel = channel()) {
            ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(length, 1 << 16));
            long at = offset;
            while (at < offset + length) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), offset + length - at));
                at += channel.write(zeros, at);
            }
        } catch (IOException e) {
            throw new StateException(StateException.Reason.IO, "cannot grow state file " + path + ": " + e, e);
        }
    }

    @Override
    public void close() {
        if (fd >= 0) {
            Fds.close(fd);
            fd = -1;
        }
    }
}
