package dev.tend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.tend.testing.TendProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A {@code TEND_RUNTIME_DIR} that is not an absolute path, given to a real tend. */
class RuntimeDirectoryOverrideTest {
    @TempDir
    Path dir;

    @Test
    void shouldRefuseARelativeRuntimeDirectory() throws Exception {
        Files.writeString(dir.resolve("tend.toml"), "[pool.web]\ncommand = [\"cat\"]\n");
        for (String command : List.of("up", "ps")) {
            TendProcess.Result r = TendProcess.run(dir, Map.of("TEND_RUNTIME_DIR", "relrt"), command);
            assertEquals(2, r.exitCode(), r.toString());
            assertEquals("tend: error: TEND_RUNTIME_DIR must be an absolute path (got \"relrt\"), so that commands run"
                    + " from any directory find the same instances; write e.g. TEND_RUNTIME_DIR=\"$PWD/relrt\"\n",
                    r.stderr());
        }
        assertFalse(Files.exists(dir.resolve("relrt")));
    }
}
