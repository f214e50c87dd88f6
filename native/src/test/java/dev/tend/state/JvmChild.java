package dev.tend.state;

import dev.tend.os.ChildProcess;
import dev.tend.os.ExitStatus;
import dev.tend.os.Fds;
import dev.tend.os.Signal;
import dev.tend.os.SpawnRequest;
import dev.tend.os.Spawner;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * A helper JVM ({@link StateTestMain}) started with {@link Spawner}, with line-oriented access to its stdout.
 * Stderr is collected for failure messages.
 */
public final class JvmChild implements AutoCloseable {
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    private final ChildProcess process;
    private final StringBuilder out = new StringBuilder();
    private final StringBuilder err = new StringBuilder();
    private final ByteBuffer buffer = ByteBuffer.allocate(8192);

    private JvmChild(ChildProcess process) {
        this.process = process;
    }

    /** Starts {@code mainClass} with {@code args} in a helper JVM ({@link HelperJvm}). */
    public static JvmChild start(String mainClass, Map<String, String> extraEnvironment, String... args) {
        return start(HelperJvm.options(), mainClass, extraEnvironment, args);
    }

    static JvmChild start(List<String> options, String mainClass, String... args) {
        return start(options, mainClass, Map.of(), args);
    }

    private static JvmChild start(List<String> options, String mainClass, Map<String, String> extraEnvironment,
                                  String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(JAVA);
        argv.addAll(options);
        argv.add(mainClass);
        argv.addAll(List.of(args));
        Map<String, String> environment = new HashMap<>();
        environment.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        environment.put("HOME", System.getProperty("user.home"));
        environment.putAll(extraEnvironment);
        return new JvmChild(Spawner.spawn(new SpawnRequest(Path.of(JAVA), argv, Path.of("/"), environment, 0, -1)));
    }

    /** Starts {@link StateTestMain} in mode {@code args[0]}. */
    public static JvmChild helper(String... args) {
        return start(StateTestMain.class.getName(), Map.of(), args);
    }

    public int pid() {
        return process.pid();
    }

    /** The next line of stdout, waiting up to {@code timeout}; fails with stderr when the child exits first. */
    public String readLine(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            int newline = out.indexOf("\n");
            if (newline >= 0) {
                String line = out.substring(0, newline);
                out.delete(0, newline + 1);
                return line;
            }
            int n = process.stdout() < 0 ? 0 : Fds.read(process.stdout(), buffer.clear());
            if (n > 0) {
                out.append(new String(buffer.array(), 0, n, StandardCharsets.UTF_8));
                continue;
            }
            drainStderr();
            if (n == 0) {
                throw new AssertionError("helper " + pid() + " closed stdout; stderr:\n" + err);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no line from helper " + pid() + " within " + timeout + "; stderr:\n"
                        + err);
            }
            LockSupport.parkNanos(100_000);
        }
    }

    /** Reads lines until one starts with {@code prefix}; returns it. */
    public String awaitLine(String prefix, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = readLine(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    /** Whatever the child wrote to stderr so far. */
    public String stderr() {
        drainStderr();
        return err.toString();
    }

    private void drainStderr() {
        if (process.stderr() < 0) {
            return;
        }
        int n;
        while ((n = Fds.read(process.stderr(), buffer.clear())) > 0) {
            err.append(new String(buffer.array(), 0, n, StandardCharsets.UTF_8));
        }
        if (n == 0) {
            process.closeStderr();
        }
    }

    public void signal(Signal signal) {
        process.signal(signal);
    }

    public void closeStdin() {
        process.closeStdin();
    }

    /** Waits for the child to exit and reaps it. */
    public ExitStatus awaitExit(Duration timeout) {
        ExitStatus[] status = new ExitStatus[1];
        long deadline = System.nanoTime() + timeout.toNanos();
        while ((status[0] = process.tryReap().orElse(null)) == null) {
            drainStderr();
            if (System.nanoTime() > deadline) {
                throw new AssertionError("helper " + pid() + " did not exit within " + timeout + "; stderr:\n" + err);
            }
            LockSupport.parkNanos(200_000);
        }
        return status[0];
    }

    /** SIGKILL and reap. */
    public ExitStatus kill() {
        process.signal(Signal.KILL);
        return awaitExit(Duration.ofSeconds(10));
    }

    @Override
    public void close() {
        if (process.status().isEmpty()) {
            kill();
        }
        process.close();
    }
}
