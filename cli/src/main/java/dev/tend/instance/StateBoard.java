package dev.tend.instance;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.tend.control.ControlService;
import dev.tend.engine.LogLine;
import dev.tend.engine.Supervisor;
import dev.tend.engine.SupervisorListener;
import dev.tend.engine.WorkerSpec;
import dev.tend.engine.WorkerStatus;
import dev.tend.os.Reactor;
import dev.tend.protocol.WorkerEntry.PublishedState;
import dev.tend.state.OwnerState;
import dev.tend.state.OwnerToken;
import dev.tend.state.PublishResult;
import dev.tend.state.Publisher;
import dev.tend.state.SlotReader;
import dev.tend.state.Snapshot;
import dev.tend.state.SnapshotJson;
import dev.tend.state.StateException;
import dev.tend.state.StateFile;
import dev.tend.state.StateReader;
import dev.tend.worker.TendState;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The supervisor's side of the shared state file: one slot per worker, the owner state and pid of each slot
 * kept current, a fresh epoch (the token that lets a worker publish into its own slot) at each spawn, and the
 * fd-3 protocol, where each line a worker writes is a JSON object that tend publishes into its slot.
 *
 * <p>The event loop never waits for a slot's lock: a worker publishing directly at the same moment makes a
 * protocol publish report BUSY, and it is retried a millisecond later (only the newest pending snapshot of
 * a worker is kept). An empty line on fd 3 means "I published directly" (what {@code tend set} and the Java
 * API send), which makes a {@code ready = "publish"} worker ready.
 */
final class StateBoard implements SupervisorListener, ControlService.WorkerFacts, AutoCloseable {
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final StateFile file;
    private final StateReader reader;
    private final Supervisor supervisor;
    private final Reactor reactor;
    private final Map<String, Integer> slots = new HashMap<>();
    private final Map<String, SlotReader> slotReaders = new HashMap<>();
    private final Map<String, Publisher> publishers = new HashMap<>();
    private final Map<String, Map<String, byte[]>> pending = new LinkedHashMap<>();
    private boolean retryScheduled;
    private boolean truncationReported;

    StateBoard(Path path, long maxSnapshotBytes, Supervisor supervisor, Reactor reactor) {
        this.file = StateFile.create(path, maxSnapshotBytes);
        this.reader = StateReader.open(path);
        this.supervisor = supervisor;
        this.reactor = reactor;
    }

    private int slot(String worker, String pool) {
        return slots.computeIfAbsent(worker, name -> file.allocate(name, pool));
    }

    @Override
    public Map<String, String> spawning(WorkerSpec worker) {
        if (!writable()) {
            return Map.of();
        }
        StateFile.Incarnation incarnation = file.newIncarnation(slot(worker.name(), worker.pool()));
        // TEND_STATE is in the instance's environment (the command of tend run gets it too); the token goes to
        // this worker's process alone.
        return Map.of(TendState.TOKEN_ENV, OwnerToken.format(incarnation.token()));
    }

    @Override
    public void workerChanged(WorkerStatus status) {
        if (!writable()) {
            return;
        }
        file.setOwner(slot(status.name(), status.pool()), owner(status), status.pid(), status.stateSinceMillis());
    }

    /**
     * Whether the file can still be written: a worker may truncate it (it can write it), and then tend stops
     * writing to it, says so once, and runs on without published state.
     */
    private boolean writable() {
        if (file.intact()) {
            return true;
        }
        if (!truncationReported) {
            truncationReported = true;
            supervisor.announce(LogLine.Channel.WARNING, "state file " + file.path() + " was truncated by someone"
                    + " else; tend no longer writes to it, and published state is lost until the next tend up");
        }
        return false;
    }

    private static OwnerState owner(WorkerStatus status) {
        return switch (status.state()) {
            case CREATED, WAITING -> OwnerState.NONE;
            case STARTING -> OwnerState.STARTING;
            case RUNNING -> OwnerState.RUNNING;
            case STOPPING -> OwnerState.STOPPING;
            case STOPPED -> OwnerState.STOPPED;
            // The file's codes are a format: a job between runs is, as readers see it, a process that exited.
            case EXITED, SCHEDULED -> OwnerState.EXITED;
            case BACKOFF -> OwnerState.BACKOFF;
            case FAILED -> OwnerState.FAILED;
        };
    }

