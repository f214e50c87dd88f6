package dev.tend.engine;

import dev.tend.config.PoolConfig;
import dev.tend.config.WatchSettings;
import dev.tend.os.NativeException;
import dev.tend.os.WatchLimitException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tend up --watch}: every pool that declares {@code watch} is restarted, one worker at a time, when its
 * files change ({@link PoolWatch}). A reload watches what the new configuration says (the mode stays on); a pool
 * whose watch settings did not change keeps its watches, unless some directory it starts from was missing. Stops
 * watching when tend begins to stop. Loop thread only, once created.
 */
public final class CodeWatch implements SupervisorListener, AutoCloseable {
    /** The kernel's limit on inotify watches or instances is reached: {@code tend up --watch} cannot start. */
    public static final class CannotWatch extends Exception {
        private static final long serialVersionUID = 1L;

        CannotWatch(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Supervisor supervisor;
    private final Map<String, PoolWatch> pools = new LinkedHashMap<>();
    private boolean closed;

    private CodeWatch(Supervisor supervisor) {
        this.supervisor = supervisor;
    }

    /**
     * Watches the files of every pool of the supervisor's configuration that declares {@code watch}, and follows
     * its reloads. Call before the supervisor starts, on the thread that will run the loop.
     *
     * @throws CannotWatch when the kernel's limit is reached: nothing is watched.
     */
    public static CodeWatch start(Supervisor supervisor) throws CannotWatch {
        CodeWatch watch = new CodeWatch(supervisor);
        try {
            watch.sync(true);
        } catch (WatchLimitException e) {
            watch.close();
            throw new CannotWatch(e.getMessage() + "; or watch fewer directories (narrow watch, or list what need not"
                    + " be watched in watch_ignore), or run without --watch", e);
        }
        supervisor.addListener(watch);
        return watch;
    }

    /** The pools watched now. */
    public List<String> pools() {
        return List.copyOf(pools.keySet());
    }

    @Override
    public void reloaded() {
        if (!closed && !supervisor.stopping()) {
            sync(false);
        }
    }

    @Override
    public void stopping() {
        close();
    }

    /** Brings the watched pools in line with the configuration; {@code strict}: a reached limit throws. */
    private void sync(boolean strict) {
        Map<String, WatchSettings> wanted = new LinkedHashMap<>();
        for (PoolConfig pool : supervisor.config().pools().values()) {
            if (pool.worker().watch().enabled()) {
                wanted.put(pool.name(), pool.worker().watch());
            }
        }
        for (String pool : new ArrayList<>(pools.keySet())) {
            PoolWatch current = pools.get(pool);
            // One whose starting directories were missing looks again: they may exist now.
            if (!current.settings().equals(wanted.get(pool)) || !current.tree().missing().isEmpty()) {
                pools.remove(pool).close();
            }
        }
        wanted.forEach((pool, settings) -> {
            if (pools.containsKey(pool)) {
                return;
            }
            PoolWatch watch;
            try {
                watch = PoolWatch.open(supervisor, pool, settings);
            } catch (WatchLimitException e) {
                if (strict) {
                    throw e;
                }
                supervisor.emitError(pool + ": not watched: " + e.getMessage());
                return;
            } catch (NativeException e) {
                supervisor.emitError(pool + ": not watched: " + e.getMessage());
                return;
            }
            pools.put(pool, watch);
            for (Path missing : watch.tree().missing()) {
                supervisor.emitWarning(pool + ": watch: " + missing + " does not exist, so it is not watched; create it,"
                        + " then reload (tend reload)");
            }
            supervisor.emitNotice(pool + ": watching " + watch.tree().size() + " director"
                    + (watch.tree().size() == 1 ? "y" : "ies") + " for changes (" + describe(settings) + ")");
        });
    }

    private static String describe(WatchSettings settings) {
        return String.join(", ", settings.watch().stream().map(Object::toString).toList())
                + (settings.ignore().isEmpty() ? "" : "; ignoring " + String.join(", ",
                settings.ignore().stream().map(Object::toString).toList()));
    }

    /** Stops every watch. Idempotent. */
    @Override
    public void close() {
        closed = true;
        pools.values().forEach(PoolWatch::close);
        pools.clear();
    }
}
