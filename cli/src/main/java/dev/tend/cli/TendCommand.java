package dev.tend.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The root command: {@code tend}. */
@Command(name = "tend",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Runs pools of worker processes and keeps them alive.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {
            UpCommand.class,
            CheckCommand.class,
            PsCommand.class,
            StartCommand.class,
            StopCommand.class,
            RestartCommand.class,
            ScaleCommand.class,
            LogsCommand.class,
            ReloadCommand.class,
            DownCommand.class,
            RequireCommand.class,
            RunCommand.class,
            SetCommand.class,
            GetCommand.class,
            SystemdCommand.class,
            CommandLine.HelpCommand.class,
        },
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0  success",
            "  1  runtime failure (a worker was given up, an action failed)",
            "  2  usage or configuration error (nothing was started)",
            "  3  not found (no running instance, no such worker, slot or key)",
            "  4  timed out",
            "",
            "Documentation: docs/guide.md, docs/configuration.md, docs/worker-contract.md"})
public final class TendCommand {

    /** The command line with tend's error handling and exit codes. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new TendCommand());
        cl.setExecutionExceptionHandler(new ErrorReporter());
        return cl;
    }
}
