package dev.tend.engine;

import dev.tend.config.Config;
import dev.tend.config.Dependency;
import dev.tend.config.HealthCheck;
import dev.tend.config.JobSettings;
import dev.tend.config.PoolConfig;
import dev.tend.config.ReadyMode;
import dev.tend.config.WorkerSettings;
import dev.tend.os.ChildProcess;
import dev.tend.os.CurrentProcess;
import dev.tend.os.Errno;
import dev.tend.os.Executables;
import dev.tend.os.ExitStatus;
import dev.tend.os.NativeException;
import dev.tend.os.Reactor;
import dev.tend.os.Signal;
import dev.tend.os.SpawnRequest;
import dev.tend.os.Spawner;
import dev.tend.protocol.ExitCode;
import dev.tend.protocol.FailureReport;
import dev.tend.text.Human;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The supervisor engine: starts the pools' workers, replaces the ones that fail, stops them, and decides
 * when {@code tend up} is over. Every method runs on the event loop's thread, which owns all worker state;
 * there is no locking and no thread per worker.
 *
 * <p>{@link #transition} is the one place a worker's state changes; the other methods react to events
 * (spawned, ready, exited, timer due, stop or start requested) and pick the transition. Requests from the
 * control plane go through {@link Operations}.
 *
 * <p>Nothing the engine calls out to can stop it from stopping: a listener or the output sink that throws is
 * reported and skipped (the engine's own bookkeeping is done either way), a worker whose output or exit cannot be
 * handled is killed and given up, and a second SIGTERM or SIGINT ends the loop within a second whatever state
 * the workers' bookkeeping is in.
 */
public final class Supervisor {
    /** Errors of posix_spawn that retrying cannot fix: the program itself cannot be run. */
    private static final Set<Integer> PERMANENT_SPAWN_ERRORS =
            Set.of(Errno.ENOENT, Errno.EACCES, Errno.ENOEXEC, Errno.ENOTDIR, Errno.EISDIR, Errno.EINVAL);
    /**
     * Errors of a spawn (its pipes, posix_spawn, the pidfd) that say tend or the machine is short of something,
     * not that the worker is broken: retried without counting as the worker's failures, and reported once per
     * pool, since every worker of the pool hits them alike.
     */
    private static final Set<Integer> SHORTAGE_SPAWN_ERRORS = Set.of(Errno.EMFILE, Errno.ENFILE, Errno.ENOMEM, Errno.EAGAIN);

    /**
     * After a second SIGTERM or SIGINT, how long the loop goes on collecting the killed workers' exits before it
     * ends anyway: SIGKILL takes effect at once, so only broken bookkeeping could make it wait longer.
     */
    private static final long FORCED_EXIT_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** A job's run this late is said: later than any drift between the clocks, so a clock change or a sleep. */
    private static final long LATE_RUN_MILLIS = 60_000;

    private Config config;
    private final SupervisorSettings settings;
    private final OutputSink sink;
    private final Reactor reactor;
    private final ReadBuffer buffer = new ReadBuffer();
    private final Map<String, Worker> workers = new LinkedHashMap<>();
    /** The pids of the workers' running processes: {@link #manages} is asked once per child on every SIGCHLD. */
    private final Set<Integer> workerPids = new HashSet<>();
    private final List<SupervisorListener> listeners = new ArrayList<>();
    private final Waiters waiters;
    private final LogBook logs = new LogBook();
    private final Operations operations;
    private final StartOrder order = new StartOrder(workers.values());
    /** Workers in WAITING, started once their depends_on holds. */
    private final Set<Worker> waiting = new LinkedHashSet<>();
    /** Workers to stop once no worker that depends on them has a process any more. */
    private final Set<Worker> stopsPending = new LinkedHashSet<>();
    private boolean ordering;
    private boolean orderAgain;
    private final Probes probes;
    private long lineSequence;
    private boolean outputPaused;
    /** Pools and lazy declarations whose spawn shortage (or E2BIG) was reported, until one of their workers starts. */
    private final Set<String> spawnTroubleReported = new HashSet<>();
    private boolean shuttingDown;
    private final List<BooleanSupplier> completionGates = new ArrayList<>();
    private boolean forced;
    private boolean finished;
    private int exitCode;
    // From the configuration tend started with: the state file's limit does not change on reload.
    private final int protocolLineLimit;
    private final UsageSampler usage;

    public Supervisor(Config config, SupervisorSettings settings, OutputSink sink, Reactor reactor) {
        this.config = config;
        this.protocolLineLimit = protocolLineLimit(config.maxSnapshotBytes());
        this.settings = settings;
        this.sink = sink;
        this.reactor = reactor;
        this.waiters = new Waiters(reactor);
        this.operations = new Operations(this);
        this.probes = new Probes(reactor, buffer, settings.childNofile());
        this.usage = new UsageSampler(reactor, workers.values(), this::restartOverLimit, this::warn);
        sink.configure(config);
    }

    /**
     * The longest line a worker may write on fd 3, in bytes: twice the snapshot limit, because a snapshot's
     * JSON text is longer than its encoding (base64 by a third, escapes more).
     */
    static int protocolLineLimit(long maxSnapshotBytes) {
        return (int) Math.min(Integer.MAX_VALUE - 8, 2 * maxSnapshotBytes);
    }

    /** Adds an observer; call before {@link #start()}. */
    public void addListener(SupervisorListener listener) {
        listeners.add(listener);
    }

    /**
     * Something besides the workers that must be over before {@code tend up} may end (the command of
     * {@code tend run}, descendants that left their worker's group). Gates are consulted only once every
     * worker has ended, in the order added; call {@link #recheckCompletion()} when one changes.
     */
    public void addCompletionGate(BooleanSupplier gate) {
        completionGates.add(gate);
    }

    /** Whether {@code pid} is the main process of one of the workers. */
    public boolean manages(int pid) {
        return workerPids.contains(pid) || probes.manages(pid);
    }

    /** A worker met its ready mode outside the engine (a notify socket): it becomes RUNNING. */
    public void workerReady(String name) {
        Worker w = workers.get(name);
        if (w != null) {
            markReady(w);
        }
    }

    /**
     * A worker published a snapshot of state: the first publish of a {@code ready = "publish"} worker makes it
     * ready.
     */
    public void published(String name) {
        Worker w = workers.get(name);
        if (w != null && w.spec.settings().ready() == ReadyMode.PUBLISH) {
            markReady(w);
        }
    }

    /** A worker's {@code STATUS=} text, shown by {@code tend ps}. */
    public void workerStatusText(String name, String text) {
        Worker w = workers.get(name);
        if (w != null) {
            setStatusText(w, text);
        }
    }

    /** Prints one of tend's own messages (for companions such as {@code tend run}). */
    public void announce(LogLine.Channel level, String text) {
        if (!level.fromTend()) {
            throw new IllegalArgumentException("tend's messages are notices, warnings or errors");
        }
        emit(newLine("tend", level, text));
    }

    /** Checks again whether everything is over. */
    public void recheckCompletion() {
        checkCompletion();
    }

    /** The requests of the control plane. */
    public Operations operations() {
        return operations;
    }

    /** What the workers and tend use (CPU, memory), sampled on the loop. */
    public UsageSampler usage() {
        return usage;
    }

    /** Creates every pool's workers and starts them. */
    public void start() {
        for (PoolConfig pool : config.pools().values()) {
            addPoolWorkers(pool, pool.count().resolve(settings.processors()));
        }
        notice("starting " + workers.size() + " worker" + (workers.size() == 1 ? "" : "s") + " in "
                + config.pools().size() + " pool" + (config.pools().size() == 1 ? "" : "s"));
        for (Worker worker : new ArrayList<>(workers.values())) {
            // One started already as what another needs keeps its first attempt, whatever became of it.
            if (worker.state() == WorkerState.CREATED) {
                startNow(worker);
            }
        }
        checkCompletion();
    }

    /**
     * Reacts to a signal sent to tend: TERM and INT stop everything gracefully; a second TERM or INT while
     * stopping kills every remaining process group at once. HUP reloads the configuration.
     */
    public void onSignal(Signal signal) {
        if (signal == Signal.TERM || signal == Signal.INT) {
            if (shuttingDown) {
                killRemaining("SIG" + signal + " again");
            } else {
                shutdownOnSignal(signal, ExitCode.OK.code());
            }
        } else if (signal == Signal.HUP && !shuttingDown) {
            operations.reloadFromDisk(result -> { });
        }
    }

    /**
     * Stops everything because tend got SIGTERM or SIGINT; the same signal again kills what is left at once,
     * which the message says.
     */
    public void shutdownOnSignal(Signal signal, int code) {
        stopAll("SIG" + signal + " received", code, true);
    }

    /** Stops every worker gracefully and ends when all have ended; {@code code} becomes the exit code. */
    public void shutdown(String why, int code) {
        stopAll(why, code, false);
    }

    private void stopAll(String why, int code, boolean bySignal) {
        if (shuttingDown) {
            return;
        }
        shuttingDown = true;
        exitCode = code;
        long stopping = workers.values().stream().filter(w -> w.state().hasProcess()).count();
        notice(why + "; stopping " + stopping + " worker" + (stopping == 1 ? "" : "s")
                + (stopping == 0 || !bySignal ? "" : " (send it again to kill them at once)"));
        tell(SupervisorListener::stopping);
        stopInOrder(workers.values());
        checkCompletion();
    }

    /** Whether tend is stopping everything. */
    public boolean stopping() {
        return shuttingDown;
    }

    /** The exit code of {@code tend up}, final once the reactor stopped. */
    public int exitCode() {
        return exitCode;
    }

    /** A snapshot of every worker, in pool order. */
    public List<WorkerStatus> status() {
        List<WorkerStatus> out = new ArrayList<>(workers.size());
        for (Worker w : workers.values()) {
            out.add(w.status());
        }
        return out;
    }

    /** The configuration in force (it changes on reload). */
    public Config config() {
        return config;
    }

    // ---- package-private core used by Operations ----

    Reactor reactor() {
        return reactor;
    }

    /** What the engine was given from its surroundings. */
    public SupervisorSettings settings() {
        return settings;
    }

    Waiters waiters() {
        return waiters;
    }

    LogBook logs() {
        return logs;
    }

    void replaceConfig(Config next) {
        config = next;
        sink.configure(next);
    }

    /** Where the output sink writes a worker's stream, when it has a log file. */
    Optional<Path> outputFile(String source, LogLine.Channel channel) {
        return sink.file(source, channel);
    }

    void reopenOutput() {
        sink.reopen();
    }

    /** Whether the output sink can pass bytes through ({@link OutputSink#passThrough}), for {@code tend run}. */
    public boolean passesOutputThrough() {
        return sink.passesThrough();
    }

    /**
     * Writes bytes that are not a worker's lines (what {@code tend run}'s command prints) through the output
     * sink, in order with the lines around them.
     *
     * @return whether the sink is now congested: the caller should stop reading until {@link #whenOutputDrained}.
     */
    public boolean passOutputThrough(byte[] bytes) {
        sink.passThrough(bytes);
        return sink.congested();
    }

    /** Runs {@code resume} on the loop once the output sink has room again. */
    public void whenOutputDrained(Runnable resume) {
        sink.whenDrained(() -> reactor.execute(resume));
    }

    Collection<Worker> workers() {
        return workers.values();
    }

    Worker worker(String name) {
        return workers.get(name);
    }

    List<Worker> poolWorkers(String pool) {
        List<Worker> out = new ArrayList<>();
        for (Worker w : workers.values()) {
            if (w.spec.pool().equals(pool)) {
                out.add(w);
            }
        }
        return out;
    }

    void addPoolWorkers(PoolConfig pool, int count) {
        for (int i = 1; i <= count; i++) {
            add(new WorkerSpec(pool.name() + "." + i, pool.name(), i, pool.worker()));
        }
    }

    Worker add(WorkerSpec spec) {
        Worker worker = new Worker(spec);
        worker.job = jobTimer(worker, spec);
        worker.stateSinceEpochMillis = settings.epochMillis().getAsLong();
        workers.put(spec.name(), worker);
        WorkerStatus status = worker.status();
        tell(l -> l.workerChanged(status));
        return worker;
    }

    /**
     * Starts a worker at rest, or one waiting out its backoff, at once. A worker that was given up starts
     * with a clean failure count. No effect on a worker that has a process or is being removed.
     */
    void startNow(Worker worker) {
        if (shuttingDown || worker.retiring || worker.state().hasProcess()) {
            return;
        }
        worker.held = false;
        stopsPending.remove(worker);
        // A worker backing off (or a job between runs) was started before: it does not wait again.
        List<Dependency> unmet = worker.state() == WorkerState.BACKOFF || worker.state() == WorkerState.SCHEDULED
                ? List.of() : order.unmet(worker);
        worker.cancelTimer();
        if (worker.state().endedForGood()) {
            worker.failures = 0;
            worker.givenUpReason = "";
        }
        if (unmet.isEmpty()) {
            if (waiting.remove(worker)) {
                worker.statusText = "";
            }
            launch(worker);
            return;
        }
        if (worker.state() != WorkerState.WAITING) {
            waiting.add(worker);
            worker.statusText = StartOrder.describe(unmet);
            transition(worker, WorkerState.WAITING, "waiting " + worker.statusText);
        }
        // What it needs is started too (again, if it was stopped or given up).
        for (Dependency d : unmet) {
            for (Worker needed : poolWorkers(d.pool())) {
                if (needed.state().atRest() && !needed.readyOrFinished()) {
                    startNow(needed);
                }
            }
        }
    }

    /**
     * Stops workers once nothing that depends on them runs: dependents get EOF first, and their dependencies
     * only once they are gone. A worker without running dependents is stopped at once.
     */
    void stopInOrder(Collection<Worker> ws) {
        stopsPending.addAll(ws);
        advanceOrder();
    }

    /** Starts the waiting workers whose dependencies now hold, and stops those no dependent holds up any more. */
    private void advanceOrder() {
        if (ordering) {
            orderAgain = true;
            return;
        }
        ordering = true;
        try {
            do {
                orderAgain = false;
                if (!stopsPending.isEmpty()) {
                    Set<String> heldUp = order.heldUp();
                    for (Worker w : new ArrayList<>(stopsPending)) {
                        if (!heldUp.contains(w.spec.pool())) {
                            stopsPending.remove(w);
                            stop(w);
                        }
                    }
                }
                if (!waiting.isEmpty() && !shuttingDown) {
                    Map<Dependency, Boolean> known = new HashMap<>();
                    for (Worker w : new ArrayList<>(waiting)) {
                        if (w.state() != WorkerState.WAITING) {
                            waiting.remove(w);
                        } else if (order.unmet(w, known).isEmpty()) {
                            waiting.remove(w);
                            w.statusText = "";
                            launch(w);
                            if (order.dependedOn(config, w.spec.pool())) {
                                // Its start may be what another waits for ("started").
                                known.clear();
                            }
                        }
                    }
                }
            } while (orderAgain);
        } finally {
            ordering = false;
        }
    }

    /**
     * Starts a worker again because someone asked for a restart: its consecutive failures count from zero,
     * since the failures before were not of the process the restart gives it.
     */
    void restartNow(Worker worker) {
        if (shuttingDown || worker.retiring || worker.state().hasProcess()) {
            return;
        }
        worker.failures = 0;
        worker.givenUpReason = "";
        startNow(worker);
    }

    /** Stops a worker and holds it stopped until started again. */
    void stopAndHold(Worker worker) {
        worker.held = true;
        stopsPending.remove(worker);
        stop(worker);
        checkCompletion();
    }

    /** Stops workers in the order of their dependencies ({@link #stopInOrder}) and holds them stopped. */
    void stopAndHoldInOrder(List<Worker> ws) {
        ws.forEach(w -> w.held = true);
        stopInOrder(ws);
        checkCompletion();
    }

    /**
     * For a worker waiting for its dependencies, a worker it waits for that will not get there by itself: given
     * up, failed for good or held stopped. Empty when there is none, or the worker does not wait.
     */
    Optional<Worker> waitsInVainFor(Worker worker) {
        if (worker.state() != WorkerState.WAITING) {
            return Optional.empty();
        }
        for (Dependency d : order.unmet(worker)) {
            Optional<Worker> stuck = poolWorkers(d.pool()).stream().filter(Worker::leftUnfinished).findFirst();
            if (stuck.isPresent()) {
                return stuck;
            }
        }
        return Optional.empty();
    }

    /** The workers that depend on one of {@code pools}, directly or not, and are not at rest. */
    List<Worker> runningDependents(Set<String> pools) {
        return order.runningDependents(pools);
    }

    /** Stops a worker and removes it once it has ended. */
    void retire(Worker worker) {
        worker.retiring = true;
        worker.held = true;
        stop(worker);
        removeIfRetired(worker);
    }

    /** Gives a worker new settings, taking effect at its next start. */
    void respec(Worker worker, WorkerSpec spec) {
        if (!spec.settings().job().equals(worker.spec.settings().job())) {
            if (worker.job != null) {
                worker.job.cancel();
            }
            worker.job = jobTimer(worker, spec);
        }
        worker.spec = spec;
    }

    void emitNotice(String text) {
        notice(text);
    }

    void emitWarning(String text) {
        warn(text);
    }

    void emitError(String text) {
        emit(newLine("tend", LogLine.Channel.ERROR, text));
    }

    void notifyListeners(Consumer<SupervisorListener> call) {
        tell(call);
    }

    /**
     * Calls every listener; one that throws is reported and the others are still called, so that what the
     * engine does next never depends on a listener (the state board writes into a file any worker can write).
     */
    private void tell(Consumer<SupervisorListener> call) {
        for (SupervisorListener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException | Error e) {
                listenerFailed(l, e);
            }
        }
    }

    private void listenerFailed(SupervisorListener listener, Throwable e) {
        emitError("internal error in " + listener.getClass().getSimpleName() + " (" + e + "); tend goes on");
    }

    /** The report for a worker that could not be kept running or did not become ready. */
    FailureReport report(Worker worker, String reason) {
        Duration ranFor = worker.lastRunNanos > 0 && worker.process == null ? Duration.ofNanos(worker.lastRunNanos)
                : Duration.ZERO;
        String lastExit;
        if (worker.process != null) {
            lastExit = "(still running" + (worker.lastExit == null ? ")" : "; the attempt before ended with "
                    + worker.lastExit.describe() + ")");
        } else {
            lastExit = worker.lastExitText().isEmpty() ? "(never started)" : worker.lastExitText();
        }
        return new FailureReport(worker.name(), worker.spec.pool(), worker.spec.settings().command().display(),
                reason, lastExit, worker.attempts, ranFor,
                logs.tail(worker.name()).last(LogLine.Channel.STDERR, FailureReport.STDERR_LINES,
                        worker.attemptStartSequence));
    }

    // ---- the lifecycle ----

    private void killRemaining(String why) {
        if (forced) {
            return;
        }
        forced = true;
        notice(why + ": killing the remaining workers");
        for (Worker worker : new ArrayList<>(stopsPending)) {
            stopsPending.remove(worker);
            stop(worker);
        }
        for (Worker worker : workers.values()) {
            if (worker.process != null) {
                worker.killedBy = "killed at once (" + why + ")";
                worker.process.signalGroup(Signal.KILL);
            }
        }
        tell(SupervisorListener::killing);
        reactor.schedule(FORCED_EXIT_NANOS, TimeUnit.NANOSECONDS, () -> {
            if (!finished) {
                emitError("still not done " + Human.duration(Duration.ofNanos(FORCED_EXIT_NANOS))
                        + " after SIGKILL; exiting anyway");
                finish();
            }
        });
    }

    private void spawn(Worker worker) {
        WorkerSpec spec = worker.spec;
        WorkerSettings ws = spec.settings();
        Map<String, String> tend = tendVariables(worker);
        for (SupervisorListener l : listeners) {
            try {
                tend.putAll(l.spawning(spec));
            } catch (RuntimeException | Error e) {
                // The worker starts without that listener's variables (it may, for example, not publish with
                // tend set), which is better than not starting, or never leaving this state.
                listenerFailed(l, e);
            }
        }
        Map<String, String> env = WorkerEnvironment.build(settings.environment(), ws.env(), tend);
        List<String> argv = ws.command().argv();
        worker.attempts++;
        worker.startError = "";
        worker.attemptStartSequence = lineSequence + 1;
        Path executable;
        try {
            executable = Executables.resolve(argv.get(0), env.get("PATH"), ws.cwd());
        } catch (Executables.NotExecutableException e) {
            worker.startError = "not started: " + e.getMessage();
            if (worker.job != null) {
                runNotStarted(worker, e.getMessage());
                return;
            }
            giveUp(worker, "gave up: cannot start: " + e.getMessage());
            return;
        }
        ChildProcess child;
        try {
            child = Spawner.spawn(new SpawnRequest(executable, argv, ws.cwd(), env, 1, settings.childNofile()));
        } catch (NativeException e) {
            worker.startError = "not started: " + e.getMessage();
            if (worker.job != null) {
                runNotStarted(worker, e.getMessage());
                return;
            }
            if (e.errno() == Errno.E2BIG) {
                argumentsTooLong(worker, e);
            } else if (SHORTAGE_SPAWN_ERRORS.contains(e.errno())) {
                waitForResources(worker, e);
            } else if (PERMANENT_SPAWN_ERRORS.contains(e.errno())) {
                giveUp(worker, "gave up: cannot start: " + e.getMessage());
            } else {
                retryLater(worker, "could not start: " + e.getMessage());
            }
            return;
        }
        spawnTroubleReported.remove(spec.pool());
        worker.killedBy = "";
        worker.handlingFailure = "";
        worker.process = new WorkerProcess(child, reactor, buffer, protocolLineLimit, listenerFor(worker));
        workerPids.add(worker.process.pid());
        if (outputPaused) {
            worker.process.pauseOutput();
        }
        worker.startedNanos = reactor.nanoTime();
        worker.startedEpochMillis = settings.epochMillis().getAsLong();
        worker.health = null;
        usage.spawned(worker);
        ws.health().ifPresent(check -> watchHealth(worker, check, env));
        transition(worker, WorkerState.STARTING, "started (pid " + child.pid() + ")");
        if (ws.ready() == ReadyMode.SPAWNED) {
            armStartWindow(worker, ws.start().window());
        }
    }

    /**
     * {@code ready = "spawned"}: the worker counts as ready once it has stayed up for its start window, so that
     * one that dies at once (a command not found, a bad argument) is a failed start, never "ready".
     */
    private void armStartWindow(Worker worker, Duration window) {
        if (window.isZero()) {
            becomeReady(worker, null);
            return;
        }
        worker.timer = reactor.schedule(window.toNanos(), TimeUnit.NANOSECONDS, () -> {
            worker.timer = null;
            becomeReady(worker, null);
        });
    }

    private void watchHealth(Worker worker, HealthCheck check, Map<String, String> env) {
        WorkerProcess process = worker.process;
        worker.health = new HealthMonitor(check, probes.launcher(worker.spec.settings().cwd(), env), reactor,
                settings.epochMillis(), new HealthMonitor.Listener() {
                    @Override
                    public void passed() {
                        if (worker.spec.settings().ready() == ReadyMode.HEALTHY) {
                            markReady(worker);
                        }
                    }

                    @Override
                    public void unhealthy(String why, List<String> report) {
                        if (worker.process == process) {
                            restartUnhealthy(worker, why, report);
                        }
                    }

                    @Override
                    public void changed() {
                        WorkerStatus status = worker.status();
                        tell(l -> l.workerChanged(status));
                    }
                });
        worker.health.start();
    }

    /**
     * The worker failed its health probe too often: it is stopped the graceful way and, once it has ended,
     * started again ({@link #onExit}).
     */
    private void restartUnhealthy(Worker worker, String why, List<String> report) {
        if (shuttingDown || !worker.state().hasProcess() || worker.state() == WorkerState.STOPPING) {
            return;
        }
        emitError(worker.name() + " is unhealthy: " + why + "; restarting it");
        report.forEach(this::emitError);
        worker.unhealthy = "unhealthy: " + why;
        stop(worker);
    }

    /**
     * The worker uses more than its pool allows ({@code max_memory}): said once, then it is stopped the graceful way
     * and started again once it has ended, as an unhealthy one is; a restart, not a failure.
     */
    private void restartOverLimit(Worker worker, String why) {
        if (shuttingDown || !worker.state().hasProcess() || worker.state() == WorkerState.STOPPING) {
            return;
        }
        warn(worker.name() + " " + why + "; restarting");
        worker.unhealthy = why;
        stop(worker);
    }

    /** The worker met its ready mode (first publish, READY=1, first passing probe). */
    void markReady(Worker worker) {
        becomeReady(worker, "is ready");
    }

    /**
     * The one way a starting worker becomes ready, whatever said so (its start window, a publish, READY=1);
     * {@code message} is logged, if any.
     */
    private void becomeReady(Worker worker, String message) {
        if (worker.state() == WorkerState.STARTING) {
            transition(worker, WorkerState.RUNNING, message);
        }
    }

    /** A {@code STATUS=} text from the worker (notify protocol). */
    void setStatusText(Worker worker, String text) {
        worker.statusText = text;
        WorkerStatus status = worker.status();
        tell(l -> l.workerChanged(status));
    }

    private Map<String, String> tendVariables(Worker worker) {
        Map<String, String> vars = new HashMap<>();
        vars.put("TEND_POOL", worker.spec.pool());
        vars.put("TEND_WORKER", worker.name());
        vars.put("TEND_INSTANCE", Integer.toString(worker.spec.instance()));
        vars.put("TEND_NAME", config.instanceName());
        vars.put("TEND_STATE_FD", "3");
        return vars;
    }

    private WorkerProcess.Listener listenerFor(Worker worker) {
        return new WorkerProcess.Listener() {
            @Override
            public void line(LogLine.Channel channel, byte[] bytes) {
                emit(new LogLine(++lineSequence, settings.epochMillis().getAsLong(), worker.name(), channel, bytes));
            }

            @Override
            public void protocolLine(byte[] bytes) {
                String name = worker.name();
                tell(l -> l.protocolLine(name, bytes));
            }

            @Override
            public void protocolLineRefused(long length) {
                warn(worker.name() + " wrote a line of " + Human.bytes(length) + " on fd 3, over the limit of "
                        + Human.bytes(protocolLineLimit) + " (twice [state] max_snapshot): nothing was published;"
                        + " write a smaller snapshot, or raise max_snapshot in the [state] table");
            }

            @Override
            public void exited() {
                onExit(worker);
            }

            @Override
            public void failed(Throwable failure) {
                handlingFailed(worker, failure);
            }
        };
    }

    /**
     * Handling a worker's output or exit threw: the worker can no longer be looked after, so it is killed (its
     * exit is still collected, and it is given up rather than restarted), and the rest of tend goes on.
     */
    private void handlingFailed(Worker worker, Throwable failure) {
        emitError("internal error while handling " + worker.name() + " (" + failure + ")"
                + (worker.process == null ? "" : "; killing its process group"));
        if (worker.process != null && worker.handlingFailure.isEmpty()) {
            worker.handlingFailure = failure.toString();
            worker.process.signalGroup(Signal.KILL);
        }
    }

    private void onExit(Worker worker) {
        WorkerProcess process = worker.process;
        // The process is gone from the books first: whatever fails below, it is never waited for again.
        workerPids.remove(process.pid());
        worker.process = null;
        ExitStatus status;
        try {
            status = process.collect();
        } catch (RuntimeException e) {
            emitError("internal error while collecting the exit of " + worker.name() + " (" + e + ")");
            status = new ExitStatus.Killed(Signal.KILL.number(), false);
        }
        worker.lastExit = status;
        worker.exitNote = worker.unhealthy;
        worker.unhealthy = "";
        worker.stopHealth();
        worker.cancelTimer();
        Duration ranFor = Duration.ofNanos(reactor.nanoTime() - worker.startedNanos);
        worker.lastRunNanos = ranFor.toNanos();
        if (worker.state() == WorkerState.STOPPING) {
            if (worker.job != null && !worker.held && !worker.retiring && !shuttingDown) {
                // Stopped for the next run (overlap = "replace"), or as unhealthy: the schedule goes on.
                String how = !worker.killedBy.isEmpty() ? worker.killedBy : "stopped (" + status.describe() + ")";
                transition(worker, WorkerState.SCHEDULED, how + " after running " + Human.duration(ranFor));
                runIfPending(worker);
                checkCompletion();
                return;
            }
            if (status.success()) {
                // It finished cleanly when asked to: whatever failed before is over.
                worker.failures = 0;
            }
            String how = !worker.killedBy.isEmpty() ? worker.killedBy : "stopped (" + status.describe() + ")";
            transition(worker, WorkerState.STOPPED, how + " after running " + Human.duration(ranFor));
            removeIfRetired(worker);
            if (!worker.exitNote.isEmpty() && !worker.held && !worker.retiring && !shuttingDown) {
                worker.restarts++;
                notice(worker.name() + " restarting (" + worker.exitNote + ")");
                spawn(worker);
            }
            checkCompletion();
            return;
        }
        if (!worker.handlingFailure.isEmpty()) {
            giveUp(worker, "gave up: tend could not handle its output (" + worker.handlingFailure + ")");
            checkCompletion();
            return;
        }
        if (worker.job != null) {
            runEnded(worker, status, ranFor);
            checkCompletion();
            return;
        }
        RestartPlanner.Decision decision =
                RestartPlanner.afterExit(status, ranFor, worker.failures, worker.spec.settings());
        worker.failures = decision.failures();
        switch (decision.next()) {
            case EXITED -> transition(worker, WorkerState.EXITED, "exited (" + status.describe() + ")"
                    + (status.success() ? ", its job is done" : ", not replaced (restart = \"never\")"));
            case BACKOFF -> {
                String why = status.success() ? "exited (" + status.describe() + ")"
                        : "failed (" + status.describe() + ", failure " + decision.failures() + " of "
                        + worker.spec.settings().maxFailures() + ")";
                worker.restarts++;
                scheduleRestart(worker, decision.delay(), why);
            }
            case FAILED -> giveUp(worker, decision.reason());
            default -> throw new IllegalStateException("restart planner chose " + decision.next());
        }
        checkCompletion();
    }

    private void retryLater(Worker worker, String why) {
        worker.failures++;
        if (worker.failures >= worker.spec.settings().maxFailures()) {
            giveUp(worker, "gave up after " + worker.failures + " consecutive failures to start");
            return;
        }
        scheduleRestart(worker, RestartPlanner.backoff(worker.failures, worker.spec.settings()), why);
    }

    /**
     * A spawn that failed for want of descriptors, memory or processes: the worker waits its pool's
     * {@code backoff_max} and tries again, as often as needed, without a failure counted against it; the
     * first such worker of a pool says why and how to fix it, the others wait in silence.
     */
    private void waitForResources(Worker worker, NativeException e) {
        Duration delay = worker.spec.settings().backoffMax();
        if (spawnTroubleReported.add(worker.spec.pool())) {
            warn(worker.name() + " could not start: " + e.getMessage() + ": " + shortageFix(e.errno())
                    + "; the workers of " + worker.spec.pool() + " that cannot start are tried again every "
                    + Human.duration(delay) + ", not counted as failures (said once per pool)");
        }
        transition(worker, WorkerState.BACKOFF, null);
        armRestart(worker, delay);
    }

    private static String shortageFix(int errno) {
        if (errno == Errno.EMFILE) {
            long limit = CurrentProcess.openFileLimit();
            return "tend's limit of open files (" + limit + ") is reached: it holds about "
                    + FdBudget.workersWithin(limit) + " workers at " + FdBudget.PER_WORKER + " files each; raise it"
                    + " (ulimit -n, or LimitNOFILE= in a systemd unit) or lower count";
        }
        if (errno == Errno.ENFILE) {
            return "the system's table of open files is full; raise it (sysctl fs.file-max) or close files elsewhere";
        }
        return "the system is short of memory or of processes; free some, raise the process limit (ulimit -u, or"
                + " TasksMax= in a systemd unit) or lower count";
    }

    /** E2BIG: the command and environment are too large for the kernel, at every try; said once per pool. */
    private void argumentsTooLong(Worker worker, NativeException e) {
        String reason = "gave up: cannot start: " + e.getMessage() + ": the command's arguments and environment"
                + " together are larger than the kernel accepts; shorten them (retrying cannot help)";
        if (spawnTroubleReported.add(worker.spec.pool())) {
            giveUp(worker, reason);
        } else {
            worker.givenUpReason = reason;
            transition(worker, WorkerState.FAILED, null);
        }
    }

    private void scheduleRestart(Worker worker, Duration delay, String why) {
        transition(worker, WorkerState.BACKOFF, why + (delay.isZero() ? "; restarting now"
                : "; restarting in " + Human.duration(delay)));
        armRestart(worker, delay);
    }

    /**
     * Starts a worker in BACKOFF again once {@code delay} has passed. A zero delay starts it in this turn of the
     * loop, ahead of the bookkeeping its exit queued (the worker record, the sweep for orphans).
     */
    private void armRestart(Worker worker, Duration delay) {
        if (delay.isZero()) {
            startAfterBackoff(worker);
            return;
        }
        worker.timer = reactor.schedule(delay.toNanos(), TimeUnit.NANOSECONDS, () -> {
            worker.timer = null;
            startAfterBackoff(worker);
        });
    }

    private void startAfterBackoff(Worker worker) {
        if (worker.state() == WorkerState.BACKOFF && !shuttingDown && !worker.held) {
            spawn(worker);
        }
    }

    private void giveUp(Worker worker, String reason) {
        worker.givenUpReason = reason;
        transition(worker, WorkerState.FAILED, null);
        for (String line : report(worker, reason).lines()) {
            emitError(line);
        }
        if (config.failFast() && !shuttingDown) {
            shutdown(worker.name() + " was given up and fail_fast is set", ExitCode.FAILURE.code());
        }
    }

    /** Stop by EOF: close stdin, then the stop signal and the kill at the end of the grace ({@link StopSequence}). */
    private void stop(Worker worker) {
        if (worker.job != null && (worker.held || shuttingDown)) {
            worker.job.cancel();
        }
        switch (worker.state()) {
            case STARTING, RUNNING -> {
                // A start window is over: the worker is stopping, not becoming ready.
                worker.cancelTimer();
                worker.stopHealth();
                worker.process.closeStdin();
                transition(worker, WorkerState.STOPPING, null);
                StopSequence.begin(worker, reactor, this::warn);
            }
            case BACKOFF -> {
                worker.cancelTimer();
                transition(worker, WorkerState.STOPPED, null);
            }
            case SCHEDULED -> {
                if (worker.job != null) {
                    worker.job.cancel();
                }
                transition(worker, WorkerState.STOPPED, null);
            }
            case WAITING -> {
                waiting.remove(worker);
                worker.statusText = "";
                transition(worker, WorkerState.STOPPED, null);
            }
            default -> {
                // Nothing runs: nothing to stop.
            }
        }
    }

    // ---- scheduled jobs ----

    private JobTimer jobTimer(Worker worker, WorkerSpec spec) {
        return spec.settings().job().map(j -> new JobTimer(j, reactor, settings.epochMillis(),
                late -> jobDue(worker, late))).orElse(null);
    }

    /**
     * Starts a worker whose dependencies hold: spawns it; a job is SCHEDULED instead, its next run planned, and
     * runs now only if that was asked ({@link JobTimer#requestRun}).
     */
    private void launch(Worker worker) {
        if (worker.job == null) {
            spawn(worker);
            return;
        }
        if (worker.state() != WorkerState.SCHEDULED) {
            worker.job.start();
            transition(worker, WorkerState.SCHEDULED, "scheduled (" + describeNextRun(worker) + ")");
        }
        runIfPending(worker);
    }

    private void runIfPending(Worker worker) {
        if (worker.state() == WorkerState.SCHEDULED && worker.job.takeRunPending()) {
            spawn(worker);
        }
    }

    private String describeNextRun(Worker worker) {
        JobSettings job = worker.spec.settings().job().orElseThrow();
        String when = job.when() instanceof JobSettings.Every every ? "every " + Human.duration(every.interval())
                : "schedule \"" + ((JobSettings.Cron) job.when()).schedule() + "\" in " + ((JobSettings.Cron) job.when()).zone();
        long next = worker.job.nextEpochMillis();
        return when + (next == 0 ? "; no run within years" : "; next run in " + Human.elapsed(
                Duration.ofMillis(Math.max(0, next - settings.epochMillis().getAsLong()))));
    }

    /** A job's timer fired: the run due now starts, unless one still runs (then its overlap rule decides). */
    private void jobDue(Worker worker, long lateMillis) {
        if (shuttingDown || worker.held || worker.retiring || worker.job == null) {
            return;
        }
        if (lateMillis >= LATE_RUN_MILLIS) {
            notice(worker.name() + "'s run is " + Human.duration(Duration.ofMillis(lateMillis)) + " late (the machine"
                    + " slept, or the clock was set forward): it runs once now; missed runs are not made up");
        }
        JobSettings.Overlap overlap = worker.job.settings().overlap();
        switch (worker.state()) {
            case SCHEDULED -> spawn(worker);
            case STARTING, RUNNING -> {
                if (overlap == JobSettings.Overlap.SKIP) {
                    warn(worker.name() + " still runs, so the run due now is skipped (overlap = \"skip\"; "
                            + describeNextRun(worker) + ")");
                } else if (overlap == JobSettings.Overlap.QUEUE) {
                    worker.job.requestRun();
                    notice(worker.name() + " still runs: the run due now starts when it ends (overlap = \"queue\")");
                } else {
                    worker.job.requestRun();
                    notice(worker.name() + " still runs: stopping it for the run due now (overlap = \"replace\")");
                    stop(worker);
                }
            }
            case STOPPING -> {
                // Already stopping for a run that is pending: the one due now is that run.
                if (overlap == JobSettings.Overlap.SKIP) {
                    warn(worker.name() + " is still stopping, so the run due now is skipped (overlap = \"skip\")");
                }
            }
            default -> {
                // Waiting for its dependencies: its schedule starts once they hold.
            }
        }
    }

    /**
     * A job's run ended by itself: back to SCHEDULED, never backing off or given up; a failed run is reported as a
     * failure is, and the next run is at its time.
     */
    private void runEnded(Worker worker, ExitStatus status, Duration ranFor) {
        if (status.success()) {
            transition(worker, WorkerState.SCHEDULED, "ran (" + status.describe() + ") in " + Human.duration(ranFor)
                    + "; " + describeNextRun(worker));
        } else {
            transition(worker, WorkerState.SCHEDULED, null);
            String reason = "failed its run (" + status.describe() + ") after " + Human.duration(ranFor)
                    + "; not retried: " + describeNextRun(worker);
            for (String line : report(worker, reason).lines()) {
                emitError(line);
            }
        }
        runIfPending(worker);
    }

    /** A job's run could not be started: reported, and the next run is at its time. */
    private void runNotStarted(Worker worker, String why) {
        WorkerStatus status = worker.status();
        tell(l -> l.workerChanged(status));
        for (String line : report(worker, "could not start its run: " + why + "; " + describeNextRun(worker)).lines()) {
            emitError(line);
        }
        checkWaiters();
    }

    private void removeIfRetired(Worker worker) {
        if (worker.retiring && worker.state().atRest() && workers.get(worker.name()) == worker) {
            workers.remove(worker.name());
            logs.forget(worker.name());
            tell(l -> l.workerRemoved(worker.name()));
            checkWaiters();
        }
    }

    /** The one place a worker's state changes: checks the transition, stamps it, and tells everyone. */
    private void transition(Worker worker, WorkerState next, String message) {
        worker.moveTo(next);
        worker.stateSinceEpochMillis = settings.epochMillis().getAsLong();
        if (message != null) {
            if (next == WorkerState.BACKOFF) {
                warn(worker.name() + " " + message);
            } else {
                notice(worker.name() + " " + message);
            }
        }
        WorkerStatus status = worker.status();
        tell(l -> l.workerChanged(status));
        if (!stopsPending.isEmpty() || !waiting.isEmpty() && order.dependedOn(config, worker.spec.pool())) {
            advanceOrder();
        }
        checkWaiters();
    }

    /** A waiter's callback answers a control request; one that throws must not undo the transition. */
    private void checkWaiters() {
        try {
            waiters.check();
        } catch (RuntimeException | Error e) {
            emitError("internal error while answering a waiting request (" + e + "); tend goes on");
        }
    }

    void checkCompletion() {
        if (finished) {
            return;
        }
        boolean allAtRest = workers.values().stream().allMatch(w -> w.state().atRest());
        if (shuttingDown) {
            if (allAtRest && gatesOpen()) {
                finish();
            }
            return;
        }
        boolean nothingLeft = config.lazy().isEmpty() && !workers.isEmpty()
                && workers.values().stream().allMatch(w -> w.state().endedForGood());
        if (nothingLeft && gatesOpen()) {
            boolean clean = workers.values().stream().allMatch(Worker::finishedCleanly);
            exitCode = (clean ? ExitCode.OK : ExitCode.FAILURE).code();
            notice(clean ? "every worker finished" : "every worker ended; some failed");
            finish();
        }
    }

    private boolean gatesOpen() {
        for (BooleanSupplier gate : completionGates) {
            if (!gate.getAsBoolean()) {
                return false;
            }
        }
        return true;
    }

    private void finish() {
        finished = true;
        shuttingDown = true;
        reactor.stop();
    }

    private LogLine newLine(String source, LogLine.Channel channel, String text) {
        return LogLine.ofText(++lineSequence, settings.epochMillis().getAsLong(), source, channel, text);
    }

    private void notice(String text) {
        emit(newLine("tend", LogLine.Channel.NOTICE, text));
    }

    private void warn(String text) {
        emit(newLine("tend", LogLine.Channel.WARNING, text));
    }

    private void emit(LogLine line) {
        logs.add(line);
        try {
            sink.accept(line);
        } catch (RuntimeException | Error e) {
            // Said where it can still be seen: tend logs reads the log book, not the sink.
            logs.add(newLine("tend", LogLine.Channel.ERROR, "internal error: a line could not be printed (" + e + ")"));
            return;
        }
        if (!outputPaused && sink.congested()) {
            outputPaused = true;
            for (Worker w : workers.values()) {
                if (w.process != null) {
                    w.process.pauseOutput();
                }
            }
            sink.whenDrained(() -> reactor.execute(this::resumeOutput));
        }
    }

    private void resumeOutput() {
        outputPaused = false;
        for (Worker w : workers.values()) {
            if (w.process != null) {
                w.process.resumeOutput();
            }
        }
    }
}
