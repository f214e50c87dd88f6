package dev.tend.testing;

import dev.tend.os.Processes;
import dev.tend.os.Signal;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The tend program run as a separate process, as a user would run it: a JVM started from this test's
 * class path, with its stdout and stderr captured line by line.
 */
public final class TendProcess implements AutoCloseable {
    public static final Duration WAIT = Duration.ofSeconds(20);

    /**
     * The runtime base directory of every tend this test JVM starts: shared, so clients find the instances
     * the same JVM started, and private, so tests never touch the real /run/tend.
     */
    public static final Path RUNTIME_BASE = Path.of(System.getProperty("java.io.tmpdir"),
            "tend-tests-" + ProcessHandle.current().pid());

    static {
        // Each test JVM has its own pair of directories (named after its pid): removed when it ends, so that
        // runs do not pile them up in /tmp. Best effort: a tend a test left running may still write there.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            deleteQuietly(RUNTIME_BASE);
            deleteQuietly(RUNTIME_BASE.resolveSibling(RUNTIME_BASE.getFileName() + "-bin"));
        }, "remove-test-runtime-base"));
    }

    private final Process process;
    private final List<String> out = new CopyOnWriteArrayList<>();
    private final List<String> err = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream rawOut = new ByteArrayOutputStream();

    private final Thread outReader;
    private final Thread errReader;

    private TendProcess(Process process) {
        this.process = process;
        this.outReader = pump(process.getInputStream(), out, rawOut);
        this.errReader = pump(process.getErrorStream(), err, new ByteArrayOutputStream());
    }

    /** The JVM command line that runs tend from this test's class path. */
    private static List<String> javaCommand() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-Djna.platform.library.path=" + System.getProperty("jna.platform.library.path", "/usr/lib"));
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Xshare:auto");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("dev.tend.cli.Main");
        return command;
    }

    /**
     * A directory holding a {@code tend} script that runs this test's tend, put first on the PATH of every
     * tend a test starts, so that workers can call {@code tend set}, {@code tend get} or {@code tend require}
     * as they would with tend installed.
     */
    public static synchronized Path shimDirectory() throws IOException {
        Path bin = RUNTIME_BASE.resolveSibling(RUNTIME_BASE.getFileName() + "-bin");
        Path shim = bin.resolve("tend");
        StringBuilder script = new StringBuilder("#!/bin/sh\nexec");
        for (String part : javaCommand()) {
            script.append(" '").append(part.replace("'", "'\\''")).append('\'');
        }
        script.append(" \"$@\"\n");
        // The directory is named after this JVM's pid: one left by an earlier test JVM of the same pid (another
        // build, another checkout) runs that JVM's class path, so it is replaced unless it is this one's.
        if (!Files.exists(shim) || !Files.readString(shim).contentEquals(script)) {
            Files.createDirectories(bin);
            Path temp = bin.resolve("tend.tmp");
            Files.writeString(temp, script);
            temp.toFile().setExecutable(true, false);
            Files.move(temp, shim, StandardCopyOption.ATOMIC_MOVE);
        }
        return bin;
    }

    /** Starts {@code tend ARGS…} in {@code dir}. */
    public static TendProcess start(Path dir, Map<String, String> env, String... args) throws IOException {
        return start(List.of(), dir, env, args);
    }

    /**
     * Starts {@code tend ARGS…} in {@code dir} with at most {@code limit} open files, soft and hard, as
     * {@code ulimit -n} sets them: util-linux's {@code prlimit} sets the limit and then becomes tend.
     */
    public static TendProcess startWithOpenFileLimit(Path dir, long limit, String... args) throws IOException {
        return start(List.of("prlimit", "--nofile=" + limit + ":" + limit, "--"), dir, Map.of(), args);
    }

    /**
     * Starts {@code PREFIX… java … tend ARGS…} in {@code dir}: a program that sets something up (a namespace, a
     * limit) and then runs its arguments.
     */
    public static TendProcess startWrapped(List<String> prefix, Path dir, String... args) throws IOException {
        return start(prefix, dir, Map.of(), args);
    }

    private static TendProcess start(List<String> prefix, Path dir, Map<String, String> env, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(javaCommand());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().put("NO_COLOR", "1");
        pb.environment().put("TEND_RUNTIME_DIR", RUNTIME_BASE.toString());
        pb.environment().put("PATH", shimDirectory() + ":" + pb.environment().getOrDefault("PATH", "/usr/bin:/bin"));
        pb.environment().putAll(env);
        return new TendProcess(pb.start());
    }

    public static TendProcess start(Path dir, String... args) throws IOException {
        return start(dir, Map.of(), args);
    }

    /** The runtime directory of the instance whose config is in {@code dir} (instances are named after it). */
    public static Path instanceDirectory(Path dir) {
        return RUNTIME_BASE.resolve(dir.getFileName().toString());
    }

    /**
     * Writes {@code toml} as {@code dir/tend.toml}, starts {@code tend up} there and returns once it has begun
     * starting workers and its control socket exists.
     */
    public static TendProcess up(Path dir, String toml) throws Exception {
        Files.writeString(dir.resolve("tend.toml"), toml);
        TendProcess tend = start(dir, "up");
        tend.awaitLine("start", l -> l.contains("| starting "));
        Path socket = instanceDirectory(dir).resolve("control.sock");
        Await.until(WAIT, "control socket", () -> Files.exists(socket));
        return tend;
    }

    /** Runs tend to completion and returns its exit code. */
    public static Result run(Path dir, Map<String, String> env, String... args) throws Exception {
        try (TendProcess tend = start(dir, env, args)) {
            int code = tend.awaitExit();
            return new Result(code, tend.stdout(), tend.stderr());
        }
    }

    public static Result run(Path dir, String... args) throws Exception {
        return run(dir, Map.of(), args);
    }

    /** What a finished tend printed and how it exited. */
    public record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    /** Reads a stream to its end: every byte into {@code raw}, and each line, decoded, into {@code sink}. */
    private static Thread pump(InputStream stream, List<String> sink, ByteArrayOutputStream raw) {
        Thread t = new Thread(() -> {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try (stream) {
                int n;
                while ((n = stream.read(buffer)) > 0) {
                    raw.write(buffer, 0, n);
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == '\n') {
                            sink.add(decode(line));
                            line.reset();
                        } else {
                            line.write(buffer[i]);
                        }
                    }
                }
                if (line.size() > 0) {
                    sink.add(decode(line));
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "tend-output-reader");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static String decode(ByteArrayOutputStream line) {
        String text = line.toString(StandardCharsets.UTF_8);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    public long pid() {
        return process.pid();
    }

    /** tend's standard input, a pipe: what a test writes there tend reads; closing it is end of file. */
    public OutputStream stdin() {
        return process.getOutputStream();
    }

    /**
     * A {@code tend} script that runs this test's tend, for programs that start tend themselves (a shell in a
     * terminal multiplexer); it does not set the environment {@link #start} sets.
     */
    public static Path script() throws IOException {
        return shimDirectory().resolve("tend");
    }

    public List<String> lines() {
        return out;
    }

    /** Every byte tend wrote to its stdout so far, as written. */
    public byte[] stdoutBytes() {
        return rawOut.toByteArray();
    }

    public String stdout() {
        return String.join("\n", out) + "\n";
    }

    public String stderr() {
        return String.join("\n", err) + "\n";
    }

    /** Waits for a stdout line and returns it. */
    public String awaitLine(String what, Predicate<String> match) {
        return Await.value(WAIT, what + " in the output of tend; so far:\n" + stdout() + stderr(),
                () -> out.stream().filter(match).findFirst().orElse(null));
    }

    /** The pid printed in {@code NAME started (pid N)}. */
    public long awaitWorkerPid(String worker) {
        String line = awaitLine(worker + " started", l -> l.contains("| " + worker + " started (pid "));
        return Long.parseLong(line.substring(line.indexOf("(pid ") + 5, line.indexOf(')', line.indexOf("(pid "))));
    }

    public void signal(Signal signal) {
        Processes.signal((int) process.pid(), signal);
    }

    public int awaitExit() throws InterruptedException {
        if (!process.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("tend did not exit; output:\n" + stdout() + stderr());
        }
        // The readers reach end of file once tend and everything holding its stdout are gone; workers that
        // outlive tend on purpose in a test must not hold the test up, hence the bound.
        outReader.join(2000);
        errReader.join(2000);
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    private static void deleteQuietly(Path tree) {
        try (Stream<Path> paths = Files.walk(tree)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // Already gone, or a file went away under the walk: nothing to clean then.
        }
    }
}
