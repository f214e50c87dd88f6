package dev.tend.instance;

import dev.tend.engine.LogLine;
import dev.tend.engine.Supervisor;
import dev.tend.engine.SupervisorListener;
import dev.tend.engine.WorkerStatus;
import dev.tend.os.ProcessInfo;
import dev.tend.os.Reactor;
import dev.tend.protocol.ReadinessSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

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
 * </pre>
 *
 * It is rewritten whole (renamed over the old one) after the loop has handled a batch of changes, at most
 * every {@link #MIN_INTERVAL_MS} ms, so a reader lags the daemon by at most that; and only when its text
 * changes. It is deleted when tend ends.
 */
final class StatusFile implements SupervisorListener {
    static final long MIN_INTERVAL_MS = 100;

    private final Path file;
    private final Supervisor supervisor;
    private final Reactor reactor;
    private final String identity;
    private String written = "";
    private long lastWriteNanos;
    private boolean writePending;
    private boolean failureReported;

    StatusFile(Path file, Supervisor supervisor, Reactor reactor, int pid) {
        this.file = file;
        this.supervisor = supervisor;
        this.reactor = reactor;
        this.identity = "pid " + pid + " " + ProcessInfo.startTime(pid).orElse(0) + "\n";
        this.lastWriteNanos = reactor.nanoTime() - TimeUnit.MILLISECONDS.toNanos(MIN_INTERVAL_MS);
    }

    @Override
    public void workerChanged(WorkerStatus status) {
        scheduleWrite();
    }

    @Override
    public void workerRemoved(String name) {
        scheduleWrite();
    }

    @Override
    public void stopping() {
        scheduleWrite();
    }

    private void scheduleWrite() {
        if (writePending) {
            return;
        }
        writePending = true;
        long wait = lastWriteNanos + TimeUnit.MILLISECONDS.toNanos(MIN_INTERVAL_MS) - reactor.nanoTime();
        if (wait <= 0) {
            reactor.execute(this::write);
        } else {
            reactor.schedule(wait, TimeUnit.NANOSECONDS, this::write);
        }
    }

    /** Writes the file now if its text changed. */
    void write() {
        writePending = false;
        lastWriteNanos = reactor.nanoTime();
        ReadinessSummary.Builder summary = new ReadinessSummary.Builder();
        for (WorkerStatus w : supervisor.status()) {
            summary.add(w.name(), w.state().label(), w.readyOrFinished());
        }
        ReadinessSummary ready = summary.build();
        String text = "tend-status 1\n" + identity + "ready " + ready.exitCode().code() + " " + ready.line() + "\n";
        if (text.equals(written)) {
            return;
        }
        try {
            PrivateFiles.replace(file, text);
            written = text;
        } catch (IOException e) {
            if (!failureReported) {
                failureReported = true;
                supervisor.announce(LogLine.Channel.WARNING, "cannot write the status file " + file + ": "
                        + e.getMessage() + "; `tend ps --ready` starts a JVM to ask tend instead");
            }
        }
    }

    /** Removes the file: tend is ending, and nothing is left to say. */
    void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a reader checks the pid in the file anyway
        }
    }
}
