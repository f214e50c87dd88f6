package dev.tend.instance;

import dev.tend.os.CurrentProcess;
import dev.tend.os.Fds;
import dev.tend.os.NativeException;
import dev.tend.os.OfdLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Makes sure one {@code tend up} runs per instance: an OFD lock on the instance's lock file, held for the
 * whole run and released by the kernel when tend ends in any way (SIGKILL included), so a crashed tend
 * never leaves a lock that blocks the next one. The file also holds the holder's pid, for the message the
 * second {@code tend up} prints.
 */
public final class InstanceLock implements AutoCloseable {
    private final int fd;

    private InstanceLock(int fd) {
        this.fd = fd;
    }

    /** Another {@code tend up} holds the lock. */
    public static final class HeldException extends Exception {
        private static final long serialVersionUID = 1L;
        private final OptionalLong pid;

        HeldException(OptionalLong pid) {
            super("held by pid " + (pid.isPresent() ? pid.getAsLong() : "unknown"));
            this.pid = pid;
        }

        /** The pid of the running tend, if the lock file says. */
        public OptionalLong pid() {
            return pid;
        }
    }

    /** Takes the lock of the instance whose lock file is {@code file}, and records this process's pid. */
    public static InstanceLock acquire(Path file) throws HeldException, IOException {
        int fd;
        try {
            fd = Fds.openOrCreate(file, 0600);
        } catch (NativeException e) {
            throw new IOException(e.getMessage());
        }
        boolean taken;
        try (OfdLock lock = new OfdLock(fd, file.toString())) {
            taken = lock.tryLock(0, 1);
        }
        if (!taken) {
            Fds.close(fd);
            throw new HeldException(holder(file));
        }
        Files.writeString(file, CurrentProcess.pid() + "\n");
        return new InstanceLock(fd);
    }

    private static OptionalLong holder(Path file) {
        return RuntimeDirectory.lockHolder(file);
    }

    /** Releases the lock. */
    @Override
    public void close() {
        Fds.close(fd);
    }
}
