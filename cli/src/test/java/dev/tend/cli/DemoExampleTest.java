package dev.tend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.testing.TendProcess;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The example the README's first command runs: the whole tour must work and end by itself with 0. */
class DemoExampleTest {
    @Test
    void shouldRunTheTourAndEndCleanly() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent();
        TendProcess.Result r = TendProcess.run(root, "run", "-c", "examples/demo/tend.toml", "--",
                "examples/demo/shop.sh");
        assertEquals(0, r.exitCode(), r.toString());
        String out = r.stdout();
        assertTrue(out.contains("settings.1 is ready"), out);
        assertTrue(out.contains("flaky.1 failed (exit status 3, failure 1 of 6); restarting in 300ms"), out);
        assertTrue(out.contains("flaky.1    | back on my feet"), out);
        assertTrue(out.contains("shop: all jobs done"), out);
        assertEquals(9, out.lines().filter(l -> l.matches("worker\\.\\d +\\| did job-\\d .*")).count(), out);
        assertTrue(out.contains("\"name\":\"settings.1\""), "tend get printed the published settings: " + out);
        for (String w : new String[] {"worker.1", "worker.2", "worker.3"}) {
            assertTrue(out.contains(w + "   | stdin closed: no more jobs, exiting"), "graceful stop by EOF: " + out);
        }
    }
}
