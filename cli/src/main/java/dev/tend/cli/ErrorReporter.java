package dev.tend.cli;

import dev.tend.config.ConfigError;
import dev.tend.config.ConfigException;
import dev.tend.config.Suggestions;
import dev.tend.instance.RuntimeDirectory;
import dev.tend.protocol.ExitCode;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Turns what a command throws into a message and an exit code: configuration errors (exit 2) one per line,
 * user errors with their own code, anything else as an internal error (exit 1) with its stack trace only
 * when {@code TEND_DEBUG} is set. Bad option values that tend reads itself (durations) are reported as
 * {@code tend: error: --OPTION: why} (exit 2), an unknown command as {@code tend: error: unknown command} with the
 * nearest one; other usage errors keep picocli's message and usage help.
 */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
    private final CommandLine.IParameterExceptionHandler usage;

    /** @param usage how picocli reports the other usage errors. */
    ErrorReporter(CommandLine.IParameterExceptionHandler usage) {
        this.usage = usage;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        return report(ex, commandLine.getErr());
    }

    /** Prints what {@code ex} means and returns the exit code; also for commands run without picocli. */
    static int report(Exception ex, PrintWriter err) {
        if (ex instanceof ConfigException config) {
            for (ConfigError error : config.errors()) {
                err.println("tend: " + error);
            }
            int n = config.errors().size();
            err.println("tend: " + n + " error" + (n == 1 ? "" : "s") + " in the configuration; nothing was started");
            err.flush();
            return ExitCode.USAGE.code();
        }
        if (ex instanceof Cancelled) {
            return ExitCode.FAILURE.code();
        }
        if (ex instanceof UserException user) {
            return error(err, user.getMessage(), user.exitCode());
        }
        if (ex instanceof RuntimeDirectory.BadOverride bad) {
            return error(err, bad.getMessage(), ExitCode.USAGE);
        }
        err.println("tend: internal error: " + ex);
        if (System.getenv("TEND_DEBUG") != null) {
            ex.printStackTrace(err);
        } else {
            err.println("tend: set TEND_DEBUG=1 to see the stack trace, and please report it");
        }
        err.flush();
        return ExitCode.FAILURE.code();
    }

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) throws Exception {
        if (ex.getCause() instanceof DurationConverter.BadDuration bad && ex.getArgSpec() instanceof OptionSpec option) {
            return error(ex.getCommandLine().getErr(), option.longestName() + ": " + bad.getMessage(), ExitCode.USAGE);
        }
        if (ex instanceof CommandLine.UnmatchedArgumentException unmatched && ex.getCommandLine().getParent() == null
                && args.length > 0 && !args[0].startsWith("-") && unmatched.getUnmatched().indexOf(args[0]) == 0) {
            String nearest = Suggestions.nearest(args[0], ex.getCommandLine().getSubcommands().keySet());
            return error(ex.getCommandLine().getErr(), "unknown command '" + args[0] + "'"
                    + (nearest == null ? "" : "; did you mean 'tend " + nearest + "'?") + " (tend help lists the commands)",
                    ExitCode.USAGE);
        }
        return usage.handleParseException(ex, args);
    }

    private static int error(PrintWriter err, String message, ExitCode code) {
        err.println("tend: error: " + message);
        err.flush();
        return code.code();
    }
}
