package dev.tend.cli;

import dev.tend.protocol.Request;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tend scale}. */
@Command(name = "scale", mixinStandardHelpOptions = true,
        header = "Set how many workers a pool runs.",
        description = {"Sets how many workers a pool runs: adds new ones, or gracefully removes the highest-numbered ones. Waits until the new workers are ready or the removed ones have ended."})
final class ScaleCommand implements Callable<Integer> {
    @Mixin
    InstanceOptions instance;

    @Mixin
    AnswerTimeout answer = new AnswerTimeout();

    @Parameters(index = "0", paramLabel = "POOL", completionCandidates = LiveNames.Pools.class, description = "The pool.")
    String pool;

    @Parameters(index = "1", paramLabel = "COUNT", description = "A number of workers, or a share of the processors (50%%).")
    String count;

    @Option(names = "--no-wait", description = "Return at once instead of when the change is done.")
    boolean noWait;

    @Option(names = "--force", description = "Scale a named worker (a pool whose count is 1) past one all the same.")
    boolean force;

    @Override
    public Integer call() {
        return ClientCall.report(ClientCall.send(instance, answer.resolve(), new Request.Scale(pool, count, !noWait, force)), System.out,
                System.err);
    }
}
