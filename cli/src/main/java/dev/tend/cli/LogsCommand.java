package dev.tend.cli;

import dev.tend.logfile.LinePrinter;
import dev.tend.logfile.LogHistory;
import dev.tend.logfile.LogReplay;
import dev.tend.logfile.Since;
import dev.tend.protocol.ExitCode;
import dev.tend.protocol.Request;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
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
        long sinceMillis;
        try {
            sinceMillis = since == null ? Long.MIN_VALUE : Since.parse(since, System.currentTimeMillis());
        } catch (IllegalArgumentException e) {
            throw new UserException(ExitCode.USAGE, e.getMessage());
        }
        int limit = LogReplay.limit(lines, since != null);
        LinePrinter printer = new LinePrinter(OutputOptions.automaticStyle(), 4, timestamps);
        Duration timeout = answer.resolve();
        printer.widen(LogReplay.nameWidth(ClientCall.send(instance, timeout, new Request.Ps(true))));
        LogReplay replay = new LogReplay(printer, new LogHistory(LogReplay.sources(targets), sinceMillis, limit,
                text -> System.err.println("tend logs: " + text)), bytes -> {
                    System.out.write(bytes, 0, bytes.length);
                    System.out.flush();
                });
        Map<String, Object> last = ClientCall.send(instance, timeout, new Request.Logs(targets, limit, follow, true),
                replay::event, follow);
        replay.end();
        return ClientCall.report(last, System.out, System.err);
    }
}
