package dev.tend.state;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;

/**
 * One mapping of a state file, from offset 0, with the memory-ordered word accesses the protocol needs.
 *
 * <p>Only absolute-index methods are used, so one region can be shared by any number of threads. The file
 * never shrinks, which keeps every region valid for as long as it is referenced, even after a larger one
 * has replaced it.
 */
final class Region {
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    private final MappedByteBuffer buffer;
    private final long length;

    Region(MappedByteBuffer buffer) {
        this.buffer = buffer;
        this.buffer.order(ByteOrder.LITTLE_ENDIAN);
        this.length = buffer.capacity();
    }

    /** Mapped length in bytes. */
    long length() {
        return length;
    }

    /** Whether {@code [offset, offset + count)} lies inside this mapping. */
    boolean covers(long offset, long count) {
        return offset >= 0 && count >= 0 && offset + count <= length;
    }

    long getAcquire(long offset) {
        return (long) LONG.getAcquire(buffer, (int) offset);
    }

    long getOpaque(long offset) {
        return (long) LONG.getOpaque(buffer, (int) offset);
    }

    void setRelease(long offset, long value) {
        LONG.setRelease(buffer, (int) offset, value);
    }

    boolean compareAndSet(long offset, long expected, long value) {
        return LONG.compareAndSet(buffer, (int) offset, expected, value);
    }

    /** Plain read; only for fields made visible by an earlier acquire, or validated afterwards. */
    long getLong(long offset) {
        return buffer.getLong((int) offset);
    }

    /** Plain write; only for fields a later release store publishes. */
    void putLong(long offset, long value) {
        buffer.putLong((int) offset, value);
    }

    int getInt(long offset) {
        return buffer.getInt((int) offset);
    }

    void putInt(long offset, int value) {
        buffer.putInt((int) offset, value);
    }

    void copyOut(long offset, byte[] target, int targetOffset, int count) {
        buffer.get((int) offset, target, targetOffset, count);
    }

    void copyIn(long offset, byte[] source, int sourceOffset, int count) {
        buffer.put((int) offset, source, sourceOffset, count);
    }

    /** Whether the {@code length} bytes at {@code offset} equal {@code bytes[0, length)}, compared in place. */
    boolean contentEquals(long offset, byte[] bytes, int length) {
        return buffer.slice((int) offset, length).mismatch(ByteBuffer.wrap(bytes, 0, length)) < 0;
    }
}
