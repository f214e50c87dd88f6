package dev.tend.cli;

import dev.tend.protocol.ExitCode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The root command: {@code tend}, and the table of its subcommands. The subcommands are registered here
 * rather than in the annotation so that running one builds picocli's model of that one only: building the
 * model of all of them (by reflection over every option of every command) cost more than the JVM's own
 * start-up.
 */
@Command(name = "tend",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Runs pools of worker processes and keeps them alive.",
        synopsisSubcommandLabel = "COMMAND",
        footerHeading = "%nExit codes:%n")
public final class TendCommand {
    /** The subcommands' names, in the order {@code tend help} lists them. */
    static final List<String> SUBCOMMANDS = List.of("up", "check", "ls", "ps", "top", "start", "stop", "restart", "scale",
            "logs", "reload", "down", "require", "run", "set", "get", "console", "systemd", "help");

    /** The command line with tend's error handling and exit codes, and every subcommand. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new TendCommand());
        for (String name : SUBCOMMANDS) {
            cl.addSubcommand(subcommand(name));
        }
        return withErrorHandling(cl);
    }

    /**
     * The command line to run {@code args} with: the same as {@link #commandLine()} as far as these arguments
     * can tell, but holding only the subcommand they name ({@code tend help CMD}: help and CMD). Arguments that
     * start with an option, name no known command or ask for help on everything get every subcommand, which
     * the root's usage, its errors and their suggestions list.
     */
    public static CommandLine commandLine(String[] args) {
        Object first = args.length > 0 ? subcommand(args[0]) : null;
        Object topic = null;
        if (first instanceof CommandLine.HelpCommand) {
            topic = args.length == 2 ? subcommand(args[1]) : null;
            if (topic == null) {
                return commandLine();
            }
        } else if (first == null) {
            return commandLine();
        }
        CommandLine cl = new CommandLine(new TendCommand());
        cl.addSubcommand(first);
        if (!(topic == null || topic instanceof CommandLine.HelpCommand)) {
            cl.addSubcommand(topic);
        }
        return withErrorHandling(cl);
    }

    private static CommandLine withErrorHandling(CommandLine cl) {
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
        lines.add("Documentation: man tend.toml (every configuration key); guide.md, configuration.md, cli.md and");
        lines.add("worker-contract.md in share/doc/tend/ under tend's installation prefix (~/.local or /usr/local).");
        return lines.toArray(String[]::new);
    }

    /**
     * A new instance of the subcommand called {@code name} (or one of its aliases), or null. A switch rather
     * than a map of constructor references: those would each spin up a class at start-up.
     */
    static Object subcommand(String name) {
        return switch (name) {
            case "up" -> new UpCommand();
            case "check" -> new CheckCommand();
            case "ls" -> new LsCommand();
            case "ps", "status" -> new PsCommand();
            case "top" -> new TopCommand();
            case "start" -> new StartCommand();
            case "stop" -> new StopCommand();
            case "restart" -> new RestartCommand();
            case "scale" -> new ScaleCommand();
            case "logs" -> new LogsCommand();
            case "reload" -> new ReloadCommand();
            case "down" -> new DownCommand();
            case "require" -> new RequireCommand();
            case "run" -> new RunCommand();
            case "set" -> new SetCommand();
            case "get" -> new GetCommand();
            case "console" -> new ConsoleCommand();
            case "systemd" -> new SystemdCommand();
            case "help" -> new CommandLine.HelpCommand();
            default -> null;
        };
    }
}
