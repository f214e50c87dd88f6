package dev.tend.cli;

import dev.tend.cli.shell.HistoryFile;
import dev.tend.cli.shell.NameCache;
import dev.tend.cli.shell.PipedConsole;
import dev.tend.cli.shell.Shell;
import dev.tend.cli.shell.TerminalConsole;
import dev.tend.os.Fds;
import dev.tend.protocol.Protocol;
import dev.tend.protocol.Request;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code tend console}. */
@Command(name = "console", mixinStandardHelpOptions = true,
        header = "An interactive shell on one instance: its commands without `tend`, names completed.",
        description = {"Runs the client commands (ps, restart web, logs -f queue, get NAME KEY, scale web 4, …) typed"
            + " without `tend` and without -c or --name, against one running instance, in one JVM: each answers in a"
            + " few milliseconds. Tab completes commands, options and the names of workers, pools and lazy workers;"
            + " Ctrl-C cancels the line or ends a running command (logs -f); Ctrl-D, exit or quit leaves. A failed"
            + " command's exit code is shown as [exit N]. Lines are kept in $XDG_STATE_HOME/tend/history"
            + " (default ~/.local/state/tend/history).",
            "When standard input or output is not a terminal, commands are read line by line with no prompt"
            + " (echo ps | tend console); the exit code is the last command's."})
final class ConsoleCommand implements Callable<Integer> {
    @Mixin
    InstanceOptions instance;

    @Override
    public Integer call() throws IOException {
        Map<String, Object> reply = ClientCall.send(instance, new AnswerTimeout().resolve(), new Request.Ps(true));
        if (!Boolean.TRUE.equals(reply.get(Protocol.OK))) {
            return ClientCall.report(reply, System.out, System.err);
        }
        String name = String.valueOf(reply.get(Protocol.INSTANCE));
        ConsoleCommands commands = new ConsoleCommands(name);
        NameCache names = new NameCache(instance.target().socket());
        Shell shell = new Shell(commands, names, System.out, System.err);
        if (!Fds.isTerminal(0) || !Fds.isTerminal(1)) {
            return PipedConsole.run(shell, System.in, System.err);
        }
        Optional<Path> history = HistoryFile.location(System.getenv());
        if (history.isPresent()) {
            try {
                HistoryFile.create(history.get());
            } catch (IOException e) {
                System.err.println("tend: warning: no history kept: cannot create " + history.get() + ": " + e);
                history = Optional.empty();
            }
        }
        return TerminalConsole.run(shell, commands, names, name, history, System.err);
    }
}
