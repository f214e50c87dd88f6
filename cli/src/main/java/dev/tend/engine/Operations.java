package dev.tend.engine;

import dev.tend.config.Config;
import dev.tend.config.ConfigException;
import dev.tend.config.ConfigLoader;
import dev.tend.config.Count;
import dev.tend.config.LazyConfig;
import dev.tend.config.Names;
import dev.tend.config.PoolConfig;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What an operator (or a worker) can ask a running supervisor: start, stop, restart, scale, require,
 * reload, read logs. Every call runs on the loop thread and answers through a callback once the action is
 * done, so a slow stop or a worker that takes a while to become ready never blocks the loop.
 *
 * <p>Targets name a worker ({@code queue.2}), a pool or lazy declaration ({@code queue}: all its workers),
 * or {@code all}.
 */
public final class Operations {
    /** How long a worker restarted by a reload may take to become ready before the reload gives up. */
    static final Duration RELOAD_READY_TIMEOUT = Duration.ofSeconds(60);

    private final Supervisor supervisor;
    private boolean reloading;

    Operations(Supervisor supervisor) {
        this.supervisor = supervisor;
    }

    /**
     * The outcome of an operation.
     *
     * @param ok       whether it succeeded.
     * @param code     tend's exit code for it: 0, 1 (failed), 2 (bad request), 3 (not found), 4 (timed out).
     * @param message  a one-line summary.
     * @param workers  the workers it acted on, as they are now.
     * @param failures reports on the workers that failed, if any.
     */
    public record Result(boolean ok, int code, String message, List<WorkerStatus> workers,
                         List<FailureReport> failures) {
        static Result ok(String message, List<WorkerStatus> workers) {
            return new Result(true, 0, message, workers, List.of());
        }

        static Result fail(int code, String message) {
            return new Result(false, code, message, List.of(), List.of());
        }
    }

