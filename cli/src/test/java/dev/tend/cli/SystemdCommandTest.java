package dev.tend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.testing.TendProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemdCommandTest {
    @TempDir
    Path dir;

    private Path launcher() throws Exception {
        Path launcher = dir.resolve("bin/tend");
        Files.createDirectories(launcher.getParent());
        Files.writeString(launcher, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        return launcher;
    }

    private static String verify(Path unit) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-analyze")), "systemd-analyze is not installed");
        Process p = new ProcessBuilder("systemd-analyze", "verify", unit.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void shouldPrintUnitThatSystemdAccepts() throws Exception {
        Path project = dir.resolve("my shop");
        Files.createDirectories(project);
        Files.writeString(project.resolve("tend.toml"), """
                [pool.web]
                command = ["cat"]
                grace = "20s"
                [pool.jobs]
                command = ["cat"]
                """);
        Path launcher = launcher();
        TendProcess.Result r = TendProcess.run(project, "systemd", "--launcher", launcher.toString(), "--watchdog", "30s");
        assertEquals(0, r.exitCode(), r.toString());
        String unit = r.stdout();
        assertTrue(unit.contains("\nType=notify\n"), unit);
        assertTrue(unit.contains("\nExecStart=" + launcher + " up --config \"" + project.toRealPath().resolve("tend.toml")
                + "\" --log-format journal\n"), unit);
        assertTrue(unit.contains("\nExecReload=" + launcher + " reload --config "), unit);
        assertTrue(unit.contains("\nKillMode=mixed\n"), unit);
        assertTrue(unit.contains("\nTimeoutStopSec=51s\n"), "two longest graces (20s) + margin: " + unit);
        assertTrue(unit.contains("\nRestart=on-failure\n"), unit);
        assertTrue(unit.contains("\nNotifyAccess=main\n"), unit);
        assertTrue(unit.contains("\nWatchdogSec=30s\n"), unit);
        assertTrue(unit.contains("\nWantedBy=multi-user.target\n"), unit);
        Path file = dir.resolve("my-shop.service");
        Files.writeString(file, unit);
        assertEquals("", verify(file).trim(), "systemd-analyze verify printed warnings");
    }

    @Test
    void shouldPrintUserUnit() throws Exception {
        Files.writeString(dir.resolve("tend.toml"), "[pool.web]\ncommand = [\"cat\"]\n");
        TendProcess.Result r = TendProcess.run(dir, "systemd", "--user", "--launcher", launcher().toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.stdout().contains("\nWantedBy=default.target\n"), r.stdout());
        Path file = dir.resolve("user.service");
        Files.writeString(file, r.stdout());
        assertEquals("", verify(file).trim());
    }

    @Test
    void shouldRefuseMissingLauncher() throws Exception {
        Files.writeString(dir.resolve("tend.toml"), "[pool.web]\ncommand = [\"cat\"]\n");
        TendProcess.Result r = TendProcess.run(dir, "systemd", "--launcher", dir.resolve("nope").toString());
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.stderr().contains("cannot find the tend launcher"), r.toString());
    }
}
