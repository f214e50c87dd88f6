package dev.tend.engine;

import dev.tend.config.Config;
import dev.tend.config.ConfigException;
import dev.tend.config.ConfigLoader;
import dev.tend.config.Count;
import dev.tend.config.LazyConfig;
import dev.tend.config.Names;
import dev.tend.config.PoolConfig;
import dev.tend.protocol.ExitCode;
import dev.tend.protocol.FailureReport;
import dev.tend.protocol.LogFiles;
import dev.tend.text.Human;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
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
    private static final byte[] NO_BYTES = new byte[0];

    private final Supervisor supervisor;
    private final Reload reload;

    Operations(Supervisor supervisor) {
        this.supervisor = supervisor;
        this.reload = new Reload(supervisor, this);
    }

    /**
     * The outcome of an operation.
     *
     * @param code     tend's exit code for it: {@link ExitCode#OK} when it succeeded.
     * @param message  a one-line summary.
     * @param workers  the workers it acted on, as they are now.
     * @param failures reports on the workers that failed, if any.
     */
    public record Result(ExitCode code, String message, List<WorkerStatus> workers,
                         List<FailureReport> failures) {
        static Result ok(String message, List<WorkerStatus> workers) {
            return new Result(ExitCode.OK, message, workers, List.of());
        }

        static Result fail(ExitCode code, String message) {
            return new Result(code, message, List.of(), List.of());
        }

        /** Whether it succeeded. */
        public boolean ok() {
            return code == ExitCode.OK;
        }
    }

    /** A request refused before anything was done: a target that names nothing, a request that cannot be served. */
    private static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final ExitCode code;

        Refused(ExitCode code, String message) {
            super(message);
            this.code = code;
        }

        Result result() {
            return Result.fail(code, getMessage());
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
            // A job is started by running it now; its schedule goes on (or on again, if it was stopped).
            Map<Worker, Integer> runs = new HashMap<>();
            started.stream().filter(w -> w.job != null).forEach(w -> {
                runs.put(w, w.attempts);
                w.job.requestRun();
            });
            ws.forEach(supervisor::startNow);
            String what = started.isEmpty() ? names(already) + " already running"
                    : "started " + names(started) + (already.isEmpty() ? "" : " (" + names(already) + " already running)");
            if (!wait || runs.isEmpty()) {
                finishStart(what, ws, wait, 0, done);
                return;
            }
            await(ws, Goal.runs(runs), 0, what + "; ready",
                    late -> "", done);
        });
    }

    /**
     * Stops the targets and holds them stopped; with {@code wait}, answers once they have ended. Targets that
     * running workers depend on are refused, unless {@code withDependents}: then those are stopped too, first.
     */
    public void stop(List<String> targets, boolean wait, boolean withDependents, Consumer<Result> done) {
        List<Worker> targeted = resolveOrFail(targets, done);
        if (targeted == null) {
            return;
        }
        List<Worker> dependents = supervisor.runningDependents(
                targeted.stream().map(w -> w.spec.pool()).collect(Collectors.toSet()));
        dependents.removeAll(targeted);
        if (!dependents.isEmpty() && !withDependents) {
            done.accept(Result.fail(ExitCode.FAILURE, "not stopped: " + names(dependents) + " depend"
                    + (dependents.size() == 1 ? "s" : "") + " on " + String.join(", ", targets)
                    + " and still run; stop them first, or use tend stop --with-dependents"));
            return;
        }
        List<Worker> ws = new ArrayList<>(dependents);
        ws.addAll(targeted);
        supervisor.stopAndHoldInOrder(ws);
        if (!wait) {
            done.accept(Result.ok("stopping " + names(ws), statuses(ws)));
            return;
        }
        supervisor.waiters().when(() -> allAtRest(ws), () -> done.accept(Result.ok("stopped " + names(ws), statuses(ws))));
    }

    /**
     * Stops then starts the targets: all at once, or with {@code rolling} one at a time, each ready before the
     * next is stopped (the roll stops at the first one not ready within {@link RollingRestart#READY_TIMEOUT}).
     * With {@code wait}, answers once they are ready again. A restart counts the targets' failures from zero.
     */
    public void restart(List<String> targets, boolean wait, boolean rolling, Consumer<Result> done) {
        List<Worker> ws = resolveOrFail(targets, done);
        if (ws == null) {
            return;
        }
        if (rolling) {
            restartRolling(ws, wait, done);
            return;
        }
        // A target that another restart starts again before this one sees it at rest has been restarted for
        // this one too: waiting for it to end once more would wait for nothing (or forever).
        Map<Worker, Integer> attempts = new HashMap<>();
        ws.forEach(w -> attempts.put(w, w.attempts));
        ws.forEach(supervisor::stopAndHold);
        if (!wait) {
            done.accept(Result.ok("restarting " + names(ws), statuses(ws)));
        }
        Predicate<Worker> startedElsewhere = w -> w.attempts != attempts.get(w);
        supervisor.waiters().when(() -> ws.stream().allMatch(w -> w.state().atRest() || startedElsewhere.test(w)), () -> {
            ws.stream().filter(startedElsewhere.negate()).forEach(supervisor::restartNow);
            if (wait) {
                finishStart("restarted " + names(ws), ws, true, 0, done);
            }
        });
    }

    private void restartRolling(List<Worker> ws, boolean wait, Consumer<Result> done) {
        if (!wait) {
            done.accept(Result.ok("restarting " + names(ws) + " one at a time", statuses(ws)));
        }
        RollingRestart.run(supervisor, this, ws, w -> w.spec, false, outcome -> {
            if (!wait) {
                return;
            }
            if (outcome.ok()) {
                done.accept(Result.ok("restarted " + names(ws) + " one at a time; ready", statuses(ws)));
                return;
            }
            Result why = outcome.why();
            String left = outcome.left().isEmpty() ? "" : "; not restarted: " + names(outcome.left());
            done.accept(new Result(why.code(), why.message() + left, statuses(ws), why.failures()));
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
     * What a wait for workers waits for, composed of the notions {@link WorkerState} and {@link Worker} define.
     *
     * @param reached    what every worker must reach for the wait to succeed.
     * @param missed     a worker that will not reach it by itself: the wait fails at once, with its report.
     * @param missedCode the exit code when one missed it.
     * @param missedWhy  the reason reported for a worker that missed it without being given up.
     */
    private record Goal(Predicate<Worker> reached, Predicate<Worker> missed, ExitCode missedCode,
                        Function<Worker, String> missedWhy) {
        /** Ready: what the requests that start workers wait for. Without a process, a worker missed it. */
        static final Goal READY = new Goal(Worker::ready, w -> w.state().failedBeforeReady(), ExitCode.FAILURE,
                w -> "ended before it was ready (now " + w.state().label() + ")");
        /** Ready or done with its job: what {@code tend run} waits for. A worker backing off may still get there. */
        static final Goal STARTUP = new Goal(Worker::readyOrFinished, Worker::leftUnfinished, ExitCode.TIMEOUT,
                w -> "ended before everything was ready");

        /**
         * The runs {@code tend start} began of jobs (each with its attempts before), the others ready: a run
         * reached it once it is ready (RUNNING) or ended with exit 0, and missed it if it ended otherwise.
         */
        static Goal runs(Map<Worker, Integer> attemptsBefore) {
            Predicate<Worker> began = w -> w.attempts > attemptsBefore.get(w);
            Predicate<Worker> ranWell = w -> began.test(w) && (w.state() == WorkerState.RUNNING
                    || w.state() == WorkerState.SCHEDULED && w.startError.isEmpty() && w.lastExit != null
                    && w.lastExit.success());
            Predicate<Worker> ranBadly = w -> began.test(w) && !ranWell.test(w)
                    && (!w.state().hasProcess() || w.state() == WorkerState.STOPPING);
            return new Goal(w -> attemptsBefore.containsKey(w) ? ranWell.test(w) : READY.reached().test(w),
                    w -> attemptsBefore.containsKey(w) ? ranBadly.test(w) : READY.missed().test(w), ExitCode.FAILURE,
                    w -> !attemptsBefore.containsKey(w) ? READY.missedWhy().apply(w) : w.startError.isEmpty()
                            ? "failed its run (" + w.lastExitText() + ")" : "could not start its run (" + w.startError + ")");
        }
    }

    /**
     * Answers once every worker is ready; fails fast, with each failed worker's report, as soon as one of
     * them ends or is given up before being ready; fails with exit code 4 after {@code timeoutNanos} (> 0).
     */
    void awaitReady(List<Worker> ws, long timeoutNanos, String what, Consumer<Result> done) {
        await(ws, Goal.READY, timeoutNanos, what + "; ready",
                late -> "timed out waiting for " + names(ws) + " to be ready", done);
    }

    /**
     * Waits until every worker is ready or has finished its job cleanly (what {@code tend run} waits for
     * before running its command). Fails at once, with reports, when a worker is given up, ends with a
     * failure that will not be retried, or is stopped; fails with exit code 4 after {@code timeout}.
     */
    public void awaitStartup(Duration timeout, Consumer<Result> done) {
        List<Worker> all = List.copyOf(supervisor.workers());
        await(all, Goal.STARTUP, timeout.toNanos(), "every worker is ready", late -> "timed out after "
                + Human.duration(timeout) + " waiting for " + names(late) + " to be ready", done);
    }

    /** {@code timedOut} words the failure from the workers that had not reached the goal in time. */
    private void await(List<Worker> ws, Goal goal, long timeoutNanos, String reachedMessage,
                       Function<List<Worker>, String> timedOut, Consumer<Result> done) {
        // A worker waiting for a dependency that was given up will not get there by itself either.
        Predicate<Worker> missed = goal.missed().or(w -> supervisor.waitsInVainFor(w).isPresent());
        supervisor.waiters().when(() -> ws.stream().allMatch(goal.reached()) || ws.stream().anyMatch(missed),
                () -> {
                    if (ws.stream().allMatch(goal.reached())) {
                        done.accept(Result.ok(reachedMessage, statuses(ws)));
                        return;
                    }
                    List<FailureReport> reports = new ArrayList<>();
                    for (Worker w : ws.stream().filter(missed).toList()) {
                        Optional<Worker> blocker = supervisor.waitsInVainFor(w);
                        if (blocker.isEmpty()) {
                            reports.add(supervisor.report(w, w.givenUpReason.isEmpty() ? goal.missedWhy().apply(w)
                                    : w.givenUpReason));
                            continue;
                        }
                        // What it waits for is the failure to look at: its report says why.
                        Worker b = blocker.get();
                        reports.add(supervisor.report(w, "still waiting " + w.statusText + ", but " + b.name()
                                + " is " + b.state().label() + "; it will not start unless " + b.spec.pool()
                                + " is started again"));
                        if (!ws.contains(b)) {
                            reports.add(supervisor.report(b, b.givenUpReason.isEmpty()
                                    ? b.state().label() + " (" + b.lastExitText() + ")" : b.givenUpReason));
                        }
                    }
                    done.accept(new Result(goal.missedCode(), reports.stream().map(FailureReport::headline)
                            .collect(Collectors.joining("; ")), statuses(ws), reports));
                }, timeoutNanos, () -> {
                    List<Worker> late = ws.stream().filter(goal.reached().negate()).collect(Collectors.toList());
                    List<FailureReport> reports = late.stream()
                            .map(w -> supervisor.report(w, "not ready after " + Human.duration(
                                    Duration.ofNanos(timeoutNanos)) + " (state " + w.state().label() + ")"))
                            .collect(Collectors.toList());
                    done.accept(new Result(ExitCode.TIMEOUT, timedOut.apply(late), statuses(ws), reports));
                });
    }

    private static boolean allAtRest(List<Worker> ws) {
        return ws.stream().allMatch(w -> w.state().atRest());
    }

    // ---- scale ----

    /**
     * {@code tend scale}: as {@link #scale(String, String, boolean, Consumer)}, but a named worker (a pool whose
     * {@code count} in the file is 1, running one worker) is scaled past one only with {@code force}: its
     * readers find it by the pool's name ({@code tend get POOL}, {@code tend require POOL}), which then names
     * several workers and is refused to them.
     */
    public void scale(String pool, String countText, boolean wait, boolean force, Consumer<Result> done) {
        PoolConfig config = supervisor.config().pools().get(pool);
        if (!force && config != null && config.count().equals(new Count.Fixed(1))
                && supervisor.poolWorkers(pool).stream().filter(w -> !w.retiring).count() == 1) {
            try {
                int target = Count.parse(countText, Count.FEWEST_SCALED).resolve(supervisor.settings().processors());
                if (target > 1) {
                    done.accept(Result.fail(ExitCode.USAGE, pool + " is a named worker (count = 1): its readers find it"
                            + " by the name " + pool + " (tend get " + pool + ", tend require " + pool + "), which would"
                            + " name " + target + " workers and stop working for them; scale it with --force if nothing"
                            + " reads it by that name, or make it a pool of several workers in the file"));
                    return;
                }
            } catch (Count.Invalid e) {
                // reported by the scale itself
            }
        }
        scale(pool, countText, wait, done);
    }

    /** Sets a pool's number of workers: adds instances, or gracefully removes the highest-numbered ones. */
    public void scale(String pool, String countText, boolean wait, Consumer<Result> done) {
        PoolConfig config = supervisor.config().pools().get(pool);
        if (config == null) {
            done.accept(Result.fail(ExitCode.NOT_FOUND, "no pool named " + pool + " (pools: " + poolNames() + ")"));
            return;
        }
        int target;
        try {
            target = Count.parse(countText, Count.FEWEST_SCALED).resolve(supervisor.settings().processors());
        } catch (Count.Invalid e) {
            done.accept(Result.fail(ExitCode.USAGE, "bad count \"" + countText + "\": " + e.getMessage()));
            return;
        }
        if (target > 1 && config.worker().job().isPresent()) {
            done.accept(Result.fail(ExitCode.USAGE, pool + " is a scheduled job: it runs one process per run, so its"
                    + " count stays 1 (tend start " + pool + " runs it now)"));
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
            } catch (Refused e) {
                done.accept(e.result());
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
            done.accept(new Result(ExitCode.FAILURE, reports.stream().map(FailureReport::headline)
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

    private Worker requirable(String name) throws Refused {
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
            throw new Refused(ExitCode.FAILURE, "pool " + name + " has " + members.size()
                    + " workers; require names one worker (" + names(members) + ") or a pool whose count is 1");
        }
        for (LazyConfig lazy : supervisor.config().lazy().values()) {
            if (lazy.matches(name)) {
                if (!Names.WORKER.isValid(name)) {
                    throw new Refused(ExitCode.FAILURE, Names.WORKER.invalid(name));
                }
                // Only workers that run or are about to (backing off) count: a stopped or given-up one does not.
                long running = supervisor.poolWorkers(lazy.name()).stream()
                        .filter(w -> !w.retiring && !w.state().atRest())
                        .count();
                if (running >= lazy.max()) {
                    throw new Refused(ExitCode.FAILURE, "cannot start " + name + ": lazy." + lazy.name()
                            + " already runs " + running + " workers, its max");
                }
                return supervisor.add(new WorkerSpec(name, lazy.name(), 1,
                        lazy.worker().withCommand(lazy.worker().command().withName(name))));
            }
        }
        throw new Refused(ExitCode.NOT_FOUND, "no worker, pool or [lazy] pattern matches \"" + name + "\" (pools: "
                + poolNames() + lazyPatterns() + ")");
    }

    // ---- reload ----

    /** Re-reads the configuration file and applies it. A file with errors is refused and nothing changes. */
    public void reloadFromDisk(Consumer<Result> done) {
        // Whatever the file says: reopening is how log files moved away by logrotate are recreated.
        supervisor.reopenOutput();
        Config next;
        try {
            next = new ConfigLoader(supervisor.settings().environment()).load(supervisor.config().file());
        } catch (ConfigException e) {
            // Observers waiting for a reload to end (systemd with Type=notify-reload) still hear that it did.
            supervisor.notifyListeners(SupervisorListener::reloading);
            supervisor.emitError("reload refused: the configuration has errors; nothing changed");
            e.errors().forEach(err -> supervisor.emitError("  " + err));
            supervisor.notifyListeners(SupervisorListener::reloaded);
            done.accept(Result.fail(ExitCode.USAGE, "reload refused, nothing changed:\n" + e.getMessage()));
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
        reload.apply(next, done);
    }

    // ---- down ----

    /** Stops everything and answers once every worker has ended, just before {@code tend up} exits. */
    public void down(Consumer<Result> done) {
        supervisor.shutdown("stop requested (tend down)", ExitCode.OK.code());
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

    /** The log files of the targets' current workers, per stream; streams printed on stdout are left out. */
    public List<LogFiles.Route> logFiles(List<String> targets) {
        Predicate<LogLine> filter = logFilter(targets);
        List<LogFiles.Route> routes = new ArrayList<>();
        for (Worker w : supervisor.workers()) {
            for (LogLine.Channel channel : List.of(LogLine.Channel.STDOUT, LogLine.Channel.STDERR)) {
                LogLine probe = new LogLine(0, 0, w.name(), channel, NO_BYTES);
                if (filter.test(probe)) {
                    supervisor.outputFile(w.name(), channel).ifPresent(path -> routes.add(
                            new LogFiles.Route(w.name(), channel.name().toLowerCase(Locale.ROOT), path.toString())));
                }
            }
        }
        return routes;
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
        } catch (Refused e) {
            done.accept(e.result());
            return null;
        }
    }

    private List<Worker> resolve(List<String> targets) throws Refused {
        if (targets.isEmpty()) {
            throw new Refused(ExitCode.USAGE, "name at least one worker, pool or all");
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
                throw new Refused(ExitCode.NOT_FOUND, "no worker or pool named " + t + " (pools: " + poolNames()
                        + lazyPatterns() + ")");
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
