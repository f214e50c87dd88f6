package dev.tend.cli;

import dev.tend.os.Fds;
import dev.tend.protocol.ExitCode;
import dev.tend.protocol.StateText;
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
            "NAME is a worker (queue.2) or the name of a pool whose count is 1. Reads the state file (while tend runs, the launcher asks tend to read it, without starting a JVM; the output is the same); it works while the owner restarts.",
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
            StateText.Lookup lookup;
            try (StateReader reader = StateReader.open(file)) {
                lookup = StateText.get(reader, name, key, json, wait != null);
            } catch (StateException e) {
                lookup = StateText.missing(e);
            }
            if (lookup instanceof StateText.Line line) {
                System.out.println(line.json());
                return ExitCode.OK.code();
            }
            if (lookup instanceof StateText.Raw raw) {
                printRaw(raw.value());
                return ExitCode.OK.code();
            }
            StateText.Missing missing = (StateText.Missing) lookup;
            if (wait == null || !missing.mayAppear()) {
                throw new UserException(missing.code(), missing.message());
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

    private static void printRaw(byte[] value) throws IOException {
        System.out.write(value);
        if (Fds.isTerminal(1)) {
            System.out.write('\n');
        }
        System.out.flush();
    }
}