    /** A request that cannot be served as asked (exit code 2). */
    private static final class BadRequest extends UnknownTarget {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message);
        }
    }

    /** A target that names nothing. */
    private static class UnknownTarget extends Exception {
        private static final long serialVersionUID = 1L;

        UnknownTarget(String message) {
            super(message);
        }
    }

    // ---- start, stop, restart ----

    /** Starts the targets that are not running; with {@code wait}, answers once they are ready. */
    public void start(List<String> targets, boolean wait, Consumer<Result> done) {
        List<Worker> ws = resolveOrFail(targets, done);
        if (ws == null) {
            return;
        }
        afterStopping(ws, () -> {
            List<Worker> already = ws.stream().filter(w -> w.state().hasProcess()).collect(Collectors.toList());
            List<Worker> started = ws.stream().filter(w -> !already.contains(w)).collect(Collectors.toList());
            ws.forEach(supervisor::startNow);
            String what = started.isEmpty() ? names(already) + " already running"
                    : "started " + names(started) + (already.isEmpty() ? "" : " (" + names(already) + " already running)");
            finishStart(what, ws, wait, 0, done);
        });
    }

    /** Stops the targets and holds them stopped; with {@code wait}, answers once they have ended. */
    public void stop(List<String> targets, boolean wait, Consumer<Result> done) {
        List<Worker> ws = resolveOrFail(targets, done);
        if (ws == null) {
            return;
        }
        ws.forEach(supervisor::stopAndHold);
        if (!wait) {
            done.accept(Result.ok("stopping " + names(ws), statuses(ws)));
            return;
        }
        supervisor.waiters().when(() -> allAtRest(ws), () -> done.accept(Result.ok("stopped " + names(ws), statuses(ws))));
    }

    /** Stops then starts the targets (all in parallel); with {@code wait}, answers once they are ready again. */
    public void restart(List<String> targets, boolean wait, Consumer<Result> done) {
        List<Worker> ws = resolveOrFail(targets, done);
        if (ws == null) {
            return;
        }
        ws.forEach(supervisor::stopAndHold);
        if (!wait) {
            done.accept(Result.ok("restarting " + names(ws), statuses(ws)));
        }
        supervisor.waiters().when(() -> allAtRest(ws), () -> {
            ws.forEach(supervisor::startNow);
            if (wait) {
                finishStart("restarted " + names(ws), ws, true, 0, done);
            }
        });
    }

    private void afterStopping(List<Worker> ws, Runnable then) {
        supervisor.waiters().when(() -> ws.stream().noneMatch(w -> w.state() == WorkerState.STOPPING), then);
    }

    /** {@code what} says what was done, e.g. "added worker.4"; with {@code wait}, "; ready" is added once it is. */
    private void finishStart(String what, List<Worker> ws, boolean wait, long timeoutNanos, Consumer<Result> done) {
        if (!wait) {
            done.accept(Result.ok(what, statuses(ws)));
            return;
        }
        awaitReady(ws, timeoutNanos, what, done);
    }

    /**
     * Answers once every worker is ready; fails fast, with each failed worker's report, as soon as one of
     * them ends or is given up before being ready; fails with exit code 4 after {@code timeoutNanos} (> 0).
     */
    private void awaitReady(List<Worker> ws, long timeoutNanos, String what, Consumer<Result> done) {
        Runnable onTimeout = () -> {
            List<FailureReport> reports = new ArrayList<>();
            for (Worker w : ws) {
                if (w.state() != WorkerState.RUNNING) {
                    reports.add(supervisor.report(w, "not ready after " + dev.tend.config.Durations.format(
                            Duration.ofNanos(timeoutNanos)) + " (state " + w.state().label() + ")"));
                }
            }
            done.accept(new Result(false, 4, "timed out waiting for " + names(ws) + " to be ready",
                    statuses(ws), reports));
        };
        supervisor.waiters().when(() -> allReady(ws) || anyFailed(ws), () -> {
            if (allReady(ws)) {
                done.accept(Result.ok(what + "; ready", statuses(ws)));
                return;
            }
            List<FailureReport> reports = new ArrayList<>();
            for (Worker w : ws) {
                if (failedToBecomeReady(w)) {
                    reports.add(supervisor.report(w, w.givenUpReason.isEmpty()
                            ? "ended before it was ready (now " + w.state().label() + ")" : w.givenUpReason));
                }
            }
            done.accept(new Result(false, 1, reports.stream().map(FailureReport::headline)
                    .collect(Collectors.joining("; ")), statuses(ws), reports));
        }, timeoutNanos, onTimeout);
    }

    private static boolean failedToBecomeReady(Worker w) {
        return w.state() == WorkerState.BACKOFF || w.state().atRest();
    }

    private static boolean allReady(List<Worker> ws) {
        return ws.stream().allMatch(w -> w.state() == WorkerState.RUNNING);
    }

    private static boolean anyFailed(List<Worker> ws) {
        return ws.stream().anyMatch(Operations::failedToBecomeReady);
    }

    private static boolean allAtRest(List<Worker> ws) {
        return ws.stream().allMatch(w -> w.state().atRest());
    }

    /**
     * Waits until every worker is ready or has finished its job cleanly (what {@code tend run} waits for
     * before running its command). Fails at once, with reports, when a worker is given up or ends with a
     * failure that will not be retried; fails with exit code 4 after {@code timeout}.
     */
    public void awaitStartup(Duration timeout, Consumer<Result> done) {
        List<Worker> all = List.copyOf(supervisor.workers());
        Predicate<Worker> settled = w -> w.state() == WorkerState.RUNNING || w.finishedCleanly();
        Predicate<Worker> broken = w -> w.state() == WorkerState.FAILED
                || (w.state() == WorkerState.EXITED && !w.finishedCleanly())
                || (w.state() == WorkerState.STOPPED && !supervisor.stopping());
        supervisor.waiters().when(() -> all.stream().allMatch(settled) || all.stream().anyMatch(broken), () -> {
            List<FailureReport> reports = all.stream().filter(broken)
                    .map(w -> supervisor.report(w, w.givenUpReason.isEmpty() ? "ended before everything was ready"
                            : w.givenUpReason))
                    .collect(Collectors.toList());
            if (reports.isEmpty()) {
                done.accept(Result.ok("every worker is ready", statuses(all)));
            } else {
                done.accept(new Result(false, 4, reports.stream().map(FailureReport::headline)
                        .collect(Collectors.joining("; ")), statuses(all), reports));
            }
        }, timeout.toNanos(), () -> {
            List<FailureReport> reports = all.stream().filter(settled.negate())
                    .map(w -> supervisor.report(w, "not ready after " + dev.tend.config.Durations.format(timeout)
                            + " (state " + w.state().label() + ")"))
                    .collect(Collectors.toList());
            done.accept(new Result(false, 4, "timed out after " + dev.tend.config.Durations.format(timeout)
                    + " waiting for " + reports.stream().map(FailureReport::worker).collect(Collectors.joining(", "))
                    + " to be ready", statuses(all), reports));
        });
    }

    // ---- scale ----

    /** Sets a pool's number of workers: adds instances, or gracefully removes the highest-numbered ones. */
    public void scale(String pool, String countText, boolean wait, Consumer<Result> done) {
        PoolConfig config = supervisor.config().pools().get(pool);
        if (config == null) {
            done.accept(Result.fail(3, "no pool named " + pool + " (pools: " + poolNames() + ")"));
            return;
        }
        int target;
        try {
            target = Count.parse(countText, Count.FEWEST_SCALED).resolve(supervisor.settings().processors());
        } catch (Count.Invalid e) {
            done.accept(Result.fail(2, "bad count \"" + countText + "\": " + e.getMessage()));
            return;
        }
        List<Worker> current = supervisor.poolWorkers(pool);
        current.removeIf(w -> w.retiring);
        current.sort(Comparator.comparingInt(w -> w.spec.instance()));
        if (target > current.size()) {
            List<Worker> added = new ArrayList<>();
            int instance = current.isEmpty() ? 0 : current.get(current.size() - 1).spec.instance();
            while (current.size() + added.size() < target) {
                instance++;
                Worker w = supervisor.add(new WorkerSpec(pool + "." + instance, pool, instance, config.worker()));
                added.add(w);
                supervisor.startNow(w);
            }
            supervisor.emitNotice("scaled " + pool + " to " + target + " (added " + names(added) + ")");
            finishStart("added " + names(added), added, wait, 0, done);
        } else if (target < current.size()) {
            List<Worker> removed = new ArrayList<>(current.subList(target, current.size()));
            supervisor.emitNotice("scaling " + pool + " to " + target + " (removing " + names(removed) + ")");
            removed.forEach(supervisor::retire);
            if (!wait) {
                done.accept(Result.ok("removing " + names(removed), statuses(removed)));
                return;
            }
            supervisor.waiters().when(() -> removed.stream().allMatch(w -> supervisor.worker(w.name()) != w),
                    () -> done.accept(Result.ok("removed " + names(removed), statuses(removed))));
        } else {
            done.accept(Result.ok(pool + " already has " + target + " worker" + (target == 1 ? "" : "s"),
                    statuses(current)));
        }
    }

    // ---- require ----

    /**
     * Starts each named worker that is not running (creating it from a matching {@code [lazy.*]} pattern if
     * needed) and answers once all are ready. Fails fast with the failing worker's report as soon as one
     * ends or is given up before being ready; exit code 4 with the same details after {@code timeout}.
     */
    public void require(List<String> names, Duration timeout, Consumer<Result> done) {
        List<Worker> ws = new ArrayList<>();
        for (String name : new LinkedHashSet<>(names)) {
            Worker w;
            try {
                w = requirable(name);
            } catch (UnknownTarget e) {
                done.accept(Result.fail(3, e.getMessage()));
                return;
            } catch (IllegalStateException e) {
                done.accept(Result.fail(1, e.getMessage()));
                return;
            }
            ws.add(w);
        }
        List<Worker> backingOff = ws.stream().filter(w -> w.state() == WorkerState.BACKOFF).collect(Collectors.toList());
        if (!backingOff.isEmpty()) {
            List<FailureReport> reports = backingOff.stream()
                    .map(w -> supervisor.report(w, "is failing: waiting out its backoff after "
                            + w.failures + " consecutive failure" + (w.failures == 1 ? "" : "s")))
                    .collect(Collectors.toList());
            done.accept(new Result(false, 1, reports.stream().map(FailureReport::headline)
                    .collect(Collectors.joining("; ")), statuses(ws), reports));
            return;
        }
        afterStopping(ws, () -> {
            for (Worker w : ws) {
                if (!w.state().hasProcess()) {
                    supervisor.startNow(w);
                }
            }
            awaitReady(ws, timeout.toNanos(), "required " + names(ws), done);
        });
    }

    private Worker requirable(String name) throws UnknownTarget {
        Worker existing = supervisor.worker(name);
        if (existing != null) {
            return existing;
        }
        PoolConfig pool = supervisor.config().pools().get(name);
        if (pool != null) {
            List<Worker> members = supervisor.poolWorkers(name);
            if (members.size() == 1) {
                return members.get(0);
            }
            throw new IllegalStateException("pool " + name + " has " + members.size() + " workers; require names one"
                    + " worker (" + names(members) + ") or a pool whose count is 1");
        }
        for (LazyConfig lazy : supervisor.config().lazy().values()) {
            if (lazy.matches(name)) {
                if (!Names.WORKER.isValid(name)) {
                    throw new IllegalStateException(Names.WORKER.invalid(name));
                }
                // Only workers that run or are about to (backing off) count: a stopped or given-up one does not.
                long running = supervisor.poolWorkers(lazy.name()).stream()
                        .filter(w -> !w.retiring && (w.state().hasProcess() || w.state() == WorkerState.BACKOFF))
                        .count();
                if (running >= lazy.max()) {
                    throw new IllegalStateException("cannot start " + name + ": lazy." + lazy.name() + " already runs "
                            + running + " workers, its max");
                }
                return supervisor.add(new WorkerSpec(name, lazy.name(), 1,
                        lazy.worker().withCommand(lazy.worker().command().withName(name))));
            }
        }
        throw new UnknownTarget("no worker, pool or [lazy] pattern matches \"" + name + "\" (pools: " + poolNames()
                + lazyPatterns() + ")");
    }

    // ---- reload ----

    /** Re-reads the configuration file and applies it. A file with errors is refused and nothing changes. */
    public void reloadFromDisk(Consumer<Result> done) {
        Config next;
        try {
            next = new ConfigLoader(supervisor.settings().environment()).load(supervisor.config().file());
        } catch (ConfigException e) {
            // Observers waiting for a reload to end (systemd with Type=notify-reload) still hear that it did.
            supervisor.notifyListeners(SupervisorListener::reloading);
            supervisor.emitError("reload refused: the configuration has errors; nothing changed");
            e.errors().forEach(err -> supervisor.emitError("  " + err));
            supervisor.notifyListeners(SupervisorListener::reloaded);
            done.accept(Result.fail(2, "reload refused, nothing changed:\n" + e.getMessage()));
            return;
        }
        reload(next, done);
    }

    /**
     * Applies a new configuration: pools added are started, pools removed are stopped, pools whose
     * settings changed are restarted one worker at a time (each new worker ready before the next old one
     * stops), pools that only changed size are scaled, untouched pools keep running.
     */
    public void reload(Config next, Consumer<Result> done) {
        Config current = supervisor.config();
        if (supervisor.stopping()) {
            done.accept(Result.fail(1, "tend is stopping; nothing to reload"));
            return;
        }
        if (reloading) {
            done.accept(Result.fail(1, "a reload is already in progress"));
            return;
        }
        if (!next.instanceName().equals(current.instanceName())) {
            done.accept(Result.fail(2, "the instance name cannot change while tend runs (" + current.instanceName()
                    + " → " + next.instanceName() + "); restart tend instead"));
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
            scale(pool, Integer.toString(next.pools().get(pool).count().resolve(processors)), false, r -> { });
        }
        List<String> problems = new ArrayList<>();
        int[] pending = {plan.restarted().size()};
        Runnable oneDone = () -> {
            if (--pending[0] == 0) {
                reloading = false;
                supervisor.notifyListeners(SupervisorListener::reloaded);
                if (problems.isEmpty()) {
                    supervisor.emitNotice("reload done");
                    done.accept(Result.ok("reloaded: " + plan.summary(), supervisor.status()));
                } else {
                    done.accept(Result.fail(1, "reload incomplete: " + String.join("; ", problems)));
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
                scale(pool, Integer.toString(config.count().resolve(processors)), false, r -> { });
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
    private void roll(Deque<Worker> queue, java.util.function.Function<Worker, WorkerSpec> respec,
                      List<String> problems, Runnable finished) {
        Worker w = queue.poll();
        if (w == null) {
            finished.run();
            return;
        }
        boolean wasRunning = w.state().hasProcess() || w.state() == WorkerState.BACKOFF || w.state() == WorkerState.FAILED;
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
            awaitReady(List.of(w), RELOAD_READY_TIMEOUT.toNanos(), "restarted " + w.name(), result -> {
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

    // ---- down ----

    /** Stops everything and answers once every worker has ended, just before {@code tend up} exits. */
    public void down(Consumer<Result> done) {
        supervisor.shutdown("stop requested (tend down)", 0);
        supervisor.waiters().when(() -> allAtRest(List.copyOf(supervisor.workers())),
                () -> done.accept(Result.ok("stopped every worker", supervisor.status())));
    }

    // ---- logs ----

    /**
     * Recent output of the targets (every worker and tend itself when empty; {@code tend} names tend's own
     * messages), oldest first. Throws {@link IllegalArgumentException} for a target that names nothing.
     */
    public List<LogLine> recentLogs(List<String> targets, int lines) {
        return supervisor.logs().recent(logFilter(targets), lines);
    }

    /** Sends every future line of the targets to {@code sink}; returns the action that stops it. */
    public Runnable followLogs(List<String> targets, Consumer<LogLine> sink) {
        return supervisor.logs().follow(logFilter(targets), sink);
    }

    private Predicate<LogLine> logFilter(List<String> targets) {
        Set<String> wanted = new LinkedHashSet<>(targets);
        if (wanted.isEmpty() || wanted.contains("all")) {
            return line -> true;
        }
        for (String t : wanted) {
            if (!t.equals("tend") && supervisor.worker(t) == null && !isGroup(t)) {
                throw new IllegalArgumentException("no worker or pool named " + t + " (pools: " + poolNames() + ")");
            }
        }
        return line -> {
            if (wanted.contains(line.source())) {
                return true;
            }
            Worker w = supervisor.worker(line.source());
            return w != null && wanted.contains(w.spec.pool());
        };
    }

    // ---- targets ----

    private List<Worker> resolveOrFail(List<String> targets, Consumer<Result> done) {
        try {
            return resolve(targets);
        } catch (UnknownTarget e) {
            done.accept(Result.fail(e instanceof BadRequest ? 2 : 3, e.getMessage()));
            return null;
        }
    }

    private List<Worker> resolve(List<String> targets) throws UnknownTarget {
        if (targets.isEmpty()) {
            throw new BadRequest("name at least one worker, pool or all");
        }
        Set<Worker> out = new LinkedHashSet<>();
        for (String t : targets) {
            if (t.equals("all")) {
                out.addAll(supervisor.workers());
            } else if (supervisor.worker(t) != null) {
                out.add(supervisor.worker(t));
            } else if (isGroup(t)) {
                out.addAll(supervisor.poolWorkers(t));
            } else {
                throw new UnknownTarget("no worker or pool named " + t + " (pools: " + poolNames() + lazyPatterns() + ")");
            }
        }
        out.removeIf(w -> w.retiring);
        return new ArrayList<>(out);
    }

    private boolean isGroup(String name) {
        return supervisor.config().pools().containsKey(name) || supervisor.config().lazy().containsKey(name)
                || !supervisor.poolWorkers(name).isEmpty();
    }

    private String poolNames() {
        return supervisor.config().pools().isEmpty() ? "none" : String.join(", ", supervisor.config().pools().keySet());
    }

    private String lazyPatterns() {
        return supervisor.config().lazy().isEmpty() ? "" : "; lazy: " + supervisor.config().lazy().values().stream()
                .map(LazyConfig::pattern).collect(Collectors.joining(", "));
    }

    private static String names(List<Worker> ws) {
        if (ws.isEmpty()) {
            return "nothing";
        }
        return ws.stream().map(Worker::name).collect(Collectors.joining(", "));
    }

    private static List<WorkerStatus> statuses(List<Worker> ws) {
        return ws.stream().map(Worker::status).collect(Collectors.toList());
    }
}
