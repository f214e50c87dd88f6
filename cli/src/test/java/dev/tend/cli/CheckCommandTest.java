package dev.tend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.testing.TendProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {
    @TempDir
    Path dir;

    @Test
    void shouldPrintOkAndOneLinePerPool() throws Exception {
        Files.writeString(dir.resolve("tend.toml"), """
                [pool.web]
                command = ["cat"]
                count = 2
                [pool.jobs]
                command = "echo hi"
                depends_on = { web = "started" }
                [pool.db]
                command = ["cat"]
                ready = "healthy"
                health = { tcp = "127.0.0.1:5432", interval = "2s" }
                [pool.cleanup]
                command = ["true"]
                schedule = "30 2 * * MON-FRI"
                timezone = "Europe/Berlin"
                [pool.tick]
                command = ["true"]
                every = "10s"
                overlap = "queue"
                max_memory = "64MiB"
                """);
        TendProcess.Result r = TendProcess.run(dir, "check");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.stdout().startsWith("ok: " + dir.toRealPath().resolve("tend.toml")), r.toString());
        assertTrue(r.stdout().contains("  pool web: 2 workers, restart on-failure, grace 5s, ready spawned: cat"), r.toString());
        assertTrue(r.stdout().contains("  pool jobs: 1 worker,"), r.toString());
        assertTrue(r.stdout().contains("ready spawned, after web (started): echo hi"), r.toString());
        assertTrue(r.stdout().contains("  pool db: 1 worker, restart on-failure, grace 5s, ready healthy, health tcp"
                + " 127.0.0.1:5432 every 2s: cat"), r.toString());
        assertTrue(r.stdout().contains("  pool cleanup: 1 worker, scheduled at \"30 2 * * MON-FRI\" (Europe/Berlin),"
                + " overlap skip, grace 5s, ready spawned: true"), r.toString());
        assertTrue(r.stdout().contains("  pool tick: 1 worker, scheduled every 10s, overlap queue, grace 5s, ready spawned,"
                + " max_memory 64 MiB: true"), r.toString());
    }

    @Test
    void shouldListEveryErrorAndExitTwo() throws Exception {
        Files.writeString(dir.resolve("other.toml"), """
                [pool.web]
                command = ["cat"]
                grace = "soon"
                restrat = "always"
                """);
        TendProcess.Result r = TendProcess.run(dir, "check", "-c", "other.toml");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.stderr().contains("other.toml:3: pool.web.grace: bad duration \"soon\""), r.toString());
        assertTrue(r.stderr().contains("other.toml:4: pool.web.restrat: unknown key; did you mean 'restart'?"), r.toString());
        assertTrue(r.stderr().contains("2 errors in the configuration"), r.toString());
    }

    @Test
    void shouldAnswerVersionAndHelp() throws Exception {
        TendProcess.Result version = TendProcess.run(dir, "--version");
        assertEquals(0, version.exitCode());
        assertTrue(version.stdout().startsWith("tend 0."), version.toString());
        TendProcess.Result help = TendProcess.run(dir, "help", "up");
        assertEquals(0, help.exitCode());
        assertTrue(help.stdout().contains("Usage: tend up"), help.toString());
        for (String command : new String[] {"ps", "scale", "run", "get", "set", "require", "systemd", "logs"}) {
            TendProcess.Result h = TendProcess.run(dir, "help", command);
            assertEquals(0, h.exitCode(), h.toString());
            assertEquals("\n", h.stderr(), "no warnings from the help of " + command + ": " + h.stderr());
        }
        TendProcess.Result bad = TendProcess.run(dir, "frobnicate");
        assertEquals(2, bad.exitCode(), bad.toString());
    }
}
