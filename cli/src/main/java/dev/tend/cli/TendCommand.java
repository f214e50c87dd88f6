package dev.tend.cli;

import dev.tend.protocol.ExitCode;
import java.util.ArrayList;
import java.util.List;
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
        footerHeading = "%nExit codes:%n")
public final class TendCommand {

    /** The command line with tend's error handling and exit codes. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new TendCommand());
        ErrorReporter errors = new ErrorReporter(cl.getParameterExceptionHandler());
        cl.setExecutionExceptionHandler(errors);
        cl.setParameterExceptionHandler(errors);
        cl.getCommandSpec().usageMessage().footer(footer());
        return cl;
    }

    /** The exit codes from {@link ExitCode} itself, so that the help and the man page cannot drift from it. */
    private static String[] footer() {
        List<String> lines = new ArrayList<>();
        for (ExitCode code : ExitCode.values()) {
            lines.add("  " + code.code() + "  " + code.meaning());
        }
        lines.add("");
        lines.add("Documentation: docs/guide.md, docs/configuration.md, docs/worker-contract.md");
        return lines.toArray(String[]::new);
    }
}
