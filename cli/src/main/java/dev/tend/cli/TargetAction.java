package dev.tend.cli;

import dev.tend.protocol.Op;
import dev.tend.protocol.Request;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What {@code start}, {@code stop} and {@code restart} share: targets, waiting, the reply. */
abstract class TargetAction implements Callable<Integer> {
    @Mixin
    InstanceOptions instance;

    @Mixin
    AnswerTimeout answer = new AnswerTimeout();

    @Parameters(arity = "1..*", paramLabel = "TARGET", completionCandidates = LiveNames.Targets.class,
            description = "A worker (queue.2), a pool (queue: all its workers) or all.")
    List<String> targets;

    @Option(names = "--no-wait", description = "Return at once instead of when the action is done.")
    boolean noWait;

    abstract Op op();

    /** The request to send. */
    Request request() {
        return new Request.Action(op(), targets, !noWait);
    }

    @Override
    public Integer call() {
        return ClientCall.report(ClientCall.send(instance, answer.resolve(), request()), System.out, System.err);
    }
}
