package dev.tend.logfile;

import dev.tend.config.Config;
import dev.tend.config.LazyConfig;
import dev.tend.config.LogSettings;
import dev.tend.config.PoolConfig;
import dev.tend.engine.LogLine;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which log file each line goes to, from the configuration in force: a worker's pool (or lazy declaration)
 * and its {@code log_file} with the placeholders filled in. tend's own messages have no file. Loop thread only.
 */
public final class LogRouting {
    private static final Optional<LogTarget> NONE = Optional.empty();
    /** Lazily started workers come and go under any name: the routes worked out are forgotten past this many. */
    private static final int MOST_KNOWN = 4096;

    private Config config;
    // Per source: its stdout's target and its stderr's. Worked out at a source's first line, until a reload.
    private final Map<String, Optional<LogTarget>[]> known = new HashMap<>();

    /** The configuration in force: forgets every route worked out under the previous one. */
    public void configure(Config next) {
        config = next;
        known.clear();
    }

    public Optional<LogTarget> target(LogLine line) {
        return target(line.source(), line.channel());
    }

    public Optional<LogTarget> target(String source, LogLine.Channel channel) {
        if (config == null || channel.fromTend()) {
            return NONE;
        }
        Optional<LogTarget>[] routes = known.get(source);
        if (routes == null) {
            if (known.size() >= MOST_KNOWN) {
                known.clear();
            }
            routes = routes(source);
            known.put(source, routes);
        }
        return routes[channel == LogLine.Channel.STDERR ? 1 : 0];
    }

    @SuppressWarnings("unchecked")
    private Optional<LogTarget>[] routes(String source) {
        Optional<LogTarget>[] routes = new Optional[] {NONE, NONE};
        String group = null;
        LogSettings settings = null;
        int dot = source.lastIndexOf('.');
        // POOL.N; a lazy worker's name may hold dots too, but not end in a number after a pool's name.
        PoolConfig pool = dot > 0 && dot < source.length() - 1 && source.substring(dot + 1).chars().allMatch(Character::isDigit)
                ? config.pools().get(source.substring(0, dot)) : null;
        if (pool != null) {
            group = pool.name();
            settings = pool.worker().log();
        } else {
            for (LazyConfig lazy : config.lazy().values()) {
                if (lazy.matches(source)) {
                    group = lazy.name();
                    settings = lazy.worker().log();
                    break;
                }
            }
        }
        if (settings == null || settings.file().isEmpty()) {
            return routes;
        }
        String template = settings.file().get().replace(LogSettings.POOL, group).replace(LogSettings.WORKER, source);
        routes[0] = Optional.of(new LogTarget(Path.of(template.replace(LogSettings.STREAM, "stdout")), settings.maxSize(),
                settings.keep()));
        routes[1] = Optional.of(new LogTarget(Path.of(template.replace(LogSettings.STREAM, "stderr")), settings.maxSize(),
                settings.keep()));
        return routes;
    }
}
