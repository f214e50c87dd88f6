package dev.tend.state;

import static dev.tend.state.StateFileLayout.ALLOC_END_OFFSET;
import static dev.tend.state.StateFileLayout.FIRST_BLOCK_OFFSET;
import static dev.tend.state.StateFileLayout.PUBLISHED_VERSION_OFFSET;
import static dev.tend.state.StateFileLayout.SEQ_OFFSET;
import static dev.tend.state.StateFileLayout.bufOffsetField;
import static dev.tend.state.StateFileLayout.descriptorOffset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Direct access to a state file's words, bypassing the API: for inspecting what a writer left behind and
 * for forging the states a crashed or broken writer would leave.
 */
final class RawFile implements AutoCloseable {
    private final FileChannel channel;
    private final RegionMapper mapper;

    RawFile(Path path) {
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        mapper = new RegionMapper(channel, true, path);
    }

    Region region(long end) {
        return mapper.covering(end);
    }

    long getLong(long offset) {
        return region(offset + 8).getAcquire(offset);
    }

    void putLong(long offset, long value) {
        region(offset + 8).setRelease(offset, value);
    }

    void putInt(long offset, int value) {
        region(offset + 4).putInt(offset, value);
    }

    /** Descriptor offset of a slot in table block 0. */
    static long descriptor(int slot) {
        return descriptorOffset(FIRST_BLOCK_OFFSET, slot);
    }

    long publishedVersion(int slot) {
        return getLong(descriptor(slot) + PUBLISHED_VERSION_OFFSET);
    }

    long buffer(int slot, int index) {
        return getLong(bufOffsetField(descriptor(slot), index));
    }

    long seq(long buffer) {
        return getLong(buffer + SEQ_OFFSET);
    }

    long allocEnd() {
        return getLong(ALLOC_END_OFFSET);
    }

    long fileLength() {
        try {
            return channel.size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        mapper.close();
    }
}
