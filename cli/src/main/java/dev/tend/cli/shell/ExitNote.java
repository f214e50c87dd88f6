package dev.tend.cli.shell;

import java.io.PrintStream;

/** The note under a command that failed, {@code [exit 3]}: in a console no shell shows {@code $?}. */
final class ExitNote {
    private ExitNote() {}

    static void show(int code, PrintStream err) {
        if (code != 0) {
            err.println("[exit " + code + "]");
            err.flush();
        }
    }
}
