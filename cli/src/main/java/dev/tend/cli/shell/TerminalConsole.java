package dev.tend.cli.shell;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The console on a terminal, with jline's line editor: a prompt naming the instance, Tab completion
 * ({@link NameCompleter}), a history file. Ctrl-C cancels the line being typed, or interrupts the command
 * running (which ends {@code logs -f} or a wait and comes back to the prompt); Ctrl-D on an empty line leaves.
 */
public final class TerminalConsole {
    private TerminalConsole() {}

    /** Runs the console until Ctrl-D, {@code exit} or {@code quit}; returns 0. */
    public static int run(Shell shell, CommandSet commands, NameCache names, String instance, Optional<Path> history,
                          PrintStream err) throws IOException {
        // jline's JNI terminal, else stty (exec): never its JNA provider, which would load JNA into a client,
        // nor FFM, which warns on a JDK 22+ run without --enable-native-access. The flags, not only the order:
        // jline loads every provider its flags allow, used or not.
        TerminalBuilder terminalBuilder = TerminalBuilder.builder().system(true).providers("jni,exec")
                .jni(true).exec(true).ffm(false).jna(false).jansi(false).dumb(true);
        try (Terminal terminal = terminalBuilder.build()) {
            LineReaderBuilder builder = LineReaderBuilder.builder().terminal(terminal).appName("tend")
                    .parser(shell.parser())
                    .completer(new NameCompleter(commands, names))
                    // `!` is a plain character in arguments (set KEY=!x), not a history expansion.
                    .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true);
            history.ifPresent(file -> builder.variable(LineReader.HISTORY_FILE, file));
            LineReader reader = builder.build();
            Thread self = Thread.currentThread();
            // [0]: a command runs; [1]: Ctrl-C interrupted it.
            boolean[] running = {false, false};
            // Outside readLine (which handles Ctrl-C itself), Ctrl-C interrupts the command running: its wait on
            // the control socket ends, and it returns without a message (Cancelled).
            terminal.handle(Terminal.Signal.INT, signal -> {
                synchronized (running) {
                    if (running[0]) {
                        running[1] = true;
                        self.interrupt();
                    }
                }
            });
            String prompt = "tend:" + instance + "> ";
            while (true) {
                try {
                    reader.readLine(prompt);
                } catch (UserInterruptException e) {
                    continue;
                } catch (EndOfFileException e) {
                    terminal.writer().println();
                    break;
                }
                synchronized (running) {
                    running[0] = true;
                    running[1] = false;
                }
                Shell.Outcome outcome;
                boolean cancelled;
                try {
                    outcome = shell.execute(reader.getParsedLine());
                } finally {
                    synchronized (running) {
                        running[0] = false;
                        cancelled = running[1];
                        Thread.interrupted();
                    }
                }
                if (outcome instanceof Shell.Outcome.Leave) {
                    break;
                }
                if (cancelled) {
                    terminal.writer().println();
                    terminal.flush();
                } else if (outcome instanceof Shell.Outcome.Ran ran) {
                    ExitNote.show(ran.code(), err);
                }
            }
            reader.getHistory().save();
        }
        return 0;
    }
}
