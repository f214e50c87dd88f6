package dev.tend.instance;

import dev.tend.control.CommandFifo;
import dev.tend.engine.LogLine;
import dev.tend.engine.Supervisor;
import dev.tend.engine.SupervisorListener;
import dev.tend.engine.WorkerStatus;
import dev.tend.os.ProcessInfo;
import dev.tend.os.Reactor;
import dev.tend.protocol.ReadinessSummary;
import java.nio.file.Path;

/**
 * The status file of the runtime directory: what {@code tend ps --ready} would answer now, kept so that the
 * launcher (a shell script) answers it without starting a JVM, the way {@code s6-svstat} reads the status file
 * {@code s6-supervise} keeps. A Kubernetes readiness probe or a script that polls readiness pays a few
 * milliseconds instead of a JVM start.
 *
 * <pre>
 * tend-status 1                 format and version; a reader that does not know the version asks the daemon
 * pid PID START_TIME            tend's own pid and start time (field 22 of /proc/PID/stat): a reader trusts the
 *                               file only while that very process runs (not a pid reused after tend died)
 * ready EXIT_CODE LINE          the exit code and the line of `tend ps --ready` (ReadinessSummary)
 * fifo OP...                    the operations the command FIFO takes (CommandFifo): a launcher newer than this
 *                               tend asks through its JVM client for the others
 * </pre>
 *
 * It is rewritten as a {@link ThrottledFile} (a reader lags the daemon by at most
 * {@link ThrottledFile#MIN_INTERVAL_MS} ms), and deleted when tend ends.
 */
final class StatusFile implements SupervisorListener {
    private static final String FIFO_LINE = "fifo " + String.join(" ", CommandFifo.operations()) + "\n";

    private final Supervisor supervisor;
    private final String identity;
    private final ThrottledFile file;

    StatusFile(Path file, Supervisor supervisor, Reactor reactor, int pid) {
        this.supervisor = supervisor;
        this.identity = identityLine(pid);
        this.file = new ThrottledFile(file, reactor, this::text, e -> supervisor.announce(LogLine.Channel.WARNING,
                "cannot write the status file " + file + ": " + e.getMessage()
                        + "; `tend ps --ready` starts a JVM to ask tend instead"));
    }

    /**
     * The line by which a reader of a runtime file knows its writer still runs: tend's pid and start time (field
     * 22 of /proc/PID/stat), so that a pid reused after tend died is not taken for it.
     */
    static String identityLine(int pid) {
        return "pid " + pid + " " + ProcessInfo.startTime(pid).orElse(0) + "\n";
    }

    @Override
    public void workerChanged(WorkerStatus status) {
        file.changed();
    }

    @Override
    public void workerRemoved(String name) {
        file.changed();
    }

    @Override
    public void stopping() {
        file.changed();
    }

    private String text() {
        ReadinessSummary.Builder summary = new ReadinessSummary.Builder();
        for (WorkerStatus w : supervisor.status()) {
            summary.add(w.name(), w.state().label(), w.readyOrFinished());
        }
        ReadinessSummary ready = summary.build();
        return "tend-status 1\n" + identity + "ready " + ready.exitCode().code() + " " + ready.line() + "\n" + FIFO_LINE;
    }

    /** Removes the file: tend is ending, and nothing is left to say. */
    void delete() {
        file.delete();
    }
}
