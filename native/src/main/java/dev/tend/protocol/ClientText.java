package dev.tend.protocol;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * What a client command prints for a final message of the control protocol, and its exit code: one rendering
 * for the JVM client and for the daemon answering the launcher through its command FIFO, so that both print
 * the same bytes. The texts are printed as they are: a line ends with its newline, and a text may end without
 * one (a raw value printed into a pipe).
 *
 * @param out  the text for standard output.
 * @param err  the text for standard error.
 * @param code the exit code.
 */
public record ClientText(String out, String err, ExitCode code) {
    /** The text of an action's outcome: its message (if any) on stdout, or on failure {@code tend: error: MESSAGE}
     * and each failure report as {@code tend up} logs it on stderr. */
    public static ClientText action(ActionResult result) {
        if (result.ok()) {
            return new ClientText(result.message().isEmpty() ? "" : result.message() + "\n", "", ExitCode.OK);
        }
        List<String> err = new ArrayList<>();
        err.add("tend: error: " + result.message());
        for (FailureReport report : result.failures()) {
            err.addAll(report.lines());
        }
        return new ClientText("", lines(err), result.code());
    }

    /** Success with {@code lines} on stdout, each ended by a newline. */
    public static ClientText ok(List<String> lines) {
        return new ClientText(lines(lines), "", ExitCode.OK);
    }

    /** The lines of standard error, without their newlines. */
    public List<String> errLines() {
        return err.isEmpty() ? List.of() : List.of(err.split("\n"));
    }

    /** Prints both texts and returns the exit code. */
    public int print(PrintStream stdout, PrintStream stderr) {
        stdout.print(out);
        stdout.flush();
        stderr.print(err);
        stderr.flush();
        return code.code();
    }

    private static String lines(List<String> lines) {
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(line).append('\n');
        }
        return text.toString();
    }
}
