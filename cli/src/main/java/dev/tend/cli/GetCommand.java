package dev.tend.cli;

import dev.tend.json.Json;
import dev.tend.os.Fds;
import dev.tend.protocol.ExitCode;
import dev.tend.state.SlotReader;
import dev.tend.state.Snapshot;
import dev.tend.state.SnapshotJson;
import dev.tend.state.StateException;
import dev.tend.state.StateReader;
import dev.tend.text.Human;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tend get}. */
@Command(name = "get", mixinStandardHelpOptions = true,
        header = "Read the state a worker published.",
        description = {"Reads the state a worker published: one value, raw, or (without KEY, or with --json) the whole snapshot as JSON with its version, age and whether its owner is running.",
            "NAME is a worker (queue.2) or the name of a pool whose count is 1. Reads the state file directly: no request to tend, and it works while the owner restarts.",
            "Exits 3 when the slot or key does not exist; with --wait, waits for it (exit 4 on timeout)."})
final class GetCommand implements Callable<Integer> {
    @Mixin
    InstanceOptions instance;

    @Parameters(index = "0", paramLabel = "NAME", completionCandidates = LiveNames.Workers.class,
            description = "The worker whose state to read.")
    String name;

    @Parameters(index = "1", arity = "0..1", paramLabel = "KEY", description = "One key of its snapshot.")
    String key;

    @Option(names = "--json", description = "Print JSON: the whole slot, or the value (a string or {\"base64\": ...}).")
    boolean json;

    @Option(names = "--wait", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Wait up to DURATION for the slot (and key) to be published.")
    Duration wait;

    @Override
    public Integer call() throws IOException {
        Duration limit = wait == null ? Duration.ZERO : wait;
        Path file = instance.stateFile();
        long deadline = System.nanoTime() + limit.toNanos();
        long pause = 1_000_000;
        while (true) {
            try (StateReader reader = StateReader.open(file)) {
                SlotReader slot = reader.slot(name);
                Snapshot snapshot = slot.snapshot();
                if (key == null && (snapshot.version() > 0 || wait == null)) {
                    System.out.println(Json.write(SnapshotJson.slot(slot)));
                    return ExitCode.OK.code();
                }
                if (key != null && snapshot.contains(key)) {
                    printValue(snapshot.get(key));
                    return ExitCode.OK.code();
                }
                if (wait == null) {
                    throw new UserException(ExitCode.NOT_FOUND, snapshot.version() == 0
                            ? "worker " + slot.name() + " has not published anything yet"
                            : "worker " + slot.name() + " has no key " + key + " (version " + snapshot.version() + ")");
                }
            } catch (StateException e) {
                if (wait == null || e.reason() != StateException.Reason.NOT_FOUND) {
                    throw new UserException(e.reason() == StateException.Reason.NOT_FOUND ? ExitCode.NOT_FOUND
                            : e.reason() == StateException.Reason.AMBIGUOUS ? ExitCode.USAGE : ExitCode.FAILURE,
                            e.getMessage());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new UserException(ExitCode.TIMEOUT, "waited " + Human.duration(wait) + " for " + name
                        + (key == null ? "" : " " + key) + " to be published");
            }
            // A client waiting on memory another process writes: checks grow from 1 ms to 50 ms apart.
            LockSupport.parkNanos(pause);
            if (Thread.currentThread().isInterrupted()) {
                throw Cancelled.now();
            }
            pause = Math.min(pause * 2, 50_000_000);
        }
    }

    private void printValue(byte[] value) throws IOException {
        if (json) {
            System.out.println(Json.write(SnapshotJson.value(value)));
            return;
        }
        System.out.write(value);
        if (Fds.isTerminal(1)) {
            System.out.write('\n');
        }
        System.out.flush();
    }
}
