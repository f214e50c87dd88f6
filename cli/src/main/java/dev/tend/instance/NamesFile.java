package dev.tend.instance;

import dev.tend.config.Config;
import dev.tend.config.LazyConfig;
import dev.tend.engine.LogLine;
import dev.tend.engine.Supervisor;
import dev.tend.engine.SupervisorListener;
import dev.tend.engine.WorkerStatus;
import dev.tend.os.Reactor;
import java.nio.file.Path;

/**
 * The names file of the runtime directory: the names a client command takes as targets, kept so that shell
 * completion (the launcher's {@code tend __complete}, a shell script) offers them on every Tab without starting
 * a JVM to ask tend.
 *
 * <pre>
 * tend-names 1                  format and version; a reader that does not know the version offers no names
 * pid PID START_TIME            as in the status file: a reader trusts the file only while that tend runs
 * pool NAME                     one line per pool, in file order
 * lazy NAME PATTERN             one per lazy declaration: its name (a target for its running workers) and pattern
 * worker NAME                   one per worker, lazily started ones included
 * </pre>
 *
 * Rewritten as a {@link ThrottledFile} when a worker is added or removed (start, scale, lazy start, retirement)
 * and after a reload, and deleted when tend ends.
 */
final class NamesFile implements SupervisorListener {
    private final Supervisor supervisor;
    private final String identity;
    private final ThrottledFile file;

    NamesFile(Path file, Supervisor supervisor, Reactor reactor, int pid) {
        this.supervisor = supervisor;
        this.identity = StatusFile.identityLine(pid);
        this.file = new ThrottledFile(file, reactor, this::text, e -> supervisor.announce(LogLine.Channel.WARNING,
                "cannot write the names file " + file + ": " + e.getMessage()
                        + "; shell completion offers no worker or pool names"));
        // The pools are known before any worker starts, and a configuration of lazy declarations alone has none.
        this.file.changed();
    }

    // A change of state (the most frequent call) leaves the text as it is; building it to find out is cheap
    // next to the write it spares, and the write happens only when a name came or went.
    @Override
    public void workerChanged(WorkerStatus status) {
        file.changed();
    }

    @Override
    public void workerRemoved(String name) {
        file.changed();
    }

    @Override
    public void reloaded() {
        file.changed();
    }

    private String text() {
        StringBuilder text = new StringBuilder("tend-names 1\n").append(identity);
        Config config = supervisor.config();
        for (String pool : config.pools().keySet()) {
            text.append("pool ").append(pool).append('\n');
        }
        for (LazyConfig lazy : config.lazy().values()) {
            text.append("lazy ").append(lazy.name()).append(' ').append(lazy.pattern()).append('\n');
        }
        for (WorkerStatus worker : supervisor.status()) {
            text.append("worker ").append(worker.name()).append('\n');
        }
        return text.toString();
    }

    /** Removes the file: tend is ending, and no name is left to complete. */
    void delete() {
        file.delete();
    }
}
