package dev.tend.instance;

import dev.tend.config.WorkerSettings;
import dev.tend.engine.LogLine;
import dev.tend.engine.Supervisor;
import dev.tend.engine.SupervisorListener;
import dev.tend.engine.WorkerStatus;
import dev.tend.os.ProcessInfo;
import dev.tend.os.Reactor;
import dev.tend.os.Signal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The file in the runtime directory that lists the running workers' processes, so that a {@code tend up}
 * started after one that was killed (SIGKILL, OOM killer, power cut of a container) can find the workers it
 * left behind. One line per process:
 * <pre>NAME PID START_TIME GRACE_MS STOP_SIGNAL</pre>
 * {@code START_TIME} is field 22 of /proc/PID/stat: a process is only ever acted on if both its pid and its
 * start time still match, so a pid reused by an unrelated process is never touched. {@code STOP_SIGNAL} is a
 * signal name or {@code -}. The file is rewritten (atomically, by rename) after the loop has handled a batch of
 * changes, not on every one.
 */
final class WorkerRecord implements SupervisorListener {
    /** One recorded worker process. */
    record Entry(String worker, int pid, long startTime, Duration grace, Optional<Signal> stopSignal) {
        String line() {
            return worker + " " + pid + " " + startTime + " " + grace.toMillis() + " "
                    + stopSignal.map(Enum::name).orElse("-");
        }

        static Optional<Entry> parse(String line) {
            String[] f = line.trim().split(" ");
            if (f.length != 5) {
                return Optional.empty();
            }
            try {
                return Optional.of(new Entry(f[0], Integer.parseInt(f[1]), Long.parseLong(f[2]),
                        Duration.ofMillis(Long.parseLong(f[3])), f[4].equals("-") ? Optional.empty() : Signal.parse(f[4])));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
    }

    /** The start time of an entry whose process's start time is read at the next write. */
    private static final long UNREAD = -1;

    private final Path file;
    private final Supervisor supervisor;
    private final Reactor reactor;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private boolean writePending;

    WorkerRecord(Path file, Supervisor supervisor, Reactor reactor) {
        this.file = file;
        this.supervisor = supervisor;
        this.reactor = reactor;
    }

    /** What a previous tend recorded; empty when there is no file. */
    static List<Entry> read(Path file) throws IOException {
        List<Entry> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                Entry.parse(line).ifPresent(out::add);
            }
        } catch (NoSuchFileException e) {
            return out;
        }
        return out;
    }

    @Override
    public void workerChanged(WorkerStatus status) {
        if (status.pid() > 0) {
            if (!entries.containsKey(status.name()) || entries.get(status.name()).pid() != status.pid()) {
                WorkerSettings settings = supervisor.config().workerSettings(status.pool()).orElse(null);
                if (settings != null) {
                    // Its start time is read when the file is written, after the loop's turn: not between one
                    // spawn and the next. Until its exit is collected the process keeps its pid, so it is still this one.
                    entries.put(status.name(), new Entry(status.name(), status.pid(), UNREAD,
                            settings.grace(), settings.stopSignal()));
                    scheduleWrite();
                }
            }
        } else if (entries.remove(status.name()) != null) {
            scheduleWrite();
        }
    }

    @Override
    public void workerRemoved(String name) {
        if (entries.remove(name) != null) {
            scheduleWrite();
        }
    }

    private void scheduleWrite() {
        if (!writePending) {
            writePending = true;
            reactor.execute(this::write);
        }
    }

    /** Writes the file now. */
    void write() {
        writePending = false;
        StringBuilder text = new StringBuilder();
        for (Iterator<Entry> i = entries.values().iterator(); i.hasNext();) {
            Entry e = i.next();
            if (e.startTime() == UNREAD) {
                OptionalLong start = ProcessInfo.startTime(e.pid());
                if (start.isEmpty()) {
                    i.remove();
                    continue;
                }
                e = new Entry(e.worker(), e.pid(), start.getAsLong(), e.grace(), e.stopSignal());
                entries.put(e.worker(), e);
            }
            text.append(e.line()).append('\n');
        }
        try {
            PrivateFiles.replace(file, text.toString());
        } catch (IOException e) {
            supervisor.announce(LogLine.Channel.WARNING, "cannot record the workers in " + file
                    + ": " + e.getMessage());
        }
    }
}
