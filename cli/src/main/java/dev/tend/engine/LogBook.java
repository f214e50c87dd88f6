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
    /**
     * Bytes all tails keep together (beyond the newest line of each): a thousand chatty workers at 256 KiB
     * each would hold 250 MiB of old output.
     */
    static final long TOTAL_BYTES = 16L << 20;
    /** The least a tail keeps, however many sources share the budget: enough for a failure report. */
    static final long MIN_TAIL_BYTES = 8 << 10;

    private final Map<String, OutputTail> tails = new LinkedHashMap<>();
    private final List<Follower> followers = new ArrayList<>();
    private long perTail = OutputTail.MAX_BYTES;

    private record Follower(Predicate<LogLine> filter, Consumer<LogLine> sink) {}

    OutputTail tail(String source) {
        OutputTail tail = tails.get(source);
        if (tail == null) {
            tail = new OutputTail(source);
            tails.put(source, tail);
            share();
        }
        return tail;
    }

    void forget(String source) {
        if (tails.remove(source) != null) {
            share();
        }
    }

    /** Each tail's share of the budget; when it shrinks, the tails give back what they hold beyond it. */
    private void share() {
        long share = Math.max(MIN_TAIL_BYTES, Math.min(OutputTail.MAX_BYTES, TOTAL_BYTES / Math.max(1, tails.size())));
        if (share < perTail) {
            tails.values().forEach(t -> t.trim(share));
        }
        perTail = share;
    }

    long bytesPerTail() {
        return perTail;
    }

    void add(LogLine line) {
        tail(line.source()).add(line, perTail);
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
