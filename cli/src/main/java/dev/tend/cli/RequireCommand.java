package dev.tend.cli;

import dev.tend.protocol.Request;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tend require}. */
@Command(name = "require", mixinStandardHelpOptions = true,
        header = "Start named workers on demand and wait until they are ready.",
        description = {"Starts each named worker that is not running (from a [lazy.*] pattern if needed) and waits until all are ready. Exits 1 at once with the worker's report if one fails before it is ready, 4 with the same details on timeout, 3 if a name matches nothing.",
            "Works from inside a worker too: it talks to the tend that started it."})
final class RequireCommand implements Callable<Integer> {
    @Mixin
    InstanceOptions instance;

    @Parameters(arity = "1..*", paramLabel = "NAME", completionCandidates = LiveNames.Required.class,
            description = "A worker, a pool of one worker, or a lazy name.")
    List<String> names;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = Request.Require.DEFAULT_TIMEOUT_SECONDS + "s",
            description = "How long to wait for readiness, and for tend to answer at all (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() {
        return ClientCall.report(ClientCall.send(instance, timeout, new Request.Require(names, timeout)), System.out,
                System.err);
    }
}
