package dev.tend.cli;

import dev.tend.config.Config;
import dev.tend.os.Executables;
import dev.tend.protocol.ExitCode;
import dev.tend.systemd.UnitFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tend systemd}: prints a service unit for the configuration. */
@Command(name = "systemd", mixinStandardHelpOptions = true,
        header = "Print a systemd service unit for the configuration.",
        description = {"Prints a systemd service unit that runs `tend up` for the configuration: Type=notify, an absolute ExecStart of the installed launcher and config, ExecReload, KillMode=mixed and a TimeoutStopSec longer than the longest grace.",
            "Install it with: tend systemd > /etc/systemd/system/NAME.service (see docs/systemd.md)."})
final class SystemdCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Option(names = "--user", description = "A user unit (systemctl --user): WantedBy=default.target.")
    boolean user;

    @Option(names = "--watchdog", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Add WatchdogSec=DURATION; tend pings from its event loop at half that interval.")
    Duration watchdog;

    @Option(names = "--notify-reload",
            description = "Type=notify-reload (systemd 253+): systemd reloads with SIGHUP instead of ExecReload.")
    boolean notifyReload;

    @Option(names = "--launcher", paramLabel = "PATH",
            description = "The tend launcher for ExecStart (default: the one running now, else `tend` on PATH).")
    Path launcher;

    @Override
    public Integer call() throws Exception {
        Config c = config.load();
        System.out.print(new UnitFile(launcher(), c, user, Optional.ofNullable(watchdog), notifyReload).render());
        return ExitCode.OK.code();
    }

    private Path launcher() {
        Path chosen = launcher;
        if (chosen == null && System.getProperty("tend.launcher") != null) {
            chosen = Path.of(System.getProperty("tend.launcher"));
        }
        try {
            // The search workers' commands get: PATH (its default when unset), regular executable files only.
            return chosen == null ? Executables.resolve("tend", System.getenv("PATH"), Path.of("").toAbsolutePath())
                    : Executables.resolve(chosen.toAbsolutePath().toString(), null, Path.of("/"));
        } catch (Executables.NotExecutableException e) {
            throw new UserException(ExitCode.USAGE, "cannot find the tend launcher (" + e.getMessage()
                    + "); install tend with ./install.sh or pass --launcher PATH");
        }
    }
}
