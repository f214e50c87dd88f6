package dev.tend.engine;

import dev.tend.config.Config;
import dev.tend.config.LazyConfig;
import dev.tend.config.PoolConfig;
import dev.tend.protocol.ExitCode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Carries out a {@link ReloadPlan}: pools added are started, pools removed are stopped, pools whose
 * settings changed have their current workers restarted one at a time (each new worker ready before the
 * next old one stops), pools whose count in the file changed are scaled to it (after their restart), and
 * untouched pools keep running. A pool scaled with {@code tend scale} keeps its size until its count in
 * the file changes. The answer comes once every rolling restart is over. One reload at a time; loop
 * thread only.
 */
final class Reload {
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
            if (!plan.restarted().contains(pool)) {
                scaleToFile(pool);
            }
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
            // The pool's current workers, as many as a scale left it: the file's count applies only if it changed.
            List<Worker> members = supervisor.poolWorkers(pool);
            members.removeIf(w -> w.retiring);
            members.sort(Comparator.comparingInt(w -> w.spec.instance()));
            roll(members, w -> new WorkerSpec(w.name(), pool, w.spec.instance(), config.worker()), problems, () -> {
                if (plan.resized().contains(pool)) {
                    scaleToFile(pool);
                }
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
                members.removeIf(w -> w.retiring);
                roll(members, w -> new WorkerSpec(w.name(), lazy, 1,
                        config.worker().withCommand(config.worker().command().withName(w.name()))), problems, oneDone);
            }
        }
        oneDone.run();
    }

    /** Scales a pool to the count its file now gives. */
    private void scaleToFile(String pool) {
        operations.scale(pool, Integer.toString(supervisor.config().pools().get(pool).count()
                .resolve(supervisor.settings().processors())), false, r -> { });
    }

    /** Restarts the workers one at a time with new specs; stops at the first one not ready. */
    private void roll(List<Worker> workers, Function<Worker, WorkerSpec> respec, List<String> problems,
                      Runnable finished) {
        RollingRestart.run(supervisor, operations, workers, respec, true, outcome -> {
            if (!outcome.ok()) {
                int left = outcome.left().size();
                problems.add(outcome.notReady().name() + " did not become ready with the new settings ("
                        + outcome.why().message() + "); left " + left + " more worker" + (left == 1 ? "" : "s")
                        + " of its pool on the old settings");
                supervisor.emitError("reload: " + problems.get(problems.size() - 1));
            }
            finished.run();
        });
    }
}
