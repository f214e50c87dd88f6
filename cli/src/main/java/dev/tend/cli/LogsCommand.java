package dev.tend.cli;

import dev.tend.cli.console.LinePrinter;
import dev.tend.engine.LogLine;
import dev.tend.logfile.LogHistory;
import dev.tend.protocol.ExitCode;
import dev.tend.protocol.InstanceStatus;
import dev.tend.protocol.LogEvent;
import dev.tend.protocol.LogFiles;
import dev.tend.protocol.Protocol;
import dev.tend.protocol.Request;
import dev.tend.protocol.StatusTable;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tend logs}. */
@Command(name = "logs", mixinStandardHelpOptions = true,
        header = "Print recent output of workers; -f follows it.",
        description = {"Prints the recent output of workers, prefixed like `tend up` prints it: from their log files"
            + " (rotated ones too) when they have some (`log_file`), else what tend up keeps in memory (the last 500"
            + " lines of each). With -f, keeps printing new lines until interrupted.",
            "Targets: workers, pools, `tend` for tend's own messages; none means everything."})
final class LogsCommand implements Callable<Integer> {
    @Mixin
    InstanceOptions instance;

    @Mixin
    AnswerTimeout answer = new AnswerTimeout();

    @Parameters(arity = "0..*", paramLabel = "TARGET", completionCandidates = LiveNames.Sources.class,
            description = "Workers or pools (default: all).")
    List<String> targets = List.of();

    @Option(names = {"-n", "--lines"}, paramLabel = "LINES",
            description = "How many recent lines to print first (default: " + Request.Logs.DEFAULT_LINES
                    + "; with --since, every line since then).")
    Integer lines;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new lines.")
    boolean follow;

    @Option(names = "--since", paramLabel = "WHEN", description = "Only lines since then: a duration ago (10m, 2h,"
            + " 1h30m) or a local time (2026-12-04T10:00, 2026-12-04 10:00:05, 2026-12-04, or with an offset).")
    String since;

    @Option(names = {"-t", "--timestamps"}, description = "Start each line with the time tend read it.")
    boolean timestamps;

    @Override
    public Integer call() {
        if (lines != null && lines < 0) {
            throw new UserException(ExitCode.USAGE, "--lines: must be 0 or more (got " + lines + ")");
        }
        long sinceMillis = since == null ? Long.MIN_VALUE : Since.parse(since, System.currentTimeMillis());
        int limit = lines != null ? lines : since != null ? Integer.MAX_VALUE : Request.Logs.DEFAULT_LINES;
        LinePrinter printer = new LinePrinter(OutputOptions.automaticStyle(), 4, timestamps);
        // The prefix column is as wide as the longest worker name, known before the first line is printed.
        Duration timeout = answer.resolve();
        // The table's first column has that width: decoding it costs a client less than the worker objects.
        Map<String, Object> status = ClientCall.send(instance, timeout, new Request.Ps(true));
        Optional<List<String>> table = StatusTable.fromJson(status);
        if (table.isPresent()) {
            printer.widen(StatusTable.nameWidth(table.get()));
        } else {
            InstanceStatus.fromJson(status).workers().forEach(w -> printer.widen(w.name().length()));
        }
        LogHistory history = new LogHistory(fileSources(), sinceMillis, limit,
                text -> System.err.println("tend logs: " + text));
        boolean[] live = {false};
        Map<String, Object> last = ClientCall.send(instance, timeout, new Request.Logs(targets, limit, follow, true),
                event -> {
                    if (LogFiles.NAME.equals(event.get(Protocol.EVENT))) {
                        history.read(LogFiles.fromJson(event)).forEach(line -> print(printer, line));
                        live[0] = true;
                        return;
                    }
                    LogEvent e = LogEvent.fromJson(event);
                    LogLine line = LogLine.ofText(e.sequence(), e.epochMillis(), e.source(),
                            LogLine.Channel.valueOf(e.channel().toUpperCase(Locale.ROOT)), e.text());
                    if (!live[0]) {
                        history.fromMemory(line);
                    } else if (history.admit(line)) {
                        print(printer, line);
                    }
                }, follow);
        if (!live[0]) {
            // A tend older than this client sends no log_files event: its lines are all there is.
            history.read(new LogFiles(List.of())).forEach(line -> print(printer, line));
        }
        return ClientCall.report(last, System.out, System.err);
    }

    /** Which workers' lines of a log file are printed: a per-pool file holds the lines of every worker of the pool. */
    private Predicate<String> fileSources() {
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

    private static void print(LinePrinter printer, LogLine line) {
        printer.widen(line.source().length());
        byte[] bytes = printer.format(line);
        System.out.write(bytes, 0, bytes.length);
        System.out.flush();
    }
}
