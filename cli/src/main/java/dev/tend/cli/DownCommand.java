package dev.tend.cli;

import dev.tend.protocol.Request;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code tend down}. */
@Command(name = "down", mixinStandardHelpOptions = true,
        header = "Stop every worker and end tend up.",
        description = {"Stops every worker gracefully and ends `tend up`; returns once everything has stopped."})
final class DownCommand implements Callable<Integer> {
    @Mixin
    InstanceOptions instance;

    @Mixin
    AnswerTimeout answer = new AnswerTimeout();

    @Override
    public Integer call() {
        return ClientCall.report(ClientCall.send(instance, answer.resolve(), new Request.Down()), System.out, System.err);
    }
}
