package dev.tend.cli;

import dev.tend.cli.console.ConsoleOutput;
import dev.tend.config.Config;
import dev.tend.logfile.LinePrinter;
import dev.tend.os.Fds;
import picocli.CommandLine.Option;

/** {@code --log-format} and {@code --timestamps}: how {@code tend up} and {@code tend run} print output lines. */
public final class OutputOptions {
    enum LogFormat { auto, plain, color, journal }

    @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "auto",
            description = "auto (colors on a terminal unless NO_COLOR is set), plain, color, or journal"
                    + " (sd-daemon <N> priority prefixes for journald). Default: ${DEFAULT-VALUE}.")
    LogFormat logFormat;

    @Option(names = "--timestamps", description = "Start each line printed with the time tend read it"
            + " (ISO 8601, milliseconds, UTC offset); also the top-level `timestamps = true`. Not in journal format.")
    boolean timestamps;

    /** A console writer for a configuration, its prefix column wide enough for the pools' worker names. */
    ConsoleOutput console(Config config) {
        LinePrinter printer = new LinePrinter(style(), 4, timestamps || config.timestamps());
        int processors = Runtime.getRuntime().availableProcessors();
        config.pools().values().forEach(p -> printer.widen(p.name().length() + 1
                + Integer.toString(p.count().resolve(processors)).length()));
        return new ConsoleOutput(printer);
    }

    /** systemd connected stdout or stderr to the journal (JOURNAL_STREAM): no escape codes in it. */
    private static boolean underJournal() {
        String stream = System.getenv("JOURNAL_STREAM");
        return Fds.isJournalStream(1, stream) || Fds.isJournalStream(2, stream);
    }

    private LinePrinter.Style style() {
        return switch (logFormat) {
            case plain -> LinePrinter.Style.PLAIN;
            case color -> LinePrinter.Style.COLOR;
            case journal -> LinePrinter.Style.JOURNAL;
            case auto -> automaticStyle();
        };
    }

    /** Colors on a terminal, unless NO_COLOR is set, the terminal is dumb, or output goes to the journal. */
    static LinePrinter.Style automaticStyle() {
        return Fds.isTerminal(1) && System.getenv("NO_COLOR") == null && !"dumb".equals(System.getenv("TERM"))
                && !underJournal() ? LinePrinter.Style.COLOR : LinePrinter.Style.PLAIN;
    }
}
