package dev.tend.cli.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.testing.TendProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tend console} with standard input a pipe: a script of commands, run one by one against a real instance. */
class ConsolePipedTest {
    @TempDir
    Path dir;

    @Test
    void shouldRunEachLineAsACommandOfTheInstanceUntilExit() throws Exception {
        try (TendProcess up = TendProcess.up(dir, "[pool.web]\ncommand = [\"cat\"]\ncount = 2\n")) {
            long first = up.awaitWorkerPid("web.1");
            Path log = dir.resolve("classes.log");
            try (TendProcess console = TendProcess.start(dir,
                    Map.of("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + log), "console")) {
                console.stdin().write(("ps\n\nrestart web.1\n  get 'no body'\n# a comment\nget 'open\nup\nconsole\npss\nexit\nps\n")
                        .getBytes(StandardCharsets.UTF_8));
                console.stdin().close();
                int code = console.awaitExit();
                String out = console.stdout();
                String err = console.stderr();
                String result = console.stdout() + "--- stderr\n" + err;
                assertEquals(2, code, "the last command's exit code (pss, unknown)\n" + result);
                assertEquals(1, out.lines().filter(l -> l.startsWith("instance " + dir.getFileName() + " (pid ")).count(),
                        "one ps before exit, none after it\n" + result);
                assertTrue(out.lines().anyMatch(l -> l.startsWith("web.1 ") && l.contains(" " + first + " ")),
                        "ps shows the worker before its restart\n" + result);
                assertTrue(out.contains("restarted web.1"), result);
                assertTrue(err.contains("tend: error: no worker named no body"), "quoted words stay one\n" + result);
                assertTrue(err.contains("tend: error: unclosed quote in: get 'open"), result);
                assertTrue(err.contains("'up' is not available in the console"), result);
                assertTrue(err.contains("this is the console already"), result);
                assertTrue(err.contains("unknown command 'pss'; did you mean 'ps'?"), result);
                assertEquals(List.of("[exit 3]", "[exit 2]", "[exit 2]", "[exit 2]", "[exit 2]"),
                        err.lines().filter(l -> l.startsWith("[exit ")).toList(), result);
            }
            List<String> loaded = Files.readAllLines(log);
            assertTrue(loaded.stream().anyMatch(l -> l.contains("dev.tend.cli.shell.PipedConsole ")), "the log works");
            for (String library : List.of("com.sun.jna.", "tomlj")) {
                assertEquals(List.of(), loaded.stream().filter(l -> l.contains(library)).toList(), library);
            }
        }
    }

    @Test
    void shouldSaySoWhenNoInstanceRuns() throws Exception {
        Files.writeString(dir.resolve("tend.toml"), "[pool.web]\ncommand = [\"cat\"]\n");
        try (TendProcess console = TendProcess.start(dir, "console")) {
            console.stdin().close();
            int code = console.awaitExit();
            assertEquals(3, code, console.stderr());
            assertTrue(console.stderr().contains("no running tend instance " + dir.getFileName()), console.stderr());
        }
    }
}
