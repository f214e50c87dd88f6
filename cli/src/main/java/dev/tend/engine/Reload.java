package dev.tend.engine;

import dev.tend.config.Config;
import dev.tend.config.LazyConfig;
import dev.tend.config.PoolConfig;
import dev.tend.protocol.ExitCode;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Carries out a {@link ReloadPlan}: pools added are started, pools removed are stopped, pools whose
 * settings changed are restarted one worker at a time (each new worker ready before the next old one
 * stops), pools that only changed size are scaled, untouched pools keep running. The answer comes once
 * every rolling restart is over. One reload at a time; loop thread only.
 */
final class Reload {
    /** How long a worker restarted by a reload may take to become ready before the reload gives up. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Supervisor supervisor;
    /** Scales resized pools and waits for restarted workers, as the requests of the same names do. */
    private final Operations operations;
    private boolean reloading;

    Reload(Supervisor supervisor, Operations operations) {
        this.supervisor = supervisor;
        this.operations = operations;
    }

    /** Applies {@code next}, or refuses it without changing anything. */
    void apply(Config next, Consumer<Operations.Result> done) {
        Config current = supervisor.config();
        if (supervisor.stopping()) {
            done.accept(Operations.Result.fail(ExitCode.FAILURE, "tend is stopping; nothing to reload"));
            return;
        }
        if (reloading) {
            done.accept(Operations.Result.fail(ExitCode.FAILURE, "a reload is already in progress"));
            return;
        }
        if (!next.instanceName().equals(current.instanceName())) {
            done.accept(Operations.Result.fail(ExitCode.USAGE, "the instance name cannot change while tend runs ("
                    + current.instanceName() + " → " + next.instanceName() + "); restart tend instead"));
            return;
        }
        ReloadPlan plan = ReloadPlan.between(current, next, supervisor.settings().processors());
        reloading = true;
        supervisor.notifyListeners(SupervisorListener::reloading);
        supervisor.emitNotice("reloading " + next.file() + ": " + plan.summary());
        if (next.maxSnapshotBytes() != current.maxSnapshotBytes()) {
            supervisor.emitWarning("state.max_snapshot changes take effect when tend is restarted");
        }
        supervisor.replaceConfig(next);
        int processors = supervisor.settings().processors();
        for (String pool : plan.removed()) {
            supervisor.poolWorkers(pool).forEach(supervisor::retire);
        }
        for (String pool : plan.added()) {
            PoolConfig config = next.pools().get(pool);
            supervisor.addPoolWorkers(config, config.count().resolve(processors));
            supervisor.poolWorkers(pool).forEach(supervisor::startNow);
        }
        for (String pool : plan.resized()) {
            operations.scale(pool, Integer.toString(next.pools().get(pool).count().resolve(processors)), false,
                    r -> { });
        }
        List<String> problems = new ArrayList<>();
        // One for each rolling restart, and one for this method, so that the answer waits for all of them.
        int[] pending = {plan.restarted().size()};
        Runnable oneDone = () -> {
            if (--pending[0] == 0) {
                reloading = false;
                supervisor.notifyListeners(SupervisorListener::reloaded);
                if (problems.isEmpty()) {
                    supervisor.emitNotice("reload done");
                    done.accept(Operations.Result.ok("reloaded: " + plan.summary(), supervisor.status()));
                } else {
                    done.accept(Operations.Result.fail(ExitCode.FAILURE, "reload incomplete: " + String.join("; ", problems)));
                }
            }
        };
        pending[0]++;
        for (String pool : plan.restarted()) {
            PoolConfig config = next.pools().get(pool);
            List<Worker> members = supervisor.poolWorkers(pool);
            members.sort(Comparator.comparingInt(w -> w.spec.instance()));
            Deque<Worker> queue = new ArrayDeque<>(members);
            roll(queue, w -> new WorkerSpec(w.name(), pool, w.spec.instance(), config.worker()), problems, () -> {
                operations.scale(pool, Integer.toString(config.count().resolve(processors)), false, r -> { });
                oneDone.run();
            });
        }
        for (String lazy : plan.lazyChanged()) {
            LazyConfig config = next.lazy().get(lazy);
            List<Worker> members = supervisor.poolWorkers(lazy);
            if (config == null) {
                members.forEach(supervisor::retire);
            } else {
                pending[0]++;
                roll(new ArrayDeque<>(members), w -> new WorkerSpec(w.name(), lazy, 1,
                        config.worker().withCommand(config.worker().command().withName(w.name()))), problems, oneDone);
            }
        }
        oneDone.run();
    }

    /** Restarts the queued workers one at a time with new specs; stops at the first one not ready. */
    private void roll(Deque<Worker> queue, Function<Worker, WorkerSpec> respec, List<String> problems,
                      Runnable finished) {
        Worker w = queue.poll();
        if (w == null) {
            finished.run();
            return;
        }
        // Running or about to, or given up (the new settings may fix it): started again. Held or done: left so.
        boolean wasRunning = !w.state().atRest() || w.state() == WorkerState.FAILED;
        boolean held = w.held;
        if (w.state().hasProcess()) {
            supervisor.stopAndHold(w);
        }
        supervisor.waiters().when(() -> !w.state().hasProcess(), () -> {
            supervisor.respec(w, respec.apply(w));
            if (!wasRunning || (held && w.state() == WorkerState.STOPPED)) {
                roll(queue, respec, problems, finished);
                return;
            }
            supervisor.startNow(w);
            operations.awaitReady(List.of(w), READY_TIMEOUT.toNanos(), "restarted " + w.name(), result -> {
                if (result.ok()) {
                    roll(queue, respec, problems, finished);
                } else {
                    problems.add(w.name() + " did not become ready with the new settings (" + result.message()
                            + "); left " + queue.size() + " more worker" + (queue.size() == 1 ? "" : "s")
                            + " of its pool on the old settings");
                    supervisor.emitError("reload: " + problems.get(problems.size() - 1));
                    finished.run();
                }
            });
        });
    }
}
