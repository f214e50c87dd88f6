package dev.tend.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * What a client prints for an action's final message, and its exit code: one rendering for the JVM client and
 * for the daemon answering the launcher through its command FIFO, so that both print the same bytes. On
 * success the message (if any) on stdout; on failure {@code tend: error: MESSAGE}, then each failure report as
 * {@code tend up} logs it, on stderr.
 *
 * @param out  the lines for standard output.
 * @param err  the lines for standard error.
 * @param code the exit code.
 */
public record ActionText(List<String> out, List<String> err, ExitCode code) {
    public ActionText {
        out = List.copyOf(out);
        err = List.copyOf(err);
    }

    /** The text of {@code result}. */
    public static ActionText of(ActionResult result) {
        if (result.ok()) {
            return new ActionText(result.message().isEmpty() ? List.of() : List.of(result.message()), List.of(),
                    ExitCode.OK);
        }
        List<String> err = new ArrayList<>();
        err.add("tend: error: " + result.message());
        for (FailureReport report : result.failures()) {
            err.addAll(report.lines());
        }
        return new ActionText(List.of(), err, result.code());
    }
}
