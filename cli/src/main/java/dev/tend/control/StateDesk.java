package dev.tend.control;

import dev.tend.os.Reactor;
import dev.tend.protocol.ClientText;
import dev.tend.protocol.ExitCode;
import dev.tend.protocol.StateText;
import dev.tend.state.PublishResult;
import dev.tend.state.Publisher;
import dev.tend.state.SetSnapshot;
import dev.tend.state.SnapshotJson;
import dev.tend.state.StateException;
import dev.tend.state.StateReader;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Answers the command FIFO's {@code get} and {@code set} ({@link StateRequest}) from tend's own state file, with
 * the text and exit code of the JVM client ({@link StateText}, {@link SetSnapshot}): the launcher cannot map the
 * file, tend has it mapped. Reading and writing the mapped file is memory access, so the loop never waits: a
 * slot whose lock another publisher holds is tried again on a timer, as the fd-3 protocol's publishes are.
 *
 * <p>What the shell cannot print (a value that is not UTF-8 or holds a NUL byte), a file that a worker truncated,
 * or a slot still locked after {@link FifoReply#WRITE_TIMEOUT} is answered {@code fallback}: the JVM client does
 * it (a query is safe to ask twice; a publish of the same snapshot again changes nothing). Loop thread only.
 */
public final class StateDesk {
    private static final long FIRST_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long LAST_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final Reactor reactor;
    private final Path stateFile;
    private final Supplier<StateReader> reader;
    private final BooleanSupplier intact;
    private final Consumer<String> published;

    /**
     * @param reader    tend's own reader of the file (its state board's), not a second mapping of it.
     * @param intact    whether the file may still be read and written (a worker may truncate it: then tend no
     *                  longer maps it).
     * @param published told the worker's name when a {@code set} rings, as an empty line on fd 3 does.
     */
    public StateDesk(Reactor reactor, Path stateFile, Supplier<StateReader> reader, BooleanSupplier intact,
                     Consumer<String> published) {
        this.reactor = Objects.requireNonNull(reactor, "reactor");
        this.stateFile = Objects.requireNonNull(stateFile, "stateFile");
        this.reader = Objects.requireNonNull(reader, "reader");
        this.intact = Objects.requireNonNull(intact, "intact");
        this.published = Objects.requireNonNull(published, "published");
    }

    /** Answers {@code request} (a get or a set) through {@code reply}. */
    void handle(Map<String, Object> request, FifoReply reply) {
        StateRequest parsed;
        try {
            parsed = StateRequest.of(request);
        } catch (IllegalArgumentException e) {
            reply.print(StateText.error(ExitCode.USAGE, "malformed request from the launcher: " + e.getMessage()));
            return;
        }
        if (!intact.getAsBoolean()) {
            reply.fallback();
            return;
        }
        try {
            if (parsed instanceof StateRequest.Get get) {
                get(get, reply);
            } else {
                publish((StateRequest.Publish) parsed, reply);
            }
        } catch (RuntimeException | InternalError e) {
            // The file is writable by every worker: garbage in it (or a truncation, SIGBUS) must cost this answer,
            // not the loop; the JVM client says what is wrong.
            reply.fallback();
        }
    }

    private void get(StateRequest.Get get, FifoReply reply) {
        StateText.Lookup lookup = StateText.get(reader.get(), get.name(), get.key(), get.json(), false);
        if (lookup instanceof StateText.Line line) {
            reply.print(line.text());
        } else if (lookup instanceof StateText.Missing missing) {
            reply.print(missing.text());
        } else {
            byte[] value = ((StateText.Raw) lookup).value();
            // The launcher prints text line by line: NUL and bytes that are not UTF-8 are the JVM client's to print.
            if (!(SnapshotJson.value(value) instanceof String text) || text.indexOf('\0') >= 0) {
                reply.fallback();
                return;
            }
            reply.print(new ClientText(get.terminal() ? text + "\n" : text, "", ExitCode.OK));
        }
    }

    private void publish(StateRequest.Publish set, FifoReply reply) {
        Map<String, byte[]> data;
        Publisher publisher;
        try {
            Map<String, byte[]> base = set.merge() ? reader.get().slot(set.worker()).snapshot().toMap() : Map.of();
            try {
                data = SetSnapshot.of(base, set.json(), set.assignments());
            } catch (IllegalArgumentException e) {
                reply.print(StateText.error(ExitCode.USAGE, e.getMessage()));
                return;
            }
            publisher = Publisher.open(stateFile, set.worker(), set.token());
        } catch (StateException e) {
            reply.print(StateText.error(StateText.publishFailed(e), e.getMessage()));
            return;
        }
        attempt(set, publisher, data, reply, System.nanoTime() + FifoReply.WRITE_TIMEOUT.toNanos(), FIRST_RETRY_NANOS);
    }

    /** One try at the slot's lock; another a little later while a live publisher holds it. */
    private void attempt(StateRequest.Publish set, Publisher publisher, Map<String, byte[]> data, FifoReply reply,
            long deadline, long pause) {
        PublishResult result;
        try {
            result = publisher.tryPublish(data);
        } catch (StateException e) {
            publisher.close();
            reply.print(StateText.error(StateText.publishFailed(e), e.getMessage()));
            return;
        } catch (RuntimeException | InternalError e) {
            publisher.close();
            reply.fallback();
            return;
        }
        if (result.status() == PublishResult.Status.BUSY) {
            if (!reply.open() || System.nanoTime() - deadline > 0) {
                publisher.close();
                reply.fallback();
                return;
            }
            reactor.schedule(pause, TimeUnit.NANOSECONDS,
                    () -> attempt(set, publisher, data, reply, deadline, Math.min(pause * 2, LAST_RETRY_NANOS)));
            return;
        }
        publisher.close();
        if (set.ring()) {
            published.accept(set.worker());
        }
        reply.print(new ClientText("", "", ExitCode.OK));
    }
}
