package dev.tend.cli.console;

import dev.tend.protocol.ActionResult;
import dev.tend.protocol.FailureReport;
import java.util.ArrayList;
import java.util.List;

/** A failed action as the client commands print it: {@code tend: error: …}, then each failure report. */
public final class FailureText {
    private FailureText() {}

    /** The lines of a failed result. */
    public static List<String> lines(ActionResult result) {
        List<String> lines = new ArrayList<>();
        lines.add("tend: error: " + result.message());
        for (FailureReport report : result.failures()) {
            lines.addAll(report.lines());
        }
        return lines;
    }
}
