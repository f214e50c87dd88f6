package dev.tend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.protocol.ExitCode;
import dev.tend.testing.Processes;
import dev.tend.testing.TendProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tend top} in a real pseudo-terminal (tmux), against a real {@code tend up}: it shows every worker, follows
 * a worker killed behind its back, restarts, stops, starts and scales with its keys, shows a worker's output, keeps
 * its layout through resizes, and gives the terminal back (main screen, echo) on {@code q} and on Ctrl-C. And
 * without a terminal, a clear error.
 */
class TopCommandTest {
    private static final Pattern ECHO_ON = Pattern.compile("(^|\\s)echo(\\s|$)");

    @TempDir
    Path dir;

    /** The cells of the row of {@code worker}: name, pid, state, ready, uptime, restarts, …; empty when not shown. */
    private static Optional<String[]> row(List<String> screen, String worker) {
        return screen.stream().filter(l -> l.startsWith("  " + worker + " ")).findFirst()
                .map(l -> l.trim().split("\\s+"));
    }

    private static int pid(List<String> screen, String worker) {
        return row(screen, worker).map(cells -> cells[1].equals("-") ? 0 : Integer.parseInt(cells[1])).orElse(0);
    }

    @Test
    void showsFollowsRestartsResizesAndRestoresTheTerminal() throws Exception {
        try (TendProcess tend = TendProcess.up(dir, """
                [pool.web]
                command = ["cat"]
                count = 2
                [pool.queue]
                command = 'echo "hello from $TEND_WORKER"; exec cat'
                count = 1
                """);
             Tmux tmux = new Tmux(120, 40, Map.of("TEND_RUNTIME_DIR", TendProcess.RUNTIME_BASE.toString(),
                     "NO_COLOR", "1"))) {
            // The shell may reset PATH: the test's tend is named by its path.
            Path classes = dir.resolve("classes.log");
            tmux.type("cd '" + dir + "' && JAVA_TOOL_OPTIONS=-Xlog:class+load=info:file=" + classes + " '"
                    + TendProcess.shimDirectory().resolve("tend") + "' top; echo top ended");
            List<String> screen = tmux.await("every worker", s -> pid(s, "web.1") > 0 && pid(s, "web.2") > 0
                    && pid(s, "queue.1") > 0);
            assertTrue(screen.get(0).startsWith("tend top: instance " + dir.getFileName() + " (pid " + tend.pid()),
                    screen.get(0));
            assertTrue(screen.stream().anyMatch(l -> l.startsWith("NAME ") && l.contains("CPU%")
                    && l.contains("STATE VER") && l.contains("AGE")), String.join("\n", screen));
            assertTrue(tmux.alternateScreen(), "on the alternate screen");

            int killed = pid(screen, "web.1");
            Processes.killQuietly(killed);
            screen = tmux.await("web.1 replaced", s -> pid(s, "web.1") != killed && pid(s, "web.1") > 0
                    && row(s, "web.1").orElseThrow()[5].equals("1"));

            // The rows: web, web.1, web.2, queue, queue.1; the selection starts on the first.
            int before = pid(screen, "web.2");
            tmux.keys("j", "Down", "r");
            screen = tmux.await("web.2 restarted", s -> pid(s, "web.2") != before && pid(s, "web.2") > 0
                    && s.stream().anyMatch(l -> l.startsWith("restarted web.2")));
            assertEquals(pid(screen, "web.1"), pid(tmux.screen(), "web.1"), "only the selected worker restarted");

            // web.2 is selected: s stops it, s again starts it; + and - scale its pool.
            tmux.keys("s");
            tmux.await("web.2 stopped", s -> row(s, "web.2").orElseThrow()[2].equals("stopped")
                    && s.stream().anyMatch(l -> l.startsWith("stopped web.2")));
            tmux.keys("s");
            tmux.await("web.2 started", s -> pid(s, "web.2") > 0 && s.stream().anyMatch(l -> l.startsWith("started web.2")));
            tmux.keys("+");
            tmux.await("web.3 added", s -> pid(s, "web.3") > 0 && s.stream().anyMatch(l -> l.startsWith("added web.3")));
            tmux.keys("-");
            tmux.await("web.3 removed", s -> row(s, "web.3").isEmpty() && s.stream().anyMatch(l -> l.startsWith("removed web.3")));

            // The rows: web, web.1, web.2, queue, queue.1.
            tmux.keys("j", "j", "Enter");
            screen = tmux.await("queue.1's output in the pane", s -> s.stream().anyMatch(l -> l.startsWith("-- output of queue.1"))
                    && s.stream().anyMatch(l -> l.equals("queue.1 | hello from queue.1")));
            tmux.keys("Escape");
            tmux.await("the pane closed", s -> s.stream().noneMatch(l -> l.startsWith("-- output of")));

            tmux.resize(50, 20);
            screen = tmux.await("a narrow layout", s -> s.stream().anyMatch(l -> l.startsWith("NAME ")
                    && !l.contains("LAST EXIT")) && pid(s, "queue.1") > 0);
            for (String line : screen) {
                assertTrue(line.length() <= 50, "no line is wrapped: " + line);
            }
            assertTrue(pid(screen, "web.1") > 0 && pid(screen, "web.2") > 0, String.join("\n", screen));
            tmux.resize(120, 40);
            tmux.await("the wide layout again", s -> s.stream().anyMatch(l -> l.startsWith("NAME ") && l.contains("AGE"))
                    && pid(s, "queue.1") > 0);

            tmux.keys("q");
            tmux.await("the shell again", s -> s.stream().anyMatch(l -> l.equals("top ended"))
                    && s.stream().noneMatch(l -> l.startsWith("tend top: instance")));
            assertFalse(tmux.alternateScreen(), "back on the main screen");
            tmux.type("stty -a");
            screen = tmux.await("stty's settings", s -> s.stream().anyMatch(l -> l.contains("echoe")));
            assertTrue(screen.stream().anyMatch(l -> ECHO_ON.matcher(l).find()), "echo is on:\n" + String.join("\n", screen));
            assertTrue(screen.stream().anyMatch(l -> l.contains(" icanon")), "line editing is on");

            // Ctrl-C gives the terminal back too.
            tmux.type("clear; '" + TendProcess.shimDirectory().resolve("tend") + "' top; echo top ended again");
            tmux.await("the view again", s -> pid(s, "queue.1") > 0);
            tmux.keys("C-c");
            tmux.await("the shell after Ctrl-C", s -> s.stream().anyMatch(l -> l.equals("top ended again")));
            assertFalse(tmux.alternateScreen(), "back on the main screen after Ctrl-C");
            tmux.type("stty -a");
            screen = tmux.await("stty's settings", s -> s.stream().anyMatch(l -> l.contains("echoe")));
            assertTrue(screen.stream().anyMatch(l -> ECHO_ON.matcher(l).find()), "echo is on:\n" + String.join("\n", screen));

            // A client: neither JNA (jline's terminal is its JNI or stty one) nor the TOML parser.
            List<String> loaded = Files.readAllLines(classes);
            assertTrue(loaded.stream().anyMatch(l -> l.contains("dev.tend.cli.top.TopView ")), "the log works");
            for (String library : List.of("com.sun.jna.", "toml")) {
                int first = loaded.stream().filter(l -> l.contains(library)).findFirst().map(loaded::indexOf).orElse(-1);
                assertEquals(-1, first, () -> library + " loaded after:\n" + String.join("\n", loaded.subList(
                        Math.max(0, first - 40), first + 1).stream().filter(l -> !l.contains(" java.") && !l.contains(" jdk.")).toList()));
            }
        }
    }

    @Test
    void withoutATerminalSaysToUsePs() throws Exception {
        try (TendProcess tend = TendProcess.up(dir, """
                [pool.web]
                command = ["cat"]
                """)) {
            for (String[] args : List.of(new String[] {"top"}, new String[] {"ps", "--watch"})) {
                TendProcess.Result result = TendProcess.run(dir, args);
                assertEquals(ExitCode.USAGE.code(), result.exitCode(), result.toString());
                assertTrue(result.stderr().contains("needs a terminal on stdin and stdout")
                        && result.stderr().contains("`tend ps`"), result.toString());
            }
            assertNotEquals(0, tend.pid());
        }
    }
}
