package dev.tend.instance;

import dev.tend.engine.LogLine;
import dev.tend.engine.Supervisor;
import dev.tend.engine.SupervisorListener;
import dev.tend.engine.WorkerEnvironment;
import dev.tend.engine.WorkerState;
import dev.tend.engine.WorkerStatus;
import dev.tend.os.ChildProcess;
import dev.tend.os.Executables;
import dev.tend.os.ExitStatus;
import dev.tend.os.Fds;
import dev.tend.os.Interest;
import dev.tend.os.NativeException;
import dev.tend.os.Reactor;
import dev.tend.os.Signal;
import dev.tend.os.SpawnRequest;
import dev.tend.os.Spawner;
import dev.tend.protocol.ExitCode;
import dev.tend.protocol.FailureReport;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code tend run}: once every worker is ready, runs one command in the foreground with the instance's
 * environment, then stops everything and ends with the command's exit status.
 *
 * <ol>
 *   <li>Waiting: a worker given up, or the ready timeout, ends the run with exit code 4 and the failure
 *       reports; nothing is run.</li>
 *   <li>Running: the command shares tend's terminal and process group, like a shell's foreground job (its
 *       stdout passes through tend's output when that is not a terminal). A
 *       worker given up meanwhile is reported at once and, unless the run ignores worker failures, makes a
 *       command that passes end the run with exit code 1.</li>
 *   <li>Tearing down: the workers are stopped gracefully; the exit code is the command's (128 + signal if
 *       a signal ended it).</li>
 * </ol>
 * SIGINT or SIGTERM at any point tears down: the command gets the signal too (a terminal's Ctrl-C reaches
 * it directly), and the run ends with 128 + the signal's number.
 */
public final class RunPhase implements InstanceRunner.Companion {
    /** What a shell exits with when it cannot run a command (not found, not executable). */
    private static final int CANNOT_RUN = 127;

    private final List<String> command;
    private final Duration readyTimeout;
    private final boolean failOnWorkerFailure;
    /** The workers given up while the command ran. */
    private final Set<String> givenUp = new LinkedHashSet<>();
    private Supervisor supervisor;
    private Reactor reactor;
    private Map<String, String> instanceEnvironment;
    private ChildProcess child;
    private Reactor.Registration exitWatch;
    /** Watches the command's stdout when it is piped through tend's output (tend's stdout is not a terminal). */
    private Reactor.Registration outputWatch;
    private final ByteBuffer outputBuffer = ByteBuffer.allocate(64 << 10);
    private Integer exitCode;
    private boolean interrupted;

    /**
     * @param command             the command and its arguments.
     * @param readyTimeout        how long the workers have to become ready.
     * @param failOnWorkerFailure whether a worker given up while the command runs fails a run whose command passes.
     */
    public RunPhase(List<String> command, Duration readyTimeout, boolean failOnWorkerFailure) {
        this.command = List.copyOf(command);
        this.readyTimeout = readyTimeout;
        this.failOnWorkerFailure = failOnWorkerFailure;
    }

    @Override
    public void attach(Supervisor supervisor, Reactor reactor, Map<String, String> instanceEnvironment) {
        this.supervisor = supervisor;
        this.reactor = reactor;
        this.instanceEnvironment = instanceEnvironment;
        // Done once the command has ended, or will never run, and everything is stopping.
        supervisor.addCompletionGate(() -> child == null && supervisor.stopping());
        supervisor.addListener(new SupervisorListener() {
            @Override
            public void stopping() {
                stopCommand();
            }

            @Override
            public void workerChanged(WorkerStatus status) {
                if (child != null && exitCode == null && status.state() == WorkerState.FAILED
                        && givenUp.add(status.name())) {
                    error(status.name() + " was given up while " + command.get(0) + " runs" + (failOnWorkerFailure
                            ? "; tend run will fail even if " + command.get(0) + " passes (--ignore-worker-failure"
                            + " to pass its exit code on alone)" : ""));
                }
            }
        });
    }

    @Override
    public void started() {
        supervisor.operations().awaitStartup(readyTimeout, result -> {
            if (interrupted || supervisor.stopping()) {
                return;
            }
            if (!result.ok()) {
                error(result.message() + "; not running " + String.join(" ", command));
                for (FailureReport r : result.failures()) {
                    // A worker that was given up had its report printed when it was; the others not yet.
                    if (!r.reason().startsWith("gave up")) {
                        r.lines().forEach(this::error);
                    }
                }
                end(ExitCode.TIMEOUT.code(), "the workers are not ready");
                return;
            }
            startCommand();
        });
    }

