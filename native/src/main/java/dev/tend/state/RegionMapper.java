package dev.tend.state;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps a mapping that covers every part of a growing state file a caller has needed so far.
 *
 * <p>Growth never moves data, so a larger mapping simply replaces the current one; old regions are left to
 * the garbage collector rather than unmapped, because another thread may still be copying out of them.
 */
final class RegionMapper implements AutoCloseable {
    private final FileChannel channel;
    private final FileChannel.MapMode mode;
    private final Path path;
    /** Regions to unmap at close, only kept for an owner that will call {@link #unmapAll}. */
    private final List<Region> created;
    private volatile Region current;

    RegionMapper(FileChannel channel, boolean writable, Path path) {
        this(channel, writable, path, false);
    }

    RegionMapper(FileChannel channel, boolean writable, Path path, boolean unmapAtClose) {
        this.channel = channel;
        this.created = unmapAtClose ? new ArrayList<>() : null;
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
                            + " is " + region.length() + " bytes long but refers to offset " + end);
                }
                current = region;
            }
            return region;
        }
    }

    private Region map() {
        try {
            long size = channel.size();
            if (size > StateFileLayout.MAX_FILE_LENGTH) {
                throw new StateException(StateException.Reason.CORRUPT, "state file " + path + " is " + size
                        + " bytes long, over the format's limit of " + StateFileLayout.MAX_FILE_LENGTH);
            }
            Region region = new Region(channel.map(mode, 0, size));
            if (created != null) {
                created.add(region);
            }
            return region;
        } catch (IOException e) {
            throw new StateException(StateException.Reason.IO, "cannot map state file " + path + ": " + e, e);
        }
    }

    /**
     * Unmaps every region this mapper made, at once rather than at garbage collection. Any later access to
     * them crashes the JVM, so only a single-threaded owner that stops using them may call this.
     */
    synchronized void unmapAll() {
        if (created == null) {
            throw new IllegalStateException("this mapper does not track its regions");
        }
        try {
            Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
            Field field = unsafeClass.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            Method invokeCleaner = unsafeClass.getMethod("invokeCleaner", ByteBuffer.class);
            for (Region region : created) {
                invokeCleaner.invoke(field.get(null), region.buffer());
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Without sun.misc.Unsafe the mappings simply live until they are garbage-collected.
        }
        created.clear();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new StateException(StateException.Reason.IO, "cannot close state file " + path + ": " + e, e);
        }
    }
}
