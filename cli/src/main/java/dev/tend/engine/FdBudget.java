package dev.tend.engine;

import dev.tend.config.Config;
import dev.tend.config.LazyConfig;
import dev.tend.config.PoolConfig;
import dev.tend.config.ReadyMode;
import java.util.Optional;

/**
 * Whether tend's limit of open files can hold every worker a configuration may run. Each worker costs tend
 * {@link #PER_WORKER} descriptors for as long as it runs; past the limit, spawns fail with EMFILE. Said at
 * {@code tend check} and when {@code tend up} starts, with how many workers the limit holds, rather than
 * found out by the workers that cannot start.
 */
public final class FdBudget {
    /** Per worker, tend's ends of its stdin, stdout, stderr and fd-3 pipes, and its pidfd. */
    public static final int PER_WORKER = 5;
    /** A worker with {@code ready = "notify"} also has its notify socket. */
    public static final int PER_NOTIFY_WORKER = PER_WORKER + 1;
    /**
     * tend's own: the JVM's files, the loop's epoll and eventfd, the state file, the lock, the control socket
     * and its clients, and the child's ends of the pipes while one spawn is under way (about 25 measured, with
     * room for clients).
     */
    public static final int RESERVE = 64;

    private FdBudget() {}

    /** The descriptors the most workers of {@code config} take: pools at their count, lazy ones at their max. */
    public static long needed(Config config, int processors) {
        long needed = RESERVE;
        for (PoolConfig pool : config.pools().values()) {
            needed += (long) pool.count().resolve(processors) * cost(pool.worker().ready());
        }
        for (LazyConfig lazy : config.lazy().values()) {
            needed += (long) lazy.max() * cost(lazy.worker().ready());
        }
        return needed;
    }

    /** How many workers {@code limit} holds, at {@link #PER_WORKER} each. */
    public static long workersWithin(long limit) {
        return Math.max(0, (limit - RESERVE) / PER_WORKER);
    }

    /** A warning when {@code limit}, tend's soft RLIMIT_NOFILE, cannot hold every worker of {@code config}. */
    public static Optional<String> warning(Config config, int processors, long limit) {
        long needed = needed(config, processors);
        if (needed <= limit) {
            return Optional.empty();
        }
        long workers = 0;
        for (PoolConfig pool : config.pools().values()) {
            workers += pool.count().resolve(processors);
        }
        for (LazyConfig lazy : config.lazy().values()) {
            workers += lazy.max();
        }
        return Optional.of("the limit of open files (" + limit + ", ulimit -n) holds about " + workersWithin(limit)
                + " workers, but this configuration runs up to " + workers + ": tend needs " + PER_WORKER
                + " per worker (" + PER_NOTIFY_WORKER + " with ready = \"notify\") and " + RESERVE + " of its own, "
                + needed + " in all; raise the limit (ulimit -n " + roundUp(needed) + ", or LimitNOFILE= in a systemd"
                + " unit) or lower count; workers beyond it will not start (EMFILE)");
    }

    private static int cost(ReadyMode ready) {
        return ready == ReadyMode.NOTIFY ? PER_NOTIFY_WORKER : PER_WORKER;
    }

    /** A limit to suggest: the next multiple of 1024. */
    private static long roundUp(long needed) {
        return (needed + 1023) / 1024 * 1024;
    }
}
