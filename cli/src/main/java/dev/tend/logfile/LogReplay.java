package dev.tend.logfile;

import dev.tend.engine.LogLine;
import dev.tend.protocol.InstanceStatus;
import dev.tend.protocol.LogEvent;
import dev.tend.protocol.LogFiles;
import dev.tend.protocol.Protocol;
import dev.tend.protocol.Request;
import dev.tend.protocol.StatusTable;
import dev.tend.protocol.WorkerEntry;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * What {@code tend logs} prints for the messages of a {@code logs} request: the history (the lines tend keeps in
 * memory merged with the log files by {@link LogHistory}), then each line that follows, formatted by a
 * {@link LinePrinter}. One rendering for the JVM client and for tend answering the launcher through its command
 * FIFO, so that both print the same bytes.
 */
public final class LogReplay {
    private final LinePrinter printer;
    private final LogHistory history;
    private final Consumer<byte[]> out;
    /** Whether the history was printed: the lines that come now are new ones. */
    private boolean live;

    /**
     * @param printer its name column already as wide as {@link #nameWidth} says.
     * @param out     receives each formatted line, its newline included.
     */
    public LogReplay(LinePrinter printer, LogHistory history, Consumer<byte[]> out) {
        this.printer = printer;
        this.history = history;
        this.out = out;
    }

    /** How many lines are printed first: {@code lines} when given, else every one {@code --since}, else the default. */
    public static int limit(Integer lines, boolean since) {
        return lines != null ? lines : since ? Integer.MAX_VALUE : Request.Logs.DEFAULT_LINES;
    }

    /**
     * The width of the name column, as long as the longest worker name, known before the first line is printed:
     * from the reply to a {@code ps} request (the table's first column, which costs less to decode than the
     * worker objects of a tend that does not send the table).
     */
    public static int nameWidth(Map<String, Object> status) {
        Optional<List<String>> table = StatusTable.fromJson(status);
        if (table.isPresent()) {
            return StatusTable.nameWidth(table.get());
        }
        int width = 0;
        for (WorkerEntry w : InstanceStatus.fromJson(status).workers()) {
            width = Math.max(width, w.name().length());
        }
        return width;
    }

    /** Which workers' lines of a log file are printed: a per-pool file holds the lines of every worker of the pool. */
    public static Predicate<String> sources(List<String> targets) {
        Set<String> wanted = Set.copyOf(targets);
        if (wanted.isEmpty() || wanted.contains("all")) {
            return source -> true;
        }
        return source -> {
            if (wanted.contains(source)) {
                return true;
            }
            int dot = source.lastIndexOf('.');
            return dot > 0 && wanted.contains(source.substring(0, dot));
        };
    }

    /**
     * One event of the reply: a line (kept for the history until the files' names come, then printed unless the
     * files had it), or the files' names (the history is printed).
     */
    public void event(Map<String, Object> event) {
        if (LogFiles.NAME.equals(event.get(Protocol.EVENT))) {
            history.read(LogFiles.fromJson(event)).forEach(this::print);
            live = true;
            return;
        }
        LogEvent e = LogEvent.fromJson(event);
        LogLine line = LogLine.ofText(e.sequence(), e.epochMillis(), e.source(),
                LogLine.Channel.valueOf(e.channel().toUpperCase(Locale.ROOT)), e.text());
        if (!live) {
            history.fromMemory(line);
        } else if (history.admit(line)) {
            print(line);
        }
    }

    /** After the final message: a tend older than this one sends no files' names, and its lines are all there is. */
    public void end() {
        if (!live) {
            history.read(new LogFiles(List.of())).forEach(this::print);
            live = true;
        }
    }

    private void print(LogLine line) {
        printer.widen(line.source().length());
        out.accept(printer.format(line));
    }
}
