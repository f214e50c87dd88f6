package dev.tend.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Recent output of every source (each worker, and tend itself) and the followers of {@code tend logs -f}.
 * Tails outlive their worker until it is removed, so the output of a worker that just failed stays
 * available. Loop thread only.
 */
final class LogBook {
    private final Map<String, OutputTail> tails = new LinkedHashMap<>();
    private final List<Follower> followers = new ArrayList<>();

    private record Follower(Predicate<LogLine> filter, Consumer<LogLine> sink) {}

    OutputTail tail(String source) {
        return tails.computeIfAbsent(source, s -> new OutputTail());
    }

    void forget(String source) {
        tails.remove(source);
    }

    void add(LogLine line) {
        tail(line.source()).add(line);
        for (Follower f : followers) {
            if (f.filter.test(line)) {
                f.sink.accept(line);
            }
        }
    }

    /** The last {@code limit} lines of the sources that {@code filter} accepts, oldest first. */
    List<LogLine> recent(Predicate<LogLine> filter, int limit) {
        List<LogLine> all = new ArrayList<>();
        for (OutputTail tail : tails.values()) {
            for (LogLine line : tail.lines()) {
                if (filter.test(line)) {
                    all.add(line);
                }
            }
        }
        all.sort(Comparator.comparingLong(LogLine::sequence));
        return all.size() <= limit ? all : new ArrayList<>(all.subList(all.size() - limit, all.size()));
    }

    /** Sends every future line that {@code filter} accepts to {@code sink}; returns the unsubscribe action. */
    Runnable follow(Predicate<LogLine> filter, Consumer<LogLine> sink) {
        Follower f = new Follower(filter, sink);
        followers.add(f);
        return () -> followers.remove(f);
    }
}
