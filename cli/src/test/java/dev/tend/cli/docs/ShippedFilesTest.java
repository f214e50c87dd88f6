package dev.tend.cli.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
