package dev.tend.instance;

import dev.tend.config.Config;
import dev.tend.control.CommandFifo;
import dev.tend.control.ControlServer;
import dev.tend.control.ControlService;
import dev.tend.control.StateDesk;
import dev.tend.engine.CodeWatch;
import dev.tend.engine.FdBudget;
import dev.tend.engine.LogLine;
import dev.tend.engine.OutputSink;
import dev.tend.engine.Supervisor;
import dev.tend.engine.SupervisorListener;
import dev.tend.engine.SupervisorSettings;
import dev.tend.engine.WorkerSpec;
import dev.tend.os.CurrentProcess;
import dev.tend.os.Reactor;
import dev.tend.os.Signal;
import dev.tend.os.SignalRelay;
import dev.tend.os.UnixStreamSocket;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntPredicate;

/**
 * Runs one instance: takes its lock in its runtime directory, stops what a killed predecessor left running,
 * opens the control socket, starts the supervisor on an event loop and runs the loop until everything has
 * ended. What {@code tend up} and {@code tend run} share.
 */
public final class InstanceRunner {
    private static final Set<Signal> HANDLED = Set.of(Signal.TERM, Signal.INT, Signal.HUP, Signal.CHLD);
    /**
     * When to give malloc's free memory back after start-up: about 6 MiB of a 100-worker daemon's resident size,
     * mostly the JIT compiler's scratch memory. The compiler hands it back to malloc through a pool that the JVM
     * empties every 5 seconds, so once when start-up has quietened and once after the pool's next emptying.
     */
    private static final List<Long> RELEASE_MEMORY_AFTER_SECONDS = List.of(3L, 12L);

    /** How long after a second SIGTERM or SIGINT tend may take before it kills and halts from outside its loop. */
    private static final Duration LAST_RESORT = Duration.ofSeconds(3);

    private final Config config;
    private final SupervisorSettings settings;
    private final OutputSink output;
    private final boolean watchCode;

    /** Something that runs alongside the supervisor on its loop, such as {@code tend run}'s command. */
    public interface Companion {
        /** Called on the loop thread before the workers start. */
        void attach(Supervisor supervisor, Reactor reactor, Map<String, String> instanceEnvironment);

        /** Called on the loop thread once every pool's workers have been started. */
        void started();

        /** Receives tend's TERM, INT and HUP instead of the supervisor. */
        void onSignal(Signal signal);

        /** Whether {@code pid} is one of the companion's own children (never reaped as an orphan). */
        boolean owns(int pid);

        /** The exit code once everything has ended. */
        int exitCode(Supervisor supervisor);
    }

    public InstanceRunner(Config config, SupervisorSettings settings, OutputSink output) {
        this(config, settings, output, false);
    }

    /** {@code watchCode}: restart pools when their {@code watch} files change ({@code --watch}). */
    public InstanceRunner(Config config, SupervisorSettings settings, OutputSink output, boolean watchCode) {
        this.config = config;
        this.settings = settings;
        this.output = output;
        this.watchCode = watchCode;
    }

    /** A second {@code tend up} for an instance that already runs. */
    public static final class AlreadyRunningException extends Exception {
        private static final long serialVersionUID = 1L;

        AlreadyRunningException(String message) {
            super(message);
        }
    }

