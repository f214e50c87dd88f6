package dev.tend.engine;

import dev.tend.config.Config;
import dev.tend.config.ConfigLoader;
import dev.tend.os.Reactor;
import dev.tend.os.Signal;
import dev.tend.testing.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A real supervisor running a configuration in this JVM: its event loop on a thread of its own, real worker
 * processes, and every output line captured for assertions.
 */
final class RunningSupervisor implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(15);

    final List<LogLine> lines = new CopyOnWriteArrayList<>();
    final Reactor reactor = new Reactor(Throwable::printStackTrace);
    final Supervisor supervisor;
    private final Thread loop;
    private volatile Integer exitCode;

    RunningSupervisor(Path dir, String toml, int processors) throws Exception {
        this(dir, toml, processors, line -> { }, List.of());
    }

    /**
     * @param tap       sees each output line after it was captured; what it throws, the output sink throws.
     * @param listeners added before the workers start.
     */
    RunningSupervisor(Path dir, String toml, Consumer<LogLine> tap, List<SupervisorListener> listeners)
            throws Exception {
        this(dir, toml, Runtime.getRuntime().availableProcessors(), tap, listeners);
    }

    private RunningSupervisor(Path dir, String toml, int processors, Consumer<LogLine> tap,
                              List<SupervisorListener> listeners) throws Exception {
        Path file = dir.resolve("tend.toml");
        Files.writeString(file, toml);
        Config config = new ConfigLoader(System.getenv()).load(file);
        SupervisorSettings settings = new SupervisorSettings(System.getenv(), -1, processors, System::currentTimeMillis);
        supervisor = new Supervisor(config, settings, line -> {
            lines.add(line);
            tap.accept(line);
        }, reactor);
        listeners.forEach(supervisor::addListener);
        loop = new Thread(() -> {
            reactor.run();
            exitCode = supervisor.exitCode();
        }, "test-supervisor");
        reactor.execute(supervisor::start);
        loop.start();
    }

    RunningSupervisor(Path dir, String toml) throws Exception {
        this(dir, toml, Runtime.getRuntime().availableProcessors());
    }

    /** Runs {@code action} on the loop thread and waits for it. */
    <T> T onLoop(Supplier<T> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        reactor.execute(() -> {
            try {
                result.complete(action.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                return result.get(5, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (!loop.isAlive()) {
                    // The loop ended (join gives visibility of its writes), so nothing else touches the state.
                    joinLoop();
                    return action.get();
                }
            } catch (Exception e) {
                throw new AssertionError("loop failed to answer", e);
            }
        }
        throw new AssertionError("loop did not answer within " + WAIT);
    }

    List<WorkerStatus> status() {
        return onLoop(supervisor::status);
    }

    WorkerStatus worker(String name) {
        return status().stream().filter(w -> w.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no worker " + name));
    }

    WorkerStatus awaitState(String name, WorkerState state) {
        return Await.value(WAIT, name + " in state " + state, () -> {
            WorkerStatus w = worker(name);
            return w.state() == state ? w : null;
        });
    }

    LogLine awaitLine(String what, Predicate<LogLine> match) {
        return Await.value(WAIT, what + "; lines so far:\n" + text(), () ->
                lines.stream().filter(match).findFirst().orElse(null));
    }

    List<LogLine> linesOf(String source) {
        return lines.stream().filter(l -> l.source().equals(source)).collect(Collectors.toList());
    }

    List<String> notices(String containing) {
        List<String> out = new ArrayList<>();
        for (LogLine l : lines) {
            if (l.channel().fromTend() && l.text().contains(containing)) {
                out.add(l.text());
            }
        }
        return out;
    }

    String text() {
        return lines.stream().map(l -> l.source() + " | " + l.text()).collect(Collectors.joining("\n"));
    }

    void shutdown() {
        reactor.execute(() -> supervisor.shutdown("test shutdown", 0));
    }

    private void joinLoop() {
        try {
            loop.join(WAIT.toMillis());
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    int awaitExit() {
        joinLoop();
        if (exitCode == null) {
            throw new AssertionError("supervisor did not end; lines:\n" + text());
        }
        return exitCode;
    }

    @Override
    public void close() throws IOException {
        if (loop.isAlive()) {
            reactor.execute(() -> supervisor.onSignal(Signal.INT));
            reactor.execute(() -> supervisor.onSignal(Signal.INT));
            awaitExit();
        }
        reactor.close();
    }
}
