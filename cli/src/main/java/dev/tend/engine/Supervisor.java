package dev.tend.engine;

import dev.tend.config.Config;
import dev.tend.config.Durations;
import dev.tend.config.PoolConfig;
import dev.tend.config.ReadyMode;
import dev.tend.config.WorkerSettings;
import dev.tend.os.ChildProcess;
import dev.tend.os.Errno;
import dev.tend.os.Executables;
import dev.tend.os.ExitStatus;
import dev.tend.os.NativeException;
import dev.tend.os.Reactor;
import dev.tend.os.Signal;
import dev.tend.os.SpawnRequest;
import dev.tend.os.Spawner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The supervisor engine: starts the pools' workers, replaces the ones that fail, stops them, and decides
 * when {@code tend up} is over. Every method runs on the event loop's thread, which owns all worker state;
 * there is no locking and no thread per worker.
 *
 * <p>{@link #transition} is the one place a worker's state changes; the other methods react to events
 * (spawned, ready, exited, timer due, stop requested) and pick the transition.
 */
public final class Supervisor {
    /** Errors of posix_spawn that retrying cannot fix: the program itself cannot be run. */
    private static final Set<Integer> PERMANENT_SPAWN_ERRORS =
            Set.of(Errno.ENOENT, Errno.EACCES, Errno.ENOEXEC, Errno.ENOTDIR, Errno.EISDIR, Errno.EINVAL);

    private final Config config;
    private final SupervisorSettings settings;
    private final OutputSink sink;
    private final Reactor reactor;
    private final ReadBuffer buffer = new ReadBuffer();
    private final Map<String, Worker> workers = new LinkedHashMap<>();
    private long lineSequence;
    private boolean outputPaused;
    private boolean shuttingDown;
    private boolean forced;
    private boolean finished;
    private int exitCode;

    public Supervisor(Config config, SupervisorSettings settings, OutputSink sink, Reactor reactor) {
        this.config = config;
        this.settings = settings;
        this.sink = sink;
        this.reactor = reactor;
    }

    /** Creates every pool's workers and starts them. */
    public void start() {
        for (PoolConfig pool : config.pools().values()) {
            int count = pool.count().resolve(settings.processors());
            for (int i = 1; i <= count; i++) {
                Worker worker = new Worker(new WorkerSpec(pool.name() + "." + i, pool.name(), i, pool.worker()));
                workers.put(worker.name(), worker);
            }
        }
        notice("starting " + workers.size() + " worker" + (workers.size() == 1 ? "" : "s") + " in "
                + config.pools().size() + " pool" + (config.pools().size() == 1 ? "" : "s"));
        for (Worker worker : new ArrayList<>(workers.values())) {
            if (!shuttingDown) {
                spawn(worker);
            }
        }
        checkCompletion();
    }

    /**
     * Reacts to a signal sent to tend: TERM and INT stop everything gracefully; a second INT (or TERM)
     * while stopping kills every remaining process group at once.
     */
    public void onSignal(Signal signal) {
        if (signal == Signal.TERM || signal == Signal.INT) {
            if (shuttingDown) {
                killRemaining("SIG" + signal + " again");
            } else {
                shutdown("SIG" + signal + " received", 0);
            }
        }
    }

    /** Stops every worker gracefully and ends when all have ended; {@code code} becomes the exit code. */
    public void shutdown(String why, int code) {
        if (shuttingDown) {
            return;
        }
        shuttingDown = true;
        exitCode = code;
        long stopping = workers.values().stream().filter(w -> w.state().hasProcess()).count();
        notice(why + "; stopping " + stopping + " worker" + (stopping == 1 ? "" : "s")
                + (stopping == 0 ? "" : " (send it again to kill them at once)"));
        for (Worker worker : workers.values()) {
            stop(worker);
        }
        checkCompletion();
    }

    /** Whether {@link #shutdown} was called or everything ended. */
    public boolean stopping() {
        return shuttingDown;
    }

    /** A snapshot of every worker, in pool order. Loop thread only. */
    public List<WorkerStatus> status() {
        List<WorkerStatus> out = new ArrayList<>(workers.size());
        for (Worker w : workers.values()) {
            out.add(w.status());
        }
        return out;
    }

    /** The exit code of {@code tend up}, final once the reactor stopped. */
    public int exitCode() {
        return exitCode;
    }

    private void killRemaining(String why) {
        if (forced) {
            return;
        }
        forced = true;
        notice(why + ": killing the remaining workers");
        for (Worker worker : workers.values()) {
            if (worker.state() == WorkerState.STOPPING && worker.process != null) {
                worker.killedAtGrace = true;
                worker.process.signalGroup(Signal.KILL);
            }
        }
    }

    private void spawn(Worker worker) {
        WorkerSpec spec = worker.spec;
        WorkerSettings ws = spec.settings();
        Map<String, String> env = WorkerEnvironment.build(settings.environment(), ws.env(), tendVariables(worker));
        List<String> argv = ws.command().argv();
        Path executable;
        try {
            executable = Executables.resolve(argv.get(0), env.get("PATH"), ws.cwd());
        } catch (Executables.NotExecutableException e) {
            worker.attempts++;
            giveUp(worker, "cannot start: " + e.getMessage(), "not started: " + e.getMessage(), Duration.ZERO);
            return;
        }
        ChildProcess child;
        try {
            child = Spawner.spawn(new SpawnRequest(executable, argv, ws.cwd(), env, 1, settings.childNofile()));
        } catch (NativeException e) {
            worker.attempts++;
            if (PERMANENT_SPAWN_ERRORS.contains(e.errno())) {
                giveUp(worker, "cannot start: " + e.getMessage(), "not started: " + e.getMessage(), Duration.ZERO);
            } else {
                retryLater(worker, "could not start: " + e.getMessage());
            }
            return;
        }
        worker.attempts++;
        worker.killedAtGrace = false;
        worker.process = new WorkerProcess(child, reactor, buffer, listenerFor(worker));
        if (outputPaused) {
            worker.process.pauseOutput();
        }
        worker.startedNanos = reactor.nanoTime();
        worker.startedEpochMillis = settings.epochMillis().getAsLong();
        transition(worker, WorkerState.STARTING, "started (pid " + child.pid() + ")");
        if (ws.ready() == ReadyMode.SPAWNED) {
            transition(worker, WorkerState.RUNNING, null);
        }
    }

    private Map<String, String> tendVariables(Worker worker) {
        Map<String, String> vars = new HashMap<>();
        vars.put("TEND_POOL", worker.spec.pool());
        vars.put("TEND_WORKER", worker.name());
        vars.put("TEND_INSTANCE", Integer.toString(worker.spec.instance()));
        vars.put("TEND_NAME", config.instanceName());
        return vars;
    }

    private WorkerProcess.Listener listenerFor(Worker worker) {
        return new WorkerProcess.Listener() {
            @Override
            public void line(LogLine.Channel channel, String text) {
                LogLine line = newLine(worker.name(), channel, text);
                worker.tail.add(line);
                emit(line);
            }

            @Override
            public void protocolLine(String text) {
                // The state protocol on fd 3 is handled once the state file exists.
            }

            @Override
            public void exited() {
                onExit(worker);
            }
        };
    }

    private void onExit(Worker worker) {
        ExitStatus status = worker.process.collect();
        worker.process = null;
        worker.lastExit = status;
        worker.cancelTimer();
        Duration ranFor = Duration.ofNanos(reactor.nanoTime() - worker.startedNanos);
        if (worker.state() == WorkerState.STOPPING) {
            String how = worker.killedAtGrace ? "killed after grace " + Durations.format(worker.spec.settings().grace())
                    : "stopped (" + status.describe() + ")";
            transition(worker, WorkerState.STOPPED, how + " after running " + Durations.format(ranFor));
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
            case FAILED -> giveUp(worker, decision.reason(), status.describe(), ranFor);
            default -> throw new IllegalStateException("restart planner chose " + decision.next());
        }
        checkCompletion();
    }

    private void retryLater(Worker worker, String why) {
        worker.failures++;
        if (worker.failures >= worker.spec.settings().maxFailures()) {
            giveUp(worker, worker.failures + " consecutive failures to start", why, Duration.ZERO);
            return;
        }
        scheduleRestart(worker, RestartPlanner.backoff(worker.failures, worker.spec.settings()), why);
    }

    private void scheduleRestart(Worker worker, Duration delay, String why) {
        transition(worker, WorkerState.BACKOFF, why + "; restarting in " + Durations.format(delay));
        worker.timer = reactor.schedule(delay.toNanos(), TimeUnit.NANOSECONDS, () -> {
            worker.timer = null;
            if (worker.state() == WorkerState.BACKOFF && !shuttingDown) {
                spawn(worker);
            }
        });
    }

    private void giveUp(Worker worker, String reason, String lastExit, Duration ranFor) {
        worker.givenUpReason = reason;
        transition(worker, WorkerState.FAILED, null);
        FailureReport report = new FailureReport(worker.name(), worker.spec.pool(),
                worker.spec.settings().command().display(), reason, lastExit, worker.attempts, ranFor,
                worker.tail.last(LogLine.Channel.STDERR, FailureReport.STDERR_LINES));
        for (String line : report.lines()) {
            emit(newLine("tend", LogLine.Channel.ERROR, line));
        }
        if (config.failFast() && !shuttingDown) {
            shutdown(worker.name() + " was given up and fail_fast is set", 1);
        }
    }

    /** Stop by EOF: close stdin, send the stop signal if any, and kill the group once the grace is over. */
    private void stop(Worker worker) {
        switch (worker.state()) {
            case STARTING, RUNNING -> {
                WorkerSettings ws = worker.spec.settings();
                worker.process.closeStdin();
                ws.stopSignal().ifPresent(worker.process::signalGroup);
                transition(worker, WorkerState.STOPPING, null);
                worker.timer = reactor.schedule(ws.grace().toNanos(), TimeUnit.NANOSECONDS, () -> {
                    worker.timer = null;
                    if (worker.state() == WorkerState.STOPPING && worker.process != null) {
                        worker.killedAtGrace = true;
                        warn(worker.name() + " did not stop within " + Durations.format(ws.grace())
                                + "; killing its process group");
                        worker.process.signalGroup(Signal.KILL);
                    }
                });
            }
            case BACKOFF -> {
                worker.cancelTimer();
                transition(worker, WorkerState.STOPPED, null);
            }
            default -> {
                // Nothing runs: nothing to stop.
            }
        }
    }

    /** The one place a worker's state changes: checks the transition, stamps it, and tells the user. */
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
    }

    private void checkCompletion() {
        if (finished) {
            return;
        }
        boolean allAtRest = workers.values().stream().allMatch(w -> w.state().atRest());
        if (shuttingDown) {
            if (allAtRest) {
                finish();
            }
            return;
        }
        boolean nothingLeft = config.lazy().isEmpty()
                && workers.values().stream().allMatch(w -> w.state() == WorkerState.EXITED
                || w.state() == WorkerState.FAILED);
        if (nothingLeft) {
            boolean clean = workers.values().stream().allMatch(w -> w.state() == WorkerState.EXITED
                    && w.lastExit != null && w.lastExit.success());
            exitCode = clean ? 0 : 1;
            notice(clean ? "every worker finished" : "every worker ended; some failed");
            finish();
        }
    }

    private void finish() {
        finished = true;
        shuttingDown = true;
        reactor.stop();
    }

    private LogLine newLine(String source, LogLine.Channel channel, String text) {
        return new LogLine(++lineSequence, settings.epochMillis().getAsLong(), source, channel, text);
    }

    private void notice(String text) {
        emit(newLine("tend", LogLine.Channel.NOTICE, text));
    }

    private void warn(String text) {
        emit(newLine("tend", LogLine.Channel.WARNING, text));
    }

    private void emit(LogLine line) {
        sink.accept(line);
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
