package dev.tend.instance;

import dev.tend.config.ReadyMode;
import dev.tend.engine.LogLine;
import dev.tend.engine.Supervisor;
import dev.tend.engine.SupervisorListener;
import dev.tend.engine.WorkerSpec;
import dev.tend.os.Interest;
import dev.tend.os.NativeException;
import dev.tend.os.NotifyMessage;
import dev.tend.os.NotifySocket;
import dev.tend.os.Reactor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Gives each worker with {@code ready = "notify"} a {@code NOTIFY_SOCKET} of its own: {@code READY=1} on it
 * makes the worker ready, {@code STATUS=} is shown by {@code tend ps}. The socket belongs to the worker, so a
 * message counts whichever of its processes sent it ({@code systemd-notify} run by a shell worker reports its
 * parent's pid, or its own): no pid has to match.
 *
 * <p>A socket lives as long as its worker and keeps its path across restarts. Datagrams still queued when a
 * new process starts were sent by the previous one and are discarded, so a late {@code READY=1} of a dead
 * process never makes its successor ready.
 */
final class WorkerNotifySockets implements SupervisorListener, AutoCloseable {
    private final Supervisor supervisor;
    private final Reactor reactor;
    private final Path directory;
    private final Map<String, Entry> sockets = new HashMap<>();
    private int sequence;

    private record Entry(NotifySocket socket, Reactor.Registration watch) {}

    WorkerNotifySockets(Supervisor supervisor, Reactor reactor, Path directory) {
        this.supervisor = supervisor;
        this.reactor = reactor;
        this.directory = directory;
    }

    @Override
    public Map<String, String> spawning(WorkerSpec worker) {
        if (worker.settings().ready() != ReadyMode.NOTIFY) {
            return Map.of();
        }
        Entry entry = sockets.get(worker.name());
        if (entry == null) {
            entry = open(worker.name());
        } else {
            discardQueued(entry.socket());
        }
        return Map.of("NOTIFY_SOCKET", entry.socket().address());
    }

    private Entry open(String worker) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + directory + ": " + e.getMessage(), e);
        }
        // Short file names: a socket path holds at most 107 bytes, and worker names can be long.
        Path path = directory.resolve(++sequence + ".sock");
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new IllegalStateException("cannot remove stale " + path + ": " + e.getMessage(), e);
        }
        NotifySocket socket = NotifySocket.bind(path);
        Reactor.Registration watch = reactor.register(socket.fd(), Interest.READ, events -> receive(worker, socket));
        Entry entry = new Entry(socket, watch);
        sockets.put(worker, entry);
        return entry;
    }

    private void receive(String worker, NotifySocket socket) {
        Optional<NotifyMessage> message;
        while ((message = socket.receive()).isPresent()) {
            NotifyMessage m = message.get();
            if (m.truncated()) {
                supervisor.announce(LogLine.Channel.WARNING, worker + " sent a notify message longer than "
                        + NotifySocket.MAX_MESSAGE_BYTES + " bytes; ignored");
                continue;
            }
            m.status().ifPresent(text -> supervisor.workerStatusText(worker, text));
            if (m.isReady()) {
                supervisor.workerReady(worker);
            }
        }
    }

    private static void discardQueued(NotifySocket socket) {
        try {
            while (socket.receive().isPresent()) {
                // sent by the previous process of this worker
            }
        } catch (NativeException e) {
            // nothing queued that matters
        }
    }

    @Override
    public void workerRemoved(String name) {
        Entry entry = sockets.remove(name);
        if (entry != null) {
            entry.watch().cancel();
            entry.socket().close();
        }
    }

    @Override
    public void close() {
        for (Entry entry : sockets.values()) {
            entry.watch().cancel();
            entry.socket().close();
        }
        sockets.clear();
    }
}
