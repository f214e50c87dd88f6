package dev.tend.cli.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The completions and man page in the repository are what the command-line model generates today. */
class ShippedFilesTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final String REGENERATE = "regenerate them from the repository root with:\n"
            + "  mvn -q -pl cli -am process-classes -Dtend.shipped.dir=$PWD";

    @Test
    void shouldMatchTheShippedCopies() throws Exception {
        for (Map.Entry<String, String> file : ShippedFiles.render().entrySet()) {
            Path shipped = ROOT.resolve(file.getKey());
            assertTrue(Files.exists(shipped), shipped + " is missing; " + REGENERATE);
            assertEquals(file.getValue(), Files.readString(shipped, StandardCharsets.UTF_8),
                    file.getKey() + " is stale; " + REGENERATE);
        }
    }

    @Test
    void shouldShipBashCompletionThatBashParses() throws Exception {
        Process bash = new ProcessBuilder("bash", "-n", ROOT.resolve("completions/tend.bash").toString())
                .redirectErrorStream(true).start();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(bash.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, bash.exitValue(), out);
    }

    @Test
    void shouldDescribeEveryCommandInTheManPage() {
        String man = ShippedFiles.render().get("docs/man/tend.1");
        for (String command : new String[] {"up", "check", "ps", "start", "stop", "restart", "scale", "logs", "reload",
            "down", "require", "run", "set", "get", "systemd"}) {
            assertTrue(man.contains(".SS \"tend " + command), "tend " + command + " missing from the man page");
        }
    }

    @Test
    void shouldDescribeEveryConfigurationKeyInTheManPage() throws Exception {
        String docs = Files.readString(ROOT.resolve("docs/configuration.md"), StandardCharsets.UTF_8);
        List<ConfigManPage.Table> tables = ConfigManPage.tables(docs);
        assertTrue(tables.size() >= 4, "the top level, [pool.NAME], [lazy.NAME], [state]: " + tables);
        String man = Files.readString(ROOT.resolve("docs/man/tend.toml.5"), StandardCharsets.UTF_8);
        int rows = 0;
        for (ConfigManPage.Table table : tables) {
            for (List<String> row : table.rows()) {
                assertTrue(man.contains(".TP\n" + ConfigManPage.inline(row.get(0))), row.get(0) + " of " + table.heading()
                        + " missing from tend.toml.5; " + REGENERATE);
                rows++;
            }
        }
        assertTrue(rows >= 20, "every key of the tables: " + rows);
        for (String key : new String[] {"name", "fail_fast", "command", "count", "grace", "stop_signal", "pattern", "max",
            "max_snapshot"}) {
            assertTrue(man.contains("\\fB" + key + "\\fR"), key);
        }
    }

    @Test
    void shouldRenderRowsAddedToTheDocsTables() {
        String docs = """
                # Configuration reference

                ## `[pool.NAME]`

                A pool runs `count` copies of one command.

                | Key | Type | Default | Meaning |
                |---|---|---|---|
                | `command` | array or string | required | What to run. |
                | `log_file` | string | — | Where its output goes: a [path](x.md), `{pool}` replaced; `a \\| b` kept. |

                ```toml
                | `not_a_key` | a | table | row |
                ```

                ## `[health]`

                | Key | Type | Default | Meaning |
                |---|---|---|---|
                | `interval` | duration | `"10s"` | How **often**. |
                """;
        String man = ConfigManPage.render(docs);
        assertTrue(man.contains(".SS \"[pool.NAME]\"\nA pool runs \\fBcount\\fR copies of one command.\n"), man);
        assertTrue(man.contains(".TP\n\\fBcommand\\fR (array or string; required)\nWhat to run.\n"), man);
        assertTrue(man.contains(".TP\n\\fBlog_file\\fR (string)\nWhere its output goes: a path, \\fB{pool}\\fR replaced;"
                + " \\fBa | b\\fR kept.\n"), man);
        assertTrue(man.contains(".SS \"[health]\"\n.TP\n\\fBinterval\\fR (duration; default: \\fB\"10s\"\\fR)\nHow"
                + " \\fBoften\\fR.\n"), man);
        assertFalse(man.contains("not_a_key"), "a table in a code block is not a keys table: " + man);
    }
}
