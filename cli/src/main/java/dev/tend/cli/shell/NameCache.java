package dev.tend.cli.shell;

import dev.tend.client.ControlClient;
import dev.tend.protocol.InstanceStatus;
import dev.tend.protocol.Request;
import dev.tend.protocol.WorkerEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The names of the instance's workers, pools and started lazy workers, for completion: asked of the daemon
 * with a ps over the control socket, kept for {@link #FRESH} so that a burst of Tabs costs one request, and
 * forgotten after every command, which may have changed them.
 */
public final class NameCache {
    /** How long an answer is used before asking again. */
    static final Duration FRESH = Duration.ofSeconds(2);
    /** A completion must not hang on a tend that does not answer. */
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    /**
     * The names in one answer.
     *
     * @param workers      every worker, lazy ones too.
     * @param pools        the pools ({@code [pool.NAME]}) that have workers.
     * @param lazy         the lazy workers started ({@code cache-eu}).
     * @param declarations the lazy declarations ({@code [lazy.NAME]}) that have started workers.
     */
    public record Names(List<String> workers, List<String> pools, List<String> lazy, List<String> declarations) {
        static final Names NONE = new Names(List.of(), List.of(), List.of(), List.of());
    }

    private final Path socket;
    private final LongSupplier clock;
    private Names names;
    private long fetchedAt;

    public NameCache(Path socket) {
        this(socket, System::nanoTime);
    }

    NameCache(Path socket, LongSupplier clock) {
        this.socket = socket;
        this.clock = clock;
    }

    /** The names, from the last answer if it is fresh; none when tend does not answer. */
    public synchronized Names get() {
        long now = clock.getAsLong();
        if (names == null || now - fetchedAt > FRESH.toNanos()) {
            names = fetch();
            fetchedAt = now;
        }
        return names;
    }

    /** Asks again at the next {@link #get}. */
    public synchronized void forget() {
        names = null;
    }

    private Names fetch() {
        try {
            return of(InstanceStatus.fromJson(ControlClient.request(socket, new Request.Ps(false).toJson(), e -> { },
                    TIMEOUT)).workers());
        } catch (IOException | RuntimeException e) {
            return Names.NONE;
        }
    }

    /**
     * The names of these workers. A lazy worker is one whose name is neither its pool's nor {@code POOL.N}: it
     * is named after its lazy declaration's pattern, and {@code require} takes it.
     */
    static Names of(List<WorkerEntry> workers) {
        List<String> names = new ArrayList<>();
        Set<String> pools = new LinkedHashSet<>();
        List<String> lazy = new ArrayList<>();
        Set<String> declarations = new LinkedHashSet<>();
        for (WorkerEntry w : workers) {
            names.add(w.name());
            boolean pooled = w.name().equals(w.pool()) || w.name().startsWith(w.pool() + ".");
            if (pooled) {
                pools.add(w.pool());
            } else {
                lazy.add(w.name());
                declarations.add(w.pool());
            }
        }
        return new Names(List.copyOf(names), List.copyOf(pools), List.copyOf(lazy), List.copyOf(declarations));
    }
}
