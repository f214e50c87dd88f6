package dev.tend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.testing.TendProcess;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inputs read whole that never end, given to a real tend: refused at a bound, not read until memory runs out. */
class EndlessInputTest {
    @TempDir
    Path dir;

    @Test
    void shouldRefuseAConfigurationFileThatNeverEnds() throws Exception {
        for (String command : List.of("check", "up")) {
            TendProcess.Result r = TendProcess.run(dir, command, "-c", "/dev/zero");
            assertEquals(2, r.exitCode(), r.toString());
            assertTrue(r.stderr().startsWith("tend: /dev/zero: larger than 1 MiB, the most a configuration file may"
                    + " hold; is this the right file?\n"), r.toString());
        }
    }

    @Test
    void shouldRefuseASnapshotOnStdinThatNeverEnds() throws Exception {
        try (TendProcess up = TendProcess.up(dir, """
                [pool.pub]
                command = "tend set --json - < /dev/zero; echo set exited $?; exec cat"
                """)) {
            up.awaitLine("the end of tend set", l -> l.contains("pub.1 | set exited 2"));
            assertTrue(up.stdout().contains("pub.1 | tend: error: --json -: more than 128 MiB on stdin; a snapshot"
                    + " holds at most 64 MiB"), up.stdout());
        }
    }
}
