package dev.tend.control;

import dev.tend.engine.SupervisorListener;
import dev.tend.engine.UsageSampler;
import dev.tend.engine.WorkerStatus;
import dev.tend.os.Reactor;
import dev.tend.protocol.InstanceStatus;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The {@code subscribe} operation: streams the instance's status to each subscriber, the whole status first and
 * then again whenever something a view shows changed. Pushed, never polled for the workers' states: a change the
 * engine reports arms one timer per subscriber, so that a burst of changes costs at most one message per
 * {@link #MIN_INTERVAL}; with nothing changing, the only timer is the usage sampler's, which subscribers keep at
 * once a second ({@link #USAGE_INTERVAL}, one timer for all of them): after each sample a feed sends nothing unless
 * the status differs from the last one sent (ages and uptimes aside, which the client counts on from the moment it
 * received them).
 *
 * <p>A subscriber that stops reading is not waited for: its connection drops it once 8 MiB are pending
 * ({@link ControlServer#MAX_PENDING_OUTPUT_BYTES}), and as messages are at most ten a second, a view that
 * reads at all keeps up. Loop thread only.
 */
final class StatusFeeds implements SupervisorListener {
    /** The shortest time between two messages to one subscriber. */
    static final Duration MIN_INTERVAL = Duration.ofMillis(100);
    /** How often CPU and memory are refreshed while someone is subscribed. */
    static final Duration USAGE_INTERVAL = Duration.ofSeconds(1);

    private final Reactor reactor;
    private final Supplier<InstanceStatus> status;
    private final UsageSampler usage;
    private final Set<Feed> feeds = new LinkedHashSet<>();

    StatusFeeds(Reactor reactor, Supplier<InstanceStatus> status, UsageSampler usage) {
        this.reactor = reactor;
        this.status = status;
        this.usage = usage;
    }

    /** Sends the status to {@code reply} now and on every change, until its client goes away. */
    void subscribe(Reply reply) {
        Feed feed = new Feed(reply);
        feeds.add(feed);
        reply.onClose(feed::close);
        feed.flush();
    }

    @Override
    public void workerChanged(WorkerStatus worker) {
        changed();
    }

    @Override
    public void workerRemoved(String name) {
        changed();
    }

    @Override
    public void protocolLine(String worker, byte[] line) {
        changed();
    }

    @Override
    public void reloaded() {
        changed();
    }

    @Override
    public void stopping() {
        changed();
    }

    private void changed() {
        for (Feed feed : List.copyOf(feeds)) {
            feed.changed();
        }
    }

    /** One subscriber. */
    private final class Feed {
        private final Reply reply;
        private final UsageSampler.Registration demand;
        private InstanceStatus lastSent;
        private long lastSentNanos;
        private Reactor.Timer pending;
        private boolean closed;

        Feed(Reply reply) {
            this.reply = reply;
            // The sampler's own timer paces the refresh: after each sample, the fresh figures (and state set
            // with tend set, which tend does not watch) go out unless a change already due will carry them.
            this.demand = usage.demand(USAGE_INTERVAL, () -> {
                if (pending == null) {
                    flush();
                }
            });
        }

        void changed() {
            if (pending != null || closed) {
                return;
            }
            long wait = lastSentNanos + MIN_INTERVAL.toNanos() - reactor.nanoTime();
            pending = reactor.schedule(Math.max(0, wait), TimeUnit.NANOSECONDS, () -> {
                pending = null;
                flush();
            });
        }

        /** Sends the status if it differs from the last one sent. */
        void flush() {
            if (closed || !reply.open()) {
                return;
            }
            InstanceStatus now = status.get();
            InstanceStatus still = now.timeless();
            if (still.equals(lastSent)) {
                return;
            }
            lastSent = still;
            lastSentNanos = reactor.nanoTime();
            reply.send(now.toEventJson());
        }

        void close() {
            if (closed) {
                return;
            }
            closed = true;
            feeds.remove(this);
            if (pending != null) {
                pending.cancel();
            }
            demand.close();
        }
    }
}
