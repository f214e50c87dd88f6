package dev.tend.state;

import dev.tend.text.Human;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;

/**
 * A state file open for reading and writing, through the JDK's own file API and no native library: a publisher
 * such as {@code tend set} is a short process whose start-up loading JNA would double. The JDK opens files
 * close-on-exec, so no child inherits the descriptor. Not thread-safe: callers serialise their own use.
 */
final class WritableStateFile implements AutoCloseable {
    /** Zeros written at a time when storage is reserved. */
    private static final int ZEROS = 1 << 16;

    private final Path path;
    private final FileChannel channel;

    private WritableStateFile(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /** Opens an existing file read-write. */
    static WritableStateFile open(Path path) {
        try {
            return new WritableStateFile(path, FileChannel.open(path, StandardOpenOption.READ,
                    StandardOpenOption.WRITE));
        } catch (NoSuchFileException e) {
            throw new StateException(StateException.Reason.NOT_FOUND, "no state file at " + path, e);
        } catch (IOException e) {
            throw new StateException(StateException.Reason.IO, "cannot open state file " + path + ": " + e, e);
        }
    }

    /**
     * Creates a new file that must not exist yet, readable and writable by its owner only (the umask can only
     * take bits away from that).
     */
    static WritableStateFile createNew(Path path) {
        try {
            return new WritableStateFile(path, FileChannel.open(path,
                    EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))));
        } catch (FileAlreadyExistsException e) {
            throw new StateException(StateException.Reason.IO, "cannot create state file " + path
                    + ": a file of that name exists", e);
        } catch (IOException e) {
            throw new StateException(StateException.Reason.IO, "cannot create state file " + path + ": " + e, e);
        }
    }

    /**
     * The file's channel, for mapping. It stays this object's: {@link #close} closes it, and closing it
     * elsewhere first is harmless (closing a channel twice does nothing).
     */
    FileChannel channel() {
        return channel;
    }

    /**
     * Reserves real storage for {@code [offset, offset + length)}, extending the file if needed, by writing
     * zeros there. Done before anything in the range is published, so that no later access through a mapping can
     * fault on a full tmpfs: a full file system fails this write instead, with an error. The range is one a
     * caller has just claimed for itself, so nothing in it can be overwritten.
     */
    void reserve(long offset, long length) {
        ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(length, ZEROS));
        long at = offset;
        try {
            while (at < offset + length) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), offset + length - at));
                at += channel.write(zeros, at);
            }
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).contains("No space left")) {
                throw new StateException(StateException.Reason.LIMIT, "no space left to grow state file " + path
                        + " by " + Human.bytes(length) + "; the file system holding it is full", e);
            }
            throw new StateException(StateException.Reason.IO, "cannot grow state file " + path + ": " + e, e);
        }
    }

    @Override
    public void close() {
        RegionMapper.close(channel, path);
    }
}
