package dev.tend.cli;

import dev.tend.protocol.ExitCode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The training run behind a client's class-data archive (made by the launcher, cli/src/main/launcher/tend):
 * the JVM records which classes a run loads and links, and later runs map them from the archive instead of
 * loading them from the jars. Every class in the archive is loaded at every start, so it should hold what the
 * common client commands load, and nothing of the supervisor's: this runs them in this JVM against a
 * throwaway instance started in another. Not {@code tend logs}: it loads JNA (to ask whether standard output
 * is a terminal), whose classes every other command would then load too. Started by the launcher with
 * {@code -Dtend.training=1} and a private
 * {@code TEND_RUNTIME_DIR}; what the commands print is thrown away.
 */
final class Training {
    /** The system property that makes {@link Main} run this instead of a command. */
    static final String PROPERTY = "tend.training";

    /** For {@link #expect}: whatever the exit code (whether a worker is ready yet, say). */
    private static final int ANY = -1;

    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private Training() {}

    /** Runs the training; 0 when every step went as expected, so that the archive is worth keeping. */
    static int run() {
        String base = System.getenv("TEND_RUNTIME_DIR");
        if (base == null || base.isEmpty()) {
            System.err.println("tend: the training run needs a TEND_RUNTIME_DIR of its own");
            return ExitCode.USAGE.code();
        }
        PrintStream out = System.out;
        PrintStream err = System.err;
        Process instance = null;
        try {
            Path config = Files.createDirectories(Path.of(base, "training")).resolve("tend.toml");
            Files.writeString(config, "[pool.w]\ncommand = [\"cat\"]\n");
            instance = start(config);
            Path socket = Path.of(base, "training", "control.sock");
            long deadline = System.nanoTime() + WAIT_NANOS;
            while (!Files.exists(socket)) {
                if (!instance.isAlive() || System.nanoTime() > deadline) {
                    err.println("tend: the training instance did not start");
                    return ExitCode.FAILURE.code();
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
            PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
            System.setOut(nowhere);
            System.setErr(nowhere);
            List<String> failed = new ArrayList<>();
            String c = config.toString();
            expect(failed, 0, "--version");
            expect(failed, 0, "help");
            expect(failed, 0, "ps", "--help");
            expect(failed, 0, "ps", "-c", c);
            expect(failed, 0, "ps", "--json", "-c", c);
            expect(failed, ANY, "status", "--ready", "-c", c);
            expect(failed, 0, "get", "w.1", "-c", c);
            expect(failed, ExitCode.NOT_FOUND.code(), "get", "--json", "w.1", "depth", "-c", c);
            expect(failed, 0, "stop", "w.1", "-c", c);
            expect(failed, 0, "start", "w", "-c", c);
            expect(failed, 0, "restart", "all", "-c", c);
            expect(failed, 0, "scale", "w", "2", "--force", "-c", c);
            expect(failed, 0, "require", "w.2", "-c", c);
            expect(failed, 0, "reload", "-c", c);
            expect(failed, ExitCode.NOT_FOUND.code(), "ps", "--name", "no-such-instance");
            expect(failed, 0, "down", "-c", c);
            if (!instance.waitFor(60, TimeUnit.SECONDS)) {
                failed.add("the instance did not stop");
            }
            if (!failed.isEmpty()) {
                err.println("tend: training: " + String.join("; ", failed));
                return ExitCode.FAILURE.code();
            }
            return ExitCode.OK.code();
        } catch (IOException e) {
            err.println("tend: training: " + e.getMessage());
            return ExitCode.FAILURE.code();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.FAILURE.code();
        } finally {
            System.setOut(out);
            System.setErr(err);
            if (instance != null) {
                instance.destroyForcibly();
            }
        }
    }

    /** Starts {@code tend up -c CONFIG} in a JVM of its own, on the class path of this one. */
    private static Process start(Path config) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        String libraries = System.getProperty("jna.platform.library.path");
        if (libraries != null) {
            command.add("-Djna.platform.library.path=" + libraries);
        }
        command.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "up", "-c", config.toString()));
        return new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static void expect(List<String> failed, int code, String... args) {
        int exit = Main.run(args);
        if (exit != code && code != ANY) {
            failed.add("tend " + String.join(" ", args) + " exited " + exit + ", not " + code);
        }
    }
}