    private void startCommand() {
        // The command gets what a worker gets, minus what is per worker: systemd's variables meant for tend
        // itself (NOTIFY_SOCKET, WATCHDOG_*) are not passed on.
        Map<String, String> tend = new HashMap<>(instanceEnvironment);
        tend.put("TEND_NAME", supervisor.config().instanceName());
        Map<String, String> env = WorkerEnvironment.build(supervisor.settings().environment(), Map.of(), tend);
        Path cwd = Path.of("").toAbsolutePath();
        try {
            Path executable = Executables.resolve(command.get(0), env.get("PATH"), cwd);
            // Piped through tend's own output, the command's lines never mix with tend's, and a last line without
            // a newline is not glued to tend's next one. Not on a terminal: programs change what they print for one.
            boolean piped = supervisor.passesOutputThrough() && !Fds.isTerminal(1);
            child = Spawner.spawn(new SpawnRequest(executable, command, cwd, env, 0,
                    supervisor.settings().childNofile(), true, piped));
        } catch (Executables.NotExecutableException | NativeException e) {
            error("cannot run " + command.get(0) + ": " + e.getMessage());
            end(CANNOT_RUN, "the command could not be started");
            return;
        }
        exitWatch = reactor.register(child.pidfd(), Interest.READ, events -> commandExited());
        if (child.stdout() >= 0) {
            watchOutput();
        }
    }

    private void watchOutput() {
        outputWatch = reactor.register(child.stdout(), Interest.READ, events -> forwardOutput(false));
    }

    /**
     * Passes what the command printed on. {@code toTheEnd}: the command has ended, so what is in the pipe now is
     * all it will say (a process it left behind holding the pipe is not waited for).
     */
    private void forwardOutput(boolean toTheEnd) {
        while (true) {
            outputBuffer.clear();
            int n = Fds.read(child.stdout(), outputBuffer);
            if (n == Fds.AGAIN || n == 0) {
                if (n == 0 || toTheEnd) {
                    stopWatchingOutput();
                    child.closeStdout();
                }
                return;
            }
            byte[] bytes = new byte[n];
            outputBuffer.flip().get(bytes);
            if (supervisor.passOutputThrough(bytes) && !toTheEnd) {
                // tend's stdout is slow: the command waits on its pipe rather than tend's memory growing.
                stopWatchingOutput();
                ChildProcess paused = child;
                supervisor.whenOutputDrained(() -> {
                    if (child == paused && child.stdout() >= 0 && outputWatch == null) {
                        watchOutput();
                    }
                });
                return;
            }
        }
    }

    private void stopWatchingOutput() {
        if (outputWatch != null) {
            outputWatch.cancel();
            outputWatch = null;
        }
    }

    private void error(String text) {
        supervisor.announce(LogLine.Channel.ERROR, text);
    }

    private void commandExited() {
        ExitStatus status = child.tryReap().orElseThrow();
        exitWatch.cancel();
        if (child.stdout() >= 0) {
            forwardOutput(true);
        }
        child.close();
        child = null;
        if (exitCode == null) {
            int code = status.shellStatus();
            String why = command.get(0) + " ended (" + status.describe() + ")";
            if (code == 0 && failOnWorkerFailure && !givenUp.isEmpty()) {
                code = ExitCode.FAILURE.code();
                why += ", but " + String.join(", ", givenUp) + (givenUp.size() == 1 ? " was" : " were")
                        + " given up while it ran: exit code " + code;
            }
            end(code, why);
        } else {
            supervisor.recheckCompletion();
        }
    }

    private void end(int code, String why) {
        if (exitCode == null) {
            exitCode = code;
        }
        supervisor.shutdown(why, exitCode);
        supervisor.recheckCompletion();
    }

    /**
     * Everything is stopping for another reason (a worker given up with fail_fast, {@code tend down}):
     * the command gets SIGTERM, and SIGKILL if it is still there after the longest grace.
     */
    private void stopCommand() {
        if (child == null) {
            if (exitCode == null) {
                // Stopped (tend down) while the workers were starting: the command will never run.
                exitCode = ExitCode.TIMEOUT.code();
                error("stopped before the workers were ready; not running " + String.join(" ", command));
            }
            return;
        }
        if (interrupted) {
            return;
        }
        child.signal(Signal.TERM);
        killCommandAfterGrace();
    }

    /** SIGKILL for the command if it is still running after the longest grace (what is left of it is
     * reaped and stopped with tend's other descendants). */
    private void killCommandAfterGrace() {
        Duration grace = supervisor.config().longestGrace();
        ChildProcess target = child;
        reactor.schedule(Math.max(grace.toNanos(), 1_000_000_000L), TimeUnit.NANOSECONDS, () -> {
            if (child == target) {
                child.signal(Signal.KILL);
            }
        });
    }

    @Override
    public void onSignal(Signal signal) {
        if (signal != Signal.INT && signal != Signal.TERM) {
            supervisor.onSignal(signal);
            return;
        }
        if (child != null) {
            child.signal(interrupted ? Signal.KILL : signal);
        }
        if (interrupted) {
            supervisor.onSignal(signal);
            return;
        }
        interrupted = true;
        if (child != null) {
            // Only the command's own pid got the signal (a terminal's Ctrl-C reaches its whole group, a kill
            // does not): a shell waiting on a child of its own would not act on it before that child ends.
            killCommandAfterGrace();
        }
        exitCode = new ExitStatus.Killed(signal.number(), false).shellStatus();
        supervisor.shutdownOnSignal(signal, exitCode);
        supervisor.recheckCompletion();
    }

    @Override
    public boolean owns(int pid) {
        return child != null && child.pid() == pid;
    }

    @Override
    public int exitCode(Supervisor supervisor) {
        return exitCode == null ? supervisor.exitCode() : exitCode;
    }
}
