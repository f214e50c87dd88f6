package dev.tend.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * A tmux server of a test's own (a private socket), with one session running a shell in a real pseudo-terminal:
 * keys go in with {@code send-keys}, the screen comes back with {@code capture-pane}. Closing kills the server.
 */
final class Tmux implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final String socket = "tend-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();

    /** Starts a server with a {@code width}x{@code height} session running {@code sh} with {@code env}. */
    Tmux(int width, int height, Map<String, String> env) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("new-session", "-d", "-x", Integer.toString(width), "-y",
                Integer.toString(height)));
        env.forEach((k, v) -> command.addAll(List.of("-e", k + "=" + v)));
        command.addAll(List.of("sh"));
        run(command.toArray(String[]::new));
    }

    /** Runs {@code tmux ARGS} on this server and returns what it printed. */
    String run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tmux", "-L", socket, "-f", "/dev/null"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("tmux " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }

    /** Types {@code text} and Enter. */
    void type(String text) throws IOException, InterruptedException {
        run("send-keys", "-l", text);
        run("send-keys", "Enter");
    }

    /** Sends keys by tmux's names ({@code Up}, {@code Enter}, {@code C-c}) or as characters. */
    void keys(String... keys) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("send-keys"));
        args.addAll(List.of(keys));
        run(args.toArray(String[]::new));
    }

    /** The screen now, one string per line. */
    List<String> screen() throws IOException, InterruptedException {
        return List.of(run("capture-pane", "-p").split("\n", -1));
    }

    /** Whether the pane shows the alternate screen. */
    boolean alternateScreen() throws IOException, InterruptedException {
        return run("display-message", "-p", "#{alternate_on}").trim().equals("1");
    }

    void resize(int width, int height) throws IOException, InterruptedException {
        run("resize-window", "-x", Integer.toString(width), "-y", Integer.toString(height));
    }

    /**
     * Waits until the screen matches, and returns it. Checked every 50 ms rather than continuously: each look
     * runs a tmux client.
     */
    List<String> await(String what, Predicate<List<String>> match) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            List<String> screen = screen();
            if (match.test(screen)) {
                return screen;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + WAIT.toSeconds() + " s waiting for " + what
                        + "; the screen:\n" + String.join("\n", screen));
            }
            LockSupport.parkNanos(50_000_000);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            run("kill-server");
        } catch (IOException e) {
            // Already gone.
        }
    }
}
