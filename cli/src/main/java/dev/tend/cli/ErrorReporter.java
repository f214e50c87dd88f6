package dev.tend.cli;

import dev.tend.config.ConfigError;
import dev.tend.config.ConfigException;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Turns what a command throws into a message and an exit code: configuration errors (exit 2) one per line,
 * user errors with their own code, anything else as an internal error (exit 1) with its stack trace only
 * when {@code TEND_DEBUG} is set.
 */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler {
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
            return ExitCodes.USAGE;
        }
        if (ex instanceof UserException user) {
            err.println("tend: error: " + user.getMessage());
            err.flush();
            return user.exitCode();
        }
        err.println("tend: internal error: " + ex);
        if (System.getenv("TEND_DEBUG") != null) {
            ex.printStackTrace(err);
        } else {
            err.println("tend: set TEND_DEBUG=1 to see the stack trace, and please report it");
        }
        err.flush();
        return ExitCodes.FAILURE;
    }
}
