package dev.tend.cli;

import dev.tend.config.InputLimit;
import dev.tend.protocol.ExitCode;
import dev.tend.protocol.StateText;
import dev.tend.state.PublishResult;
import dev.tend.state.SetSnapshot;
import dev.tend.state.StateException;
import dev.tend.state.StateFileLayout;
import dev.tend.text.Human;
import dev.tend.worker.TendState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tend set}. */
@Command(name = "set", mixinStandardHelpOptions = true,
        header = "Publish this worker's snapshot of state (from inside a worker).",
        description = {"Publishes a snapshot of state into the calling worker's own slot, replacing the previous one (--merge keeps the keys not given). Run it from inside a worker (or a process it started): it uses TEND_STATE, TEND_WORKER and TEND_STATE_TOKEN. Publishing the same snapshot again does not change the version. Values are text; use --json for {\"base64\": \"...\"} binary values."})
final class SetCommand implements Callable<Integer> {
    /**
     * The most {@code --json -} reads from stdin: twice the largest snapshot any instance takes, room for JSON's
     * quoting and base64, so that an endless stdin is refused rather than read until memory runs out.
     */
    private static final int MAX_STDIN_BYTES = (int) (2 * StateFileLayout.MAX_MAX_SNAPSHOT);

    @Parameters(arity = "0..*", paramLabel = "KEY=VALUE", description = "Keys and their values.")
    List<String> assignments = List.of();

    @Option(names = "--json", paramLabel = "OBJECT",
            description = "The snapshot as one JSON object; - reads it from stdin.")
    String json;

    @Option(names = "--merge", description = "Start from the current snapshot instead of an empty one.")
    boolean merge;

    @Override
    public Integer call() throws IOException {
        if (json == null && assignments.isEmpty()) {
            throw new UserException(ExitCode.USAGE, "give KEY=VALUE pairs, --json OBJECT or --json - (stdin)");
        }
        TendState state;
        try {
            state = TendState.fromEnvironment();
        } catch (IllegalStateException e) {
            throw new UserException(ExitCode.USAGE, "tend set publishes into the calling worker's own slot; run it"
                    + " from inside a tend worker (" + e.getMessage() + ")");
        }
        try (state) {
            Map<String, byte[]> data;
            try {
                data = SetSnapshot.of(merge ? state.reader().slot(state.workerName()).snapshot().toMap() : Map.of(),
                        json == null ? null : json.equals("-") ? stdin() : json, assignments);
            } catch (IllegalArgumentException e) {
                throw new UserException(ExitCode.USAGE, e.getMessage());
            }
            PublishResult result = state.publish(data);
            return (result.status() == PublishResult.Status.BUSY ? ExitCode.FAILURE : ExitCode.OK).code();
        } catch (StateException e) {
            throw new UserException(StateText.publishFailed(e), e.getMessage());
        }
    }

    private static String stdin() throws IOException {
        try {
            return new String(InputLimit.readAll(System.in, MAX_STDIN_BYTES), StandardCharsets.UTF_8);
        } catch (InputLimit.TooLarge e) {
            throw new UserException(ExitCode.USAGE, "--json -: more than " + Human.bytes(MAX_STDIN_BYTES)
                    + " on stdin; a snapshot holds at most " + Human.bytes(StateFileLayout.MAX_MAX_SNAPSHOT));
        }
    }
}
