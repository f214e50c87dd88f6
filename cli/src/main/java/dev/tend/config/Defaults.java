package dev.tend.config;

import dev.tend.config.ConfigDraft.Worker;
import dev.tend.state.StateFileLayout;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The second stage of loading: fills in what a {@link ConfigDraft} leaves out. A pool or lazy declaration
 * takes each setting it does not write from the top level, and the top level from the built-in values
 * below; {@code [env]} tables merge, the pool's own variables winning.
 *
 * <p>A worker setting written with a value that was refused is not replaced by the top level's or the
 * built-in one: its error is already reported, and a stand-in would only lead validation to report
 * conflicts with a value nobody wrote. No I/O.
 */
final class Defaults {
    static final Duration GRACE = Duration.ofSeconds(5);
    /** The stop signal goes with the end of input, as it always did: setting one says EOF alone does not stop it. */
    static final Duration STOP_SIGNAL_AFTER = Duration.ZERO;
    static final Duration BACKOFF_MIN = Duration.ofMillis(100);
    static final Duration BACKOFF_MAX = Duration.ofSeconds(30);
    static final int MAX_FAILURES = 6;
    static final RestartPolicy RESTART = RestartPolicy.ON_FAILURE;
    static final ReadyMode READY = ReadyMode.SPAWNED;
    /** Long enough for a command that is not found, or a program that refuses its arguments, to have ended. */
    static final Duration START_WINDOW = Duration.ofMillis(500);
    static final Count COUNT = new Count.Fixed(1);
    static final int LAZY_MAX = 16;
    static final long MAX_SNAPSHOT = StateFileLayout.DEFAULT_MAX_SNAPSHOT;

    private Defaults() {}

    static ConfigDraft apply(ConfigDraft draft) {
        Worker top = draft.defaults();
        Worker builtIn = new Worker(top.where(), Optional.empty(), Optional.empty(), Map.of(), Optional.of(RESTART),
                Optional.of(BACKOFF_MIN), Optional.of(BACKOFF_MAX), Optional.of(MAX_FAILURES), Optional.of(GRACE),
                Optional.empty(), Optional.of(READY), Optional.of(START_WINDOW), List.of(), Optional.empty(),
                Optional.of(STOP_SIGNAL_AFTER));
        Worker topWithDefaults = over(top, builtIn);
        List<ConfigDraft.Pool> pools = draft.pools().stream()
                .map(p -> new ConfigDraft.Pool(p.name(), Optional.of(p.count().orElse(COUNT)),
                        over(p.worker(), topWithDefaults)))
                .toList();
        List<ConfigDraft.Lazy> lazy = draft.lazy().stream()
                .map(l -> new ConfigDraft.Lazy(l.name(), l.pattern(), Optional.of(l.max().orElse(LAZY_MAX)),
                        over(l.worker(), topWithDefaults)))
                .toList();
        return new ConfigDraft(draft.file(), draft.top(), draft.name(), Optional.of(draft.failFast().orElse(false)),
                topWithDefaults, pools, lazy, Optional.of(draft.maxSnapshotBytes().orElse(MAX_SNAPSHOT)));
    }

    /** {@code own}'s settings, each one it does not write taken from {@code fallback}. */
    private static Worker over(Worker own, Worker fallback) {
        Map<String, String> env = new HashMap<>(fallback.env());
        env.putAll(own.env());
        return new Worker(own.where(), own.command(), own.cwd(), env,
                pick(own, fallback, "restart", Worker::restart),
                pick(own, fallback, "backoff_min", Worker::backoffMin),
                pick(own, fallback, "backoff_max", Worker::backoffMax),
                pick(own, fallback, "max_failures", Worker::maxFailures),
                pick(own, fallback, "grace", Worker::grace),
                pick(own, fallback, "stop_signal", Worker::stopSignal),
                pick(own, fallback, "ready", Worker::ready),
                pick(own, fallback, "start_window", Worker::startWindow), own.dependsOn(), own.health(),
                pick(own, fallback, "stop_signal_after", Worker::stopSignalAfter));
    }

    private static <T> Optional<T> pick(Worker own, Worker fallback, String key, Function<Worker, Optional<T>> setting) {
        return own.where().has(key) ? setting.apply(own) : setting.apply(fallback);
    }
}
