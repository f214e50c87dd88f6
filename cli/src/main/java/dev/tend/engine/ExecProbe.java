package dev.tend.engine;

import dev.tend.config.Command;
import dev.tend.os.ChildProcess;
import dev.tend.os.Executables;
import dev.tend.os.ExitStatus;
import dev.tend.os.NativeException;
import dev.tend.os.Reactor;
import dev.tend.os.Signal;
import dev.tend.os.SpawnRequest;
import dev.tend.os.Spawner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * An exec probe: a real child spawned like a worker (its own session and process group, piped output, stdin at
 * end of file), watched through its pidfd on the loop and reaped there; exit status 0 passes. Its last lines of
 * stdout and stderr are kept, a few and short, for the report. Abandoned (at its timeout, or when its worker
 * stops), its whole process group is killed and its exit still collected.
 */
final class ExecProbe implements ProbeAttempt {
    /** How many lines of output a probe keeps, and how long each may be. */
    static final int OUTPUT_LINES = 5;
    static final int LINE_LENGTH = 200;

    private final Set<Integer> pids;
    private final Consumer<ProbeResult> done;
    private final Deque<String> output = new ArrayDeque<>();
    private WorkerProcess process;
    private boolean over;

    private ExecProbe(Set<Integer> pids, Consumer<ProbeResult> done) {
        this.pids = pids;
        this.done = done;
    }

    /**
     * Spawns {@code command}; {@code done} may be called before this returns (the program cannot be started).
     *
     * @param pids the pids of running probes, which this one joins while its process exists: the engine
     *             reaps them, not the sweep for orphans.
     */
    static ExecProbe start(Command command, Path cwd, Map<String, String> env, long nofile, Reactor reactor,
                           ReadBuffer buffer, Set<Integer> pids, Consumer<ProbeResult> done) {
        ExecProbe probe = new ExecProbe(pids, done);
        probe.spawn(command, cwd, env, nofile, reactor, buffer);
        return probe;
    }

    private void spawn(Command command, Path cwd, Map<String, String> env, long nofile, Reactor reactor,
                       ReadBuffer buffer) {
        List<String> argv = command.argv();
        ChildProcess child;
        try {
            Path executable = Executables.resolve(argv.get(0), env.get("PATH"), cwd);
            child = Spawner.spawn(new SpawnRequest(executable, argv, cwd, env, 0, nofile));
        } catch (Executables.NotExecutableException e) {
            finish(false, "cannot start: " + e.getMessage());
            return;
        } catch (NativeException e) {
            finish(false, "cannot start: " + e.getMessage());
            return;
        }
        // A probe reads no input: it sees end of file at once.
        child.closeStdin();
        try {
            process = watch(child, reactor, buffer);
        } catch (RuntimeException e) {
            // Not watched, it cannot be reaped here: killed, it is left to the sweep for orphans.
            child.signalGroup(Signal.KILL);
            child.close();
            finish(false, "cannot watch the probe's process: " + e.getMessage());
            return;
        }
        pids.add(child.pid());
    }

    private WorkerProcess watch(ChildProcess child, Reactor reactor, ReadBuffer buffer) {
        return new WorkerProcess(child, reactor, buffer, 0, new WorkerProcess.Listener() {
            @Override
            public void line(LogLine.Channel channel, byte[] bytes) {
                keep(new String(bytes, StandardCharsets.UTF_8));
            }

            @Override
            public void protocolLine(byte[] bytes) {
                // A probe has no fd 3.
            }

            @Override
            public void protocolLineRefused(long length) {
                // A probe has no fd 3.
            }

            @Override
            public void exited() {
                collect();
            }

            @Override
            public void failed(Throwable failure) {
                keep("tend could not read this probe's output (" + failure + ")");
                if (process != null) {
                    process.signalGroup(Signal.KILL);
                }
            }
        });
    }

    private void keep(String line) {
        output.addLast(line.length() <= LINE_LENGTH ? line : line.substring(0, LINE_LENGTH) + "…");
        if (output.size() > OUTPUT_LINES) {
            output.removeFirst();
        }
    }

    private void collect() {
        WorkerProcess p = process;
        process = null;
        pids.remove(p.pid());
        ExitStatus status = p.collect();
        finish(status.success(), status.describe());
    }

    private void finish(boolean passed, String how) {
        if (over) {
            return;
        }
        over = true;
        done.accept(new ProbeResult(passed, how, List.copyOf(output)));
    }

    @Override
    public void abandon() {
        over = true;
        if (process != null) {
            process.signalGroup(Signal.KILL);
        }
    }

    @Override
    public List<String> output() {
        return List.copyOf(output);
    }
}
