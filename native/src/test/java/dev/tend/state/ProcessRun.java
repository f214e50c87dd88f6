package dev.tend.state;

import dev.tend.os.ChildProcess;
import dev.tend.os.ExitStatus;
import dev.tend.os.Fds;
import dev.tend.os.SpawnRequest;
import dev.tend.os.Spawner;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/** Runs a program to completion through {@link Spawner}, collecting stdout as bytes and stderr as text. */
record ProcessRun(int exitCode, byte[] stdout, String stderr) {
    String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    static ProcessRun run(Path executable, List<String> argv, Map<String, String> environment, Duration timeout) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + timeout.toNanos();
        ByteBuffer buffer = ByteBuffer.allocate(65536);
        try (ChildProcess child = Spawner.spawn(new SpawnRequest(executable, argv, Path.of("/"), environment, 0, -1))) {
            child.closeStdin();
            while (child.stdout() >= 0 || child.stderr() >= 0) {
                boolean progress = drain(child.stdout(), buffer, out, child::closeStdout)
                        | drain(child.stderr(), buffer, err, child::closeStderr);
                if (!progress) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError(argv + " did not finish within " + timeout);
                    }
                    LockSupport.parkNanos(200_000);
                }
            }
            ExitStatus[] status = new ExitStatus[1];
            Deadline.await(timeout, "exit of " + argv, () -> (status[0] = child.tryReap().orElse(null)) != null);
            return new ProcessRun(status[0].shellStatus(), out.toByteArray(), err.toString(StandardCharsets.UTF_8));
        }
    }

    /** Reads what is there; closes at end of file. Whether anything happened. */
    private static boolean drain(int fd, ByteBuffer buffer, ByteArrayOutputStream into, Runnable close) {
        if (fd < 0) {
            return false;
        }
        int n = Fds.read(fd, buffer.clear());
        if (n > 0) {
            into.write(buffer.array(), 0, n);
            return true;
        }
        if (n == 0) {
            close.run();
            return true;
        }
        return false;
    }
}
