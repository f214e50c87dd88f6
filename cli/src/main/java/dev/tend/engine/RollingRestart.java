package dev.tend.engine;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Restarts workers one at a time, each started again and ready before the next one is stopped, so that a
 * pool never has more than one worker down (what a reload does to a pool whose settings changed, and
 * {@code tend restart --rolling}). The roll stops at the first worker that is not ready in time; the
 * workers after it keep their processes. Loop thread only.
 */
final class RollingRestart {
    /** How long each restarted worker may take to become ready before the roll stops. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    /**
     * How a roll ended.
     *
     * @param notReady the worker the roll stopped at, or null when every worker was restarted.
     * @param why      the failed wait for that worker (its code, message and report); null when none.
     * @param left     the workers after it, not restarted.
     */
    record Outcome(Worker notReady, Operations.Result why, List<Worker> left) {
        boolean ok() {
            return notReady == null;
        }
    }

    private final Supervisor supervisor;
    private final Operations operations;
    private final Deque<Worker> queue;
    private final Function<Worker, WorkerSpec> respec;
    private final boolean onlyRunning;
    private final Consumer<Outcome> done;

    private RollingRestart(Supervisor supervisor, Operations operations, List<Worker> workers,
                           Function<Worker, WorkerSpec> respec, boolean onlyRunning, Consumer<Outcome> done) {
        this.supervisor = supervisor;
        this.operations = operations;
        this.queue = new ArrayDeque<>(workers);
        this.respec = respec;
        this.onlyRunning = onlyRunning;
        this.done = done;
    }

    /**
     * Restarts {@code workers} in order, each with the spec {@code respec} gives it. With {@code onlyRunning}
     * (a reload), a worker at rest is given its new spec but not started: one held by {@code tend stop} or done
     * with its job stays so; one given up is started (its new settings may fix it). Otherwise every worker is
     * started, as {@code tend restart} does.
     */
    static void run(Supervisor supervisor, Operations operations, List<Worker> workers,
                    Function<Worker, WorkerSpec> respec, boolean onlyRunning, Consumer<Outcome> done) {
        new RollingRestart(supervisor, operations, workers, respec, onlyRunning, done).next();
    }

    private void next() {
        Worker w = queue.poll();
        if (w == null) {
            done.accept(new Outcome(null, null, List.of()));
            return;
        }
        boolean startAgain = !w.retiring && (!onlyRunning
                || !w.held && (!w.state().atRest() || w.state() == WorkerState.FAILED));
        // Another restart may start the worker again before this one sees it at rest: then its new process
        // is the one this roll waits for, rather than waiting for it to end as well.
        int attempts = w.attempts;
        // The new spec first: a reload that changed how workers stop (stop_signal, grace) stops the old process
        // with the new settings, since the old ones may be what the reload fixes.
        supervisor.respec(w, respec.apply(w));
        if (!w.state().atRest()) {
            supervisor.stopAndHold(w);
        }
        supervisor.waiters().when(() -> w.state().atRest() || w.attempts != attempts, () -> {
            if (w.attempts == attempts) {
                if (!startAgain) {
                    next();
                    return;
                }
                supervisor.restartNow(w);
            }
            operations.awaitReady(List.of(w), READY_TIMEOUT.toNanos(), "restarted " + w.name(), result -> {
                if (result.ok()) {
                    next();
                } else {
                    done.accept(new Outcome(w, result, List.copyOf(queue)));
                }
            });
        });
    }
}