    /** Runs the instance with a companion (or none); returns the exit code. */
    public int run(Companion companion) throws IOException, AlreadyRunningException, CodeWatch.CannotWatch {
        String name = config.instanceName();
        RuntimeDirectory dir = RuntimeDirectory.of(name, settings.environment()).create();
        InstanceLock lock;
        try {
            lock = InstanceLock.acquire(dir.lockFile());
        } catch (InstanceLock.HeldException e) {
            Optional<Path> other = ConfigRecord.otherThan(dir, config.file(), settings.environment());
            if (other.isPresent()) {
                throw new AlreadyRunningException(new OtherConfig(name, other.get(), config.file()).startMessage());
            }
            throw new AlreadyRunningException("instance " + name + " is already running"
                    + (e.pid().isPresent() ? " (pid " + e.pid().getAsLong() + ")" : "")
                    + "; stop it with `tend down --name " + name + "`, or give this one another name with --name");
        }
        Descendants.adopt();
        try (lock; Reactor reactor = new Reactor(InstanceRunner::internalError)) {
            ConfigRecord.write(dir, config.file());
            // TEND_RUNTIME_DIR is the base, so that tend commands run by a worker (with --name, or a nested tend)
            // resolve runtime directories exactly as this tend did.
            Map<String, String> instanceEnv = Map.of(
                    "TEND_SOCKET", dir.controlSocket().toString(),
                    "TEND_STATE", dir.stateFile().toString(),
                    "TEND_RUNTIME_DIR", dir.base().toString(),
                    "TEND_INSTANCE_DIR", dir.path().toString());
            Supervisor supervisor = new Supervisor(config, settings, output, reactor);
            LastResort lastResort = new LastResort(LAST_RESORT, code -> Runtime.getRuntime().halt(code));
            supervisor.addListener(lastResort);
            StateBoard state = new StateBoard(dir.stateFile(), config.maxSnapshotBytes(), supervisor, reactor);
            supervisor.addListener(state);
            supervisor.addListener(new SupervisorListener() {
                @Override
                public Map<String, String> spawning(WorkerSpec worker) {
                    return instanceEnv;
                }
            });
            WorkerRecord record = new WorkerRecord(dir.workersFile(), supervisor, reactor);
            supervisor.addListener(record);
            StatusFile status = new StatusFile(dir.statusFile(), supervisor, reactor, CurrentProcess.pid());
            supervisor.addListener(status);
            NamesFile names = new NamesFile(dir.namesFile(), supervisor, reactor, CurrentProcess.pid());
            supervisor.addListener(names);
            Optional<SystemdNotifier> systemd = SystemdNotifier.attach(supervisor, reactor, settings.environment(),
                    CurrentProcess.pid());
            IntPredicate managed = companion == null ? supervisor::manages
                    : pid -> supervisor.manages(pid) || companion.owns(pid);
            Descendants descendants = new Descendants(supervisor, reactor, managed);
            supervisor.addListener(descendants);
            // We hold the lock, so a socket file left here belongs to a tend that died: safe to replace.
            UnixStreamSocket.deleteStale(dir.controlSocket());
            ControlService service = new ControlService(supervisor, state, settings.epochMillis(), CurrentProcess.pid(),
                    reactor);
            try (state;
                 CodeWatch watch = watchCode ? CodeWatch.start(supervisor) : null;
                 WorkerNotifySockets notify = new WorkerNotifySockets(supervisor, reactor, dir.notifyDirectory());
                 CommandFifo commands = new CommandFifo(reactor, dir.commandFifo(), service,
                         new StateDesk(reactor, dir.stateFile(), state::reader, state::intact, supervisor::published), warning(supervisor));
                 // A client on the socket may be a launcher that found no command FIFO: make it again if it is gone.
                 ControlServer control = new ControlServer(reactor, dir.controlSocket(), (request, reply) -> {
                     commands.ensurePresent();
                     service.handle(request, reply);
                 }, warning(supervisor))) {
                supervisor.addListener(notify);
                Consumer<Signal> signals = signal -> {
                    if (signal == Signal.CHLD) {
                        descendants.reapOrphans();
                    } else if (companion == null) {
                        supervisor.onSignal(signal);
                    } else {
                        companion.onSignal(signal);
                    }
                };
                SignalRelay.install(reactor, HANDLED, lastResort::arrived, signals);
                if (companion != null) {
                    companion.attach(supervisor, reactor, instanceEnv);
                }
                supervisor.addCompletionGate(descendants::settled);
                // Last, so that the reply to `tend down`, sent once every worker has ended, is written before exit.
                supervisor.addCompletionGate(() -> control.finalRepliesWritten(supervisor::recheckCompletion));
                reactor.execute(() -> LeftoverWorkers.stopThen(dir.workersFile(), supervisor, reactor, () -> {
                    FdBudget.warning(config, settings.processors(), CurrentProcess.openFileLimit())
                            .ifPresent(text -> supervisor.announce(LogLine.Channel.WARNING, text));
                    supervisor.start();
                    for (long seconds : RELEASE_MEMORY_AFTER_SECONDS) {
                        reactor.schedule(seconds, TimeUnit.SECONDS, CurrentProcess::releaseFreeNativeMemory);
                    }
                    systemd.ifPresent(SystemdNotifier::started);
                    if (companion != null) {
                        companion.started();
                    }
                }));
                reactor.run();
                // The loop stopped before running the write queued by the last workers' exits.
                record.write();
                status.delete();
                names.delete();
            } finally {
                SignalRelay.uninstall(HANDLED);
                lastResort.ended();
            }
            return companion == null ? supervisor.exitCode() : companion.exitCode(supervisor);
        }
    }

    private static Consumer<String> warning(Supervisor supervisor) {
        return text -> supervisor.announce(LogLine.Channel.WARNING, text);
    }

    private static void internalError(Throwable t) {
        System.err.println("tend: internal error in the event loop: " + t);
        t.printStackTrace(System.err);
    }
}
