package dev.tend.state;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Keeps a mapping that covers every part of a growing state file a caller has needed so far.
 *
 * <p>Growth never moves data, so a larger mapping simply replaces the current one; old regions are left to
 * the garbage collector rather than unmapped, because another thread may still be copying out of them. No
 * mapping is ever unmapped explicitly: on JDK 17 only {@code sun.misc.Unsafe} can, a use after it crashes the
 * JVM, and the supervisor, the one long-lived owner that closes a file, exits soon after.
 */
final class RegionMapper implements AutoCloseable {
    private final FileChannel channel;
    private final FileChannel.MapMode mode;
    private final Path path;
    private volatile Region current;

    RegionMapper(FileChannel channel, boolean writable, Path path) {
        this.channel = channel;
        this.mode = writable ? FileChannel.MapMode.READ_WRITE : FileChannel.MapMode.READ_ONLY;
        this.path = path;
        this.current = map();
    }

    /** The newest mapping. */
    Region region() {
        return current;
    }

    /**
     * A mapping that covers {@code [0, end)}, remapping the file's current length if needed.
     *
     * @throws StateException CORRUPT when the file is shorter than {@code end}: something points past its end.
     */
    Region covering(long end) {
        Region region = current;
        if (region.length() >= end) {
            return region;
        }
        synchronized (this) {
            region = current;
            if (region.length() < end) {
                region = map();
                if (region.length() < end) {
                    throw new StateException(StateException.Reason.CORRUPT, "state file " + path
                            + " is corrupted: it is " + region.length() + " bytes long but refers to offset " + end);
                }
                current = region;
            }
            return region;
        }
    }

    /** Whether the file, at its current length, covers {@code [0, end)}. */
    boolean fits(long end) {
        if (current.length() >= end) {
            return true;
        }
        try {
            return channel.size() >= end;
        } catch (IOException e) {
            throw new StateException(StateException.Reason.IO, "cannot read the length of state file " + path
                    + ": " + e, e);
        }
    }

    /**
     * Whether the file is still as long as the newest mapping: the file never shrinks by itself, but anyone who
     * can write it can truncate it, and then touching the mapping past the new end faults (SIGBUS), which the
     * JVM reports later, as an {@link InternalError} thrown in whatever code runs then.
     */
    boolean intact() {
        try {
            return channel.size() >= current.length();
        } catch (IOException e) {
            return false;
        }
    }

    private Region map() {
        try {
            long size = channel.size();
            if (size > StateFileLayout.MAX_FILE_LENGTH) {
                throw new StateException(StateException.Reason.CORRUPT, "state file " + path + " is " + size
                        + " bytes long, over the format's limit of " + StateFileLayout.MAX_FILE_LENGTH);
            }
            return new Region(channel.map(mode, 0, size));
        } catch (IOException e) {
            throw new StateException(StateException.Reason.IO, "cannot map state file " + path + ": " + e, e);
        }
    }

    @Override
    public void close() {
        close(channel, path);
    }

    /** Closes a state file's channel; an I/O error becomes a {@link StateException}. */
    static void close(FileChannel channel, Path path) {
        try {
            channel.close();
        } catch (IOException e) {
            throw new StateException(StateException.Reason.IO, "cannot close state file " + path + ": " + e, e);
        }
    }
}
