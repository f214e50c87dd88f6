package dev.tend.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Structure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OfdLockTest {
    @TempDir
    Path dir;

    /** struct flock as the kernel ABI lays it out on LP64 Linux: what OfdLock fills in by hand. */
    @Structure.FieldOrder({"l_type", "l_whence", "l_start", "l_len", "l_pid"})
    public static class Flock extends Structure {
        public short l_type;
        public short l_whence;
        public long l_start;
        public long l_len;
        public int l_pid;

        int offsetOf(String field) {
            return fieldOffset(field);
        }
    }

    @Test
    void shouldMatchTheKernelsFlockLayout() {
        Flock flock = new Flock();
        assertEquals(OfdLock.FLOCK_SIZE, flock.size());
        assertEquals(8, flock.offsetOf("l_start"));
        assertEquals(16, flock.offsetOf("l_len"));
        assertEquals(24, flock.offsetOf("l_pid"));
    }

    private int open(Path file) {
        int fd = LibC.open((file + "\0").getBytes(StandardCharsets.UTF_8), LibC.O_RDWR | LibC.O_CREAT | LibC.O_CLOEXEC, 0600);
        assertTrue(fd >= 0);
        return fd;
    }

    @Test
    void shouldExcludeAnotherOpenOfTheSameFileEvenInOneProcess() {
        Path file = dir.resolve("f");
        int a = open(file);
        int b = open(file);
        try (OfdLock la = new OfdLock(a, "a"); OfdLock lb = new OfdLock(b, "b")) {
            assertTrue(la.tryLock(1L << 40, 1), "beyond the end of the file");
            assertFalse(lb.tryLock(1L << 40, 1));
            assertTrue(lb.isLockedByOther(1L << 40, 1));
            assertTrue(lb.tryLock(7, 1), "another byte is free");
            la.unlock(1L << 40, 1);
            assertTrue(lb.tryLock(1L << 40, 1));
        } finally {
            Fds.close(a);
            Fds.close(b);
        }
    }

    @Test
    void shouldReleaseWhenTheDescriptorCloses() {
        Path file = dir.resolve("f");
        int a = open(file);
        int b = open(file);
        try (OfdLock la = new OfdLock(a, "a"); OfdLock lb = new OfdLock(b, "b")) {
            assertTrue(la.tryLock(0, 1));
            Fds.close(a);
            assertFalse(lb.isLockedByOther(0, 1));
            assertTrue(lb.tryLock(0, 1));
        } finally {
            Fds.close(b);
        }
    }
}
