package dev.tend.engine;

import dev.tend.config.WatchSettings;
import dev.tend.os.Reactor;
import dev.tend.os.WatchLimitException;
import dev.tend.text.Human;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Restarts one pool when its watched files change: a change arms a timer of the pool's debounce, which every
 * further change re-arms, so a burst of saves is one restart. The restart is a rolling one (each worker ready
 * again before the next is stopped), so the pool keeps serving. Changes during a restart queue one more, started
 * after a debounce once it is over, never more. Loop thread only.
 */
final class PoolWatch implements AutoCloseable {
    private final Supervisor supervisor;
    private final String pool;
    private final WatchSettings settings;
    private final WatchedTree tree;
    private Reactor.Timer debounce;
    /** What changed since the last restart began, in order; told in the restart's notice. */
    private final Set<String> changes = new LinkedHashSet<>();
    private boolean restarting;
    private boolean queued;
    private boolean closed;

    private PoolWatch(Supervisor supervisor, String pool, WatchSettings settings) {
        this.supervisor = supervisor;
        this.pool = pool;
        this.settings = settings;
        this.tree = WatchedTree.open(supervisor.reactor(), settings, this::changed,
                text -> supervisor.emitError(pool + ": " + text + "; changes there are not seen"));
    }

    /**
     * Watches a pool's files.
     *
     * @throws WatchLimitException when the kernel's limit on inotify watches or instances is reached.
     */
    static PoolWatch open(Supervisor supervisor, String pool, WatchSettings settings) {
        return new PoolWatch(supervisor, pool, settings);
    }

    /** The settings it watches with. */
    WatchSettings settings() {
        return settings;
    }

    /** The watched tree, for what it could not watch. */
    WatchedTree tree() {
        return tree;
    }

    private void changed(String what) {
        if (closed) {
            return;
        }
        changes.add(what);
        if (restarting) {
            queued = true;
            return;
        }
        arm();
    }

    private void arm() {
        if (debounce != null) {
            debounce.cancel();
        }
        debounce = supervisor.reactor().schedule(settings.debounce().toNanos(), TimeUnit.NANOSECONDS, this::restart);
    }

    private void restart() {
        debounce = null;
        if (closed || supervisor.stopping()) {
            return;
        }
        String what = describe(changes);
        changes.clear();
        List<Worker> members = supervisor.poolWorkers(pool);
        members.removeIf(w -> w.retiring);
        members.sort(Comparator.comparingInt(w -> w.spec.instance()));
        if (members.isEmpty()) {
            return;
        }
        restarting = true;
        supervisor.emitNotice(pool + ": " + what + "; restarting " + (members.size() == 1 ? members.get(0).name()
                : "its " + members.size() + " workers one at a time"));
        long began = supervisor.reactor().nanoTime();
        RollingRestart.run(supervisor, supervisor.operations(), members, w -> w.spec, true, outcome -> {
            restarting = false;
            if (outcome.ok()) {
                supervisor.emitNotice(pool + ": restarted after the change, in "
                        + Human.duration(Duration.ofNanos(supervisor.reactor().nanoTime() - began)));
            } else {
                int left = outcome.left().size();
                supervisor.emitError(pool + ": " + outcome.notReady().name() + " did not become ready after the change ("
                        + outcome.why().message() + ")" + (left == 0 ? "" : "; " + left + " more worker"
                        + (left == 1 ? "" : "s") + " not restarted") + "; the next change restarts the pool again");
            }
            if (queued && !closed) {
                queued = false;
                arm();
            }
        });
    }

    private static String describe(Set<String> changes) {
        if (changes.isEmpty() || changes.contains(WatchedTree.LOST)) {
            return WatchedTree.LOST;
        }
        String first = changes.iterator().next();
        int more = changes.size() - 1;
        return first + (more == 0 ? "" : " and " + more + " more file" + (more == 1 ? "" : "s")) + " changed";
    }

    /** Stops watching; a restart under way goes on to its end. */
    @Override
    public void close() {
        closed = true;
        if (debounce != null) {
            debounce.cancel();
            debounce = null;
        }
        tree.close();
    }
}
