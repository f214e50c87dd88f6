package dev.tend.cli.shell;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.Charset;

/**
 * The console when standard input or output is not a terminal: commands are read line by line, as a shell
 * reads a script ({@code echo ps | tend console}), with no prompt, no completion and no history.
 */
public final class PipedConsole {
    private PipedConsole() {}

    /** Runs every line of {@code in}; returns the exit code of the last command run (0 if none). */
    public static int run(Shell shell, InputStream in, PrintStream err) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, Charset.defaultCharset()));
        int last = 0;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            Shell.Outcome outcome = shell.execute(line);
            if (outcome instanceof Shell.Outcome.Leave) {
                break;
            }
            if (outcome instanceof Shell.Outcome.Ran ran) {
                last = ran.code();
                ExitNote.show(last, err);
            }
        }
        return last;
    }
}
