package dev.tend.cli;

import dev.tend.cli.top.TopView;
import dev.tend.protocol.ExitCode;
import dev.tend.protocol.Request;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code tend top}, also {@code tend ps --watch}. */
@Command(name = "top", mixinStandardHelpOptions = true,
        header = "A live, full-screen view of every worker; keys restart, stop, scale and show output.",
        description = {"Shows the instance and one row per worker, grouped by pool (name, pid, state, ready, uptime,"
            + " restarts, last exit, CPU %%, RSS, and the version and age of its published state), redrawn as tend"
            + " reports changes. Keys: up/down or j/k select; Enter or l shows the selected worker's or pool's output;"
            + " r restarts, s stops or starts, +/- scale its pool; / filters by name; ? lists the keys; q quits.",
            "Needs a terminal on stdin and stdout (exit 2 otherwise: use `tend ps`). NO_COLOR turns colours off."})
final class TopCommand implements Callable<Integer> {
    @Mixin
    InstanceOptions instance;

    @Mixin
    AnswerTimeout answer = new AnswerTimeout();

    @Override
    public Integer call() {
        return watch(instance, answer.resolve(), "tend top");
    }

    /** Runs the view of the instance; {@code command} names it in the error for a missing terminal. */
    static int watch(InstanceOptions instance, Duration timeout, String command) {
        if (System.console() == null) {
            throw notATerminal(command);
        }
        InstanceOptions.Target target = instance.target();
        // Reports a missing or silent instance as every client command does, before taking the screen.
        ClientCall.send(instance, timeout, new Request.Ps(true));
        Optional<TopView.Outcome> outcome;
        try {
            // NO_COLOR set to anything turns colours off, as for tend up and tend logs.
            outcome = TopView.run(target.socket(), target.description(), System.getenv("NO_COLOR") == null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the terminal: " + e.getMessage(), e);
        }
        if (outcome.isEmpty()) {
            throw notATerminal(command);
        }
        if (outcome.get().message() != null) {
            (outcome.get().exitCode() == ExitCode.OK.code() ? System.out : System.err).println(outcome.get().message());
        }
        return outcome.get().exitCode();
    }

    private static UserException notATerminal(String command) {
        return new UserException(ExitCode.USAGE, command + " needs a terminal on stdin and stdout; for the status as"
                + " text use `tend ps` (or `tend ps --json` for scripts)");
    }
}
