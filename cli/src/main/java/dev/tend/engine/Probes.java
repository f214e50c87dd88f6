package dev.tend.engine;

import dev.tend.config.HealthCheck;
import dev.tend.os.Reactor;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Starts the runs of health probes for the engine, on its loop: sockets for tcp and http probes, children for
 * exec probes. It knows the pids of the probes' running processes, which the engine reaps through their pidfds
 * (the sweep for orphans must leave them alone).
 */
final class Probes {
    private final Reactor reactor;
    private final ReadBuffer buffer;
    private final long nofile;
    private final Set<Integer> pids = new HashSet<>();

    Probes(Reactor reactor, ReadBuffer buffer, long nofile) {
        this.reactor = reactor;
        this.buffer = buffer;
        this.nofile = nofile;
    }

    /** Whether {@code pid} is the process of an exec probe under way. */
    boolean manages(int pid) {
        return pids.contains(pid);
    }

    /** Runs probes for a worker that starts in {@code cwd} with {@code env}: an exec probe gets both. */
    HealthMonitor.Launcher launcher(Path cwd, Map<String, String> env) {
        return (probe, done) -> {
            if (probe instanceof HealthCheck.Exec exec) {
                return ExecProbe.start(exec.command(), cwd, env, nofile, reactor, buffer, pids, done);
            }
            if (probe instanceof HealthCheck.Http http) {
                return SocketProbe.start(reactor, http.address(), http.port(), http, done);
            }
            HealthCheck.Tcp tcp = (HealthCheck.Tcp) probe;
            return SocketProbe.start(reactor, tcp.address(), tcp.port(), null, done);
        };
    }
}
