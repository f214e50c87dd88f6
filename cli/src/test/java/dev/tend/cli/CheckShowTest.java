package dev.tend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.testing.TendProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real {@code tend check} on files with {@code env_file} and {@code ${VAR}}: {@code --show} and the errors. */
class CheckShowTest {
    @TempDir
    Path dir;

    @Test
    void shouldShowTheFinalCommandCwdAndEnvironmentWithSecretsMasked() throws Exception {
        Files.writeString(dir.resolve(".env"), """
                # the app's settings
                export PORT=8080
                APP_SECRET='s3cr3t-value'
                DATABASE_URL="postgres://shop:hunter22@db/shop"
                """);
        Files.writeString(dir.resolve("tend.toml"), """
                env_file = ".env"
                [pool.web]
                command = ["cat", "--port=${PORT}", "--secret=${APP_SECRET}"]
                env = { MODE = "${MODE:-prod}" }
                stop_signal = "TERM"
                stop_signal_after = "2s"
                """);
        TendProcess.Result r = TendProcess.run(dir, "check", "--show", "web");
        assertEquals(0, r.exitCode(), r.toString());
        String out = r.stdout();
        assertTrue(out.startsWith("pool web\n  command: cat --port=8080 --secret=********\n  cwd:     "
                + dir.toRealPath() + "\n"), out);
        assertTrue(out.contains("  stop:    stdin closed (end of input); SIGTERM 2s after; SIGKILL to its process group"
                + " 5s after\n"), out);
        assertTrue(out.contains("    APP_SECRET=********\n"), out);
        assertTrue(out.contains("    DATABASE_URL=postgres://shop:********@db/shop\n"), out);
        assertTrue(out.contains("    MODE=prod\n    PORT=8080\n"), out);
        assertFalse(out.contains("s3cr3t") || out.contains("hunter22"), out);

        TendProcess.Result none = TendProcess.run(dir, "check", "--show", "api");
        assertEquals(2, none.exitCode(), none.toString());
        assertTrue(none.stderr().contains("tend: error: --show: no pool or lazy declaration named api in "), none.toString());
    }

    @Test
    void shouldReportUnsetVariablesAndBadEnvFileLinesWithFileAndLine() throws Exception {
        Files.writeString(dir.resolve(".env"), "GOOD=1\nNOT A VARIABLE\n");
        Files.writeString(dir.resolve("tend.toml"), """
                [pool.web]
                env_file = ".env"
                command = ["cat", "--port=${PORT}"]
                """);
        TendProcess.Result r = TendProcess.run(dir, "check");
        assertEquals(2, r.exitCode(), r.toString());
        Path real = dir.toRealPath();
        assertTrue(r.stderr().contains("tend: " + real.resolve("tend.toml") + ":3: pool.web.command: ${PORT} is not set;"),
                r.toString());
        assertTrue(r.stderr().contains("tend: " + real.resolve(".env") + ":2: NOT: expected '=' after the name"), r.toString());
        assertTrue(r.stderr().contains("tend: 2 errors in the configuration"), r.toString());
    }
}
