package dev.tend.cli.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.testing.Await;
import dev.tend.testing.TendProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tend console} in a real terminal: tmux runs it in a pseudo-terminal of its own (a private server,
 * {@code -L}), the test types with {@code send-keys} and reads the screen with {@code capture-pane}.
 */
class ConsoleTerminalTest {
    @TempDir
    Path dir;

    private static final String SESSION = "console";

    private final String server = "tend-console-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();

    @Test
    void shouldCompleteNamesRunCommandsLeaveLogsOnCtrlCAndKeepHistory() throws Exception {
        String toml = "[pool.worker]\ncommand = [\"cat\"]\n\n"
                + "[pool.ticker]\ncommand = [\"sh\", \"-c\", \"while :; do echo tick; sleep 0.2; done\"]\n";
        Path state = dir.resolve("state");
        Path classes = dir.resolve("classes.log");
        try (TendProcess up = TendProcess.up(dir, toml)) {
            long before = up.awaitWorkerPid("worker.1");
            String instance = dir.getFileName().toString();
            String prompt = "tend:" + instance + "> ";
            tmux("new-session", "-d", "-s", SESSION, "-x", "120", "-y", "40", "-c", dir.toString(),
                    "env NO_COLOR=1 JAVA_TOOL_OPTIONS=-Xlog:class+load=info:file=" + classes + " TEND_RUNTIME_DIR='" + TendProcess.RUNTIME_BASE + "' XDG_STATE_HOME='" + state + "' '"
                            + TendProcess.script() + "' console; echo console-exit=$?; exec sleep 600");
            awaitScreen("the prompt", s -> s.contains(prompt.strip()));

            keys("restart w", "Tab");
            awaitScreen("the pool's name completed", s -> s.contains(prompt + "restart worker"));
            keys(".", "Tab");
            awaitScreen("the worker's name completed", s -> s.contains(prompt + "restart worker.1"));
            keys("Enter");
            awaitScreen("the restart done", s -> s.contains("restarted worker.1"));
            awaitScreen("the prompt after the command", s -> lastLine(s).equals(prompt.strip()));

            keys("ps --js", "Tab");
            awaitScreen("an option completed", s -> s.contains(prompt + "ps --json"));
            keys("C-u", "logs -f ticker", "Enter");
            awaitScreen("followed output", s -> s.contains("ticker.1 | tick"));
            keys("C-c");
            awaitScreen("the prompt after Ctrl-C", s -> lastLine(s).equals(prompt.strip()));
            String left = screen();
            assertFalse(left.contains("tend: error") || left.contains("[exit "), "leaving logs -f is no error:\n" + left);
            keys("ps", "Enter");
            awaitScreen("ps in the same console", s -> s.lines().anyMatch(l -> l.startsWith("worker.1 ")
                    && !l.contains(" " + before + " ")));

            keys("C-d");
            awaitScreen("the console's end", s -> s.contains("console-exit=0"));
        } finally {
            tmux("kill-server");
        }
        List<String> loaded = Files.readAllLines(classes);
        assertTrue(loaded.stream().anyMatch(l -> l.contains("org.jline.terminal.impl.PosixSysTerminal ")),
                "a terminal of jline's own, not its dumb one");
        assertEquals(List.of(), loaded.stream().filter(l -> l.contains("com.sun.jna.") || l.contains("tomlj")).toList(),
                "neither JNA (jline's JNA terminal provider) nor the TOML parser");
        Path history = state.resolve("tend/history");
        List<String> lines = Files.readAllLines(history).stream().map(l -> l.substring(l.indexOf(':') + 1)).toList();
        assertEquals(List.of("restart worker.1", "logs -f ticker", "ps"), lines);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(history)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(history.getParent())));
    }

    private static String lastLine(String screen) {
        List<String> lines = screen.lines().map(String::stripTrailing).filter(l -> !l.isEmpty()).toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    private void keys(String... keys) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", SESSION));
        args.addAll(List.of(keys));
        tmux(args.toArray(String[]::new));
    }

    private String screen() {
        try {
            return tmux("capture-pane", "-p", "-t", SESSION);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private void awaitScreen(String what, Predicate<String> condition) {
        String[] last = {""};
        try {
            Await.until(TendProcess.WAIT, what, () -> condition.test(last[0] = screen()));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the screen:\n" + last[0], e);
        }
    }

    private String tmux(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tmux", "-L", server));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("tmux " + String.join(" ", args) + " did not end");
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