    @Override
    public void workerRemoved(String name) {
        Integer slot = slots.get(name);
        if (slot != null && writable()) {
            file.setOwner(slot, OwnerState.REMOVED, 0, System.currentTimeMillis());
        }
        pending.remove(name);
    }

    @Override
    public void protocolLine(String worker, byte[] bytes) {
        String line;
        try {
            line = UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            supervisor.announce(LogLine.Channel.WARNING, worker + " wrote a line on fd 3 that is not valid UTF-8;"
                    + " JSON text must be UTF-8 (binary values go in {\"base64\": \"...\"})");
            return;
        }
        if (line.isBlank()) {
            supervisor.published(worker);
            return;
        }
        Map<String, byte[]> data;
        try {
            data = SnapshotJson.parse(line);
        } catch (IllegalArgumentException e) {
            supervisor.announce(LogLine.Channel.WARNING, worker + " wrote a line on fd 3 that is not a snapshot ("
                    + e.getMessage() + "); each line must be one JSON object whose values are strings, numbers,"
                    + " booleans or {\"base64\": \"...\"}");
            return;
        }
        pending.put(worker, data);
        publishPending();
    }

    private void publishPending() {
        if (!writable()) {
            for (String worker : pending.keySet()) {
                supervisor.announce(LogLine.Channel.WARNING, worker + ": snapshot not published: the state file"
                        + " was truncated");
            }
            pending.clear();
            return;
        }
        for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Map<String, byte[]>> e = it.next();
            String worker = e.getKey();
            PublishResult result;
            try {
                result = publisher(worker).tryPublish(e.getValue());
            } catch (StateException | IllegalArgumentException ex) {
                it.remove();
                supervisor.announce(LogLine.Channel.WARNING, worker + ": snapshot not published: " + ex.getMessage());
                continue;
            } catch (RuntimeException | InternalError ex) {
                // The file is writable by every worker: garbage in it must cost a snapshot, not the loop. A file
                // truncated under its mapping faults (SIGBUS), which the JVM reports as an InternalError.
                it.remove();
                supervisor.announce(LogLine.Channel.WARNING, worker + ": snapshot not published: " + ex);
                continue;
            }
            if (result.status() == PublishResult.Status.BUSY) {
                continue;
            }
            it.remove();
            supervisor.published(worker);
        }
        if (!pending.isEmpty() && !retryScheduled) {
            retryScheduled = true;
            reactor.schedule(RETRY_NANOS, TimeUnit.NANOSECONDS, () -> {
                retryScheduled = false;
                publishPending();
            });
        }
    }

    private Publisher publisher(String worker) {
        return publishers.computeIfAbsent(worker, name -> Publisher.openAsSupervisor(file.path(), name));
    }

    /** Whether the file may still be mapped: not truncated by a worker (reading it then would fault). */
    boolean intact() {
        return file.intact();
    }

    /** tend's reader of the state file, for whatever else of tend reads it (the command FIFO's {@code get}). */
    StateReader reader() {
        return reader;
    }

    /** The version and age of a worker's published state, for {@code tend ps}. */
    @Override
    public Optional<PublishedState> of(String worker) {
        if (!slots.containsKey(worker) || !file.intact()) {
            return Optional.empty();
        }
        try {
            // One snapshot (the cached object while unchanged), so that the version and the age belong together.
            Snapshot snapshot = slotReaders.computeIfAbsent(worker, reader::slot).snapshot();
            return Optional.of(new PublishedState(snapshot.version(), snapshot.ageMillis()));
        } catch (RuntimeException | InternalError e) {
            // A worker scribbled on the file (or truncated it): tend ps still lists the workers, without their published state
            // (tend get says what is wrong with the file).
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        publishers.values().forEach(Publisher::close);
        reader.close();
        file.close();
    }
}
