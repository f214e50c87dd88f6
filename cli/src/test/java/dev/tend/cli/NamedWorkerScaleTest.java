package dev.tend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.testing.TendProcess;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A named worker (a pool whose count is 1) is read by its pool's name; {@code tend scale} does not take that
 * name from its readers unless told to with {@code --force}.
 */
class NamedWorkerScaleTest {
    @TempDir
    Path dir;

    @Test
    void shouldAskForForceBeforeScalingANamedWorkerPastOne() throws Exception {
        try (TendProcess tend = TendProcess.up(dir, """
                [pool.config]
                command = ["sh", "-c", "echo '{\\"mode\\":\\"fast\\"}' >&3; exec cat"]
                ready = "publish"
                [pool.web]
                command = ["cat"]
                count = 2
                """)) {
            assertEquals(0, TendProcess.run(dir, "require", "config").exitCode());
            TendProcess.Result refused = TendProcess.run(dir, "scale", "config", "2");
            assertEquals(2, refused.exitCode(), refused.toString());
            assertEquals("tend: error: config is a named worker (count = 1): its readers find it by the name config"
                    + " (tend get config, tend require config), which would name 2 workers and stop working for them;"
                    + " scale it with --force if nothing reads it by that name, or make it a pool of several workers in"
                    + " the file\n", refused.stderr());
            TendProcess.Result mode = TendProcess.run(dir, "get", "config", "mode");
            assertEquals(0, mode.exitCode(), "still one worker, still readable by the pool's name: " + mode);
            assertEquals("fast", mode.stdout().strip());

            assertEquals(0, TendProcess.run(dir, "scale", "web", "3").exitCode(), "a pool of several workers, as before");
            TendProcess.Result forced = TendProcess.run(dir, "scale", "--force", "config", "2");
            assertEquals(0, forced.exitCode(), forced.toString());
            assertTrue(forced.stdout().startsWith("added config.2"), forced.toString());
            TendProcess.Result ambiguous = TendProcess.run(dir, "get", "config", "mode");
            assertEquals(2, ambiguous.exitCode(), "what --force warned about: " + ambiguous);
            assertEquals(0, TendProcess.run(dir, "get", "config.1", "mode").exitCode());
        }
    }
}
