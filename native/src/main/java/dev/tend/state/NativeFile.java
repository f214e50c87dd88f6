package dev.tend.state;

import com.sun.jna.Native;
import dev.tend.os.Errno;
import dev.tend.os.LibC;
import dev.tend.os.NativeException;
import dev.tend.text.Human;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A read-write descriptor of a state file, for what Java's file API cannot do: {@code open} with
 * {@code O_EXCL} and an exact mode, and {@code fallocate}. Not thread-safe: callers serialise their own use.
 */
final class NativeFile implements AutoCloseable {
    private static final int EOPNOTSUPP = 95;

    private final Path path;
    private int fd;

    private NativeFile(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /** Opens an existing file read-write, close-on-exec. */
    static NativeFile open(Path path) {
        return open(path, LibC.O_RDWR | LibC.O_CLOEXEC, 0);
    }

    /** Creates a new file that must not exist yet, with permissions {@code mode}. */
    static NativeFile createNew(Path path, int mode) {
        return open(path, LibC.O_RDWR | LibC.O_CLOEXEC | LibC.O_CREAT | LibC.O_EXCL, mode);
    }

    private static NativeFile open(Path path, int flags, int mode) {
        byte[] name = (path.toString() + "\0").getBytes(StandardCharsets.UTF_8);
        int fd = LibC.open(name, flags, mode);
        if (fd < 0) {
            int errno = Native.getLastError();
            StateException.Reason reason = errno == Errno.ENOENT
                    ? StateException.Reason.NOT_FOUND : StateException.Reason.IO;
            throw new StateException(reason, "cannot open state file " + path + ": "
                    + new NativeException("open", null, errno).getMessage());
        }
        return new NativeFile(path, fd);
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
        if (LibC.fallocate(fd, 0, offset, length) == 0) {
            return;
        }
        int errno = Native.getLastError();
        if (errno == EOPNOTSUPP) {
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
            LibC.close(fd);
            fd = -1;
        }
    }
}
