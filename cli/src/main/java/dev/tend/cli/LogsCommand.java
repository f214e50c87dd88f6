package dev.tend.cli;

import dev.tend.cli.console.LinePrinter;
import dev.tend.engine.LogLine;
import dev.tend.protocol.ExitCode;
import dev.tend.protocol.InstanceStatus;
import dev.tend.protocol.LogEvent;
import dev.tend.protocol.Request;
import dev.tend.protocol.StatusTable;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tend logs}. */
@Command(name = "logs", mixinStandardHelpOptions = true,
        header = "Print recent output of workers; -f follows it.",
        description = {"Prints the recent output of workers (kept in memory by tend up), prefixed like `tend up` prints it; with -f, keeps printing new lines until interrupted.",
            "Targets: workers, pools, `tend` for tend's own messages; none means everything."})
final class LogsCommand implements Callable<Integer> {
    @Mixin
    InstanceOptions instance;

    @Mixin
    AnswerTimeout answer = new AnswerTimeout();

    @Parameters(arity = "0..*", paramLabel = "TARGET", description = "Workers or pools (default: all).")
    List<String> targets = List.of();

    @Option(names = {"-n", "--lines"}, paramLabel = "LINES", defaultValue = "" + Request.Logs.DEFAULT_LINES,
            description = "How many recent lines to print first (default: ${DEFAULT-VALUE}).")
    int lines;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new lines.")
    boolean follow;

    @Override
    public Integer call() {
        if (lines < 0) {
            throw new UserException(ExitCode.USAGE, "--lines: must be 0 or more (got " + lines + ")");
        }
        LinePrinter printer = new LinePrinter(OutputOptions.automaticStyle(), 4);
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
        Map<String, Object> last = ClientCall.send(instance, timeout, new Request.Logs(targets, lines, follow), event -> {
            LogEvent e = LogEvent.fromJson(event);
            LogLine line = LogLine.ofText(e.sequence(), e.epochMillis(), e.source(),
                    LogLine.Channel.valueOf(e.channel().toUpperCase(Locale.ROOT)), e.text());
            printer.widen(line.source().length());
            byte[] bytes = printer.format(line);
            System.out.write(bytes, 0, bytes.length);
            System.out.flush();
        }, follow);
        return ClientCall.report(last, System.out, System.err);
    }
}
