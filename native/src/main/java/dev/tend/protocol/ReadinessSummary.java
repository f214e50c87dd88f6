package dev.tend.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code tend ps --ready} says of an instance: one line ({@code 3/4 ready; not ready: web.2 (backoff)}) and
 * an exit code (0 when every worker is ready or has finished its job, 1 otherwise). The client builds it from a
 * {@code ps} reply; the daemon builds the same from its own books for the status file that the launcher answers
 * from without starting a JVM, so both print the same bytes.
 *
 * @param total   how many workers the instance has.
 * @param waiting the workers that hold readiness back, as {@code NAME (STATE)}, in {@code ps} order.
 */
public record ReadinessSummary(int total, List<String> waiting) {
    public ReadinessSummary {
        waiting = List.copyOf(waiting);
    }

    /** Collects the workers one at a time, in {@code ps} order. */
    public static final class Builder {
        private final List<String> waiting = new ArrayList<>();
        private int total;

        /** Adds a worker: {@code readyOrFinished} is whether it is ready or has finished its job. */
        public Builder add(String name, String state, boolean readyOrFinished) {
            total++;
            if (!readyOrFinished) {
                waiting.add(name + " (" + state + ")");
            }
            return this;
        }

        /** The summary of the workers added so far. */
        public ReadinessSummary build() {
            return new ReadinessSummary(total, waiting);
        }
    }

    /** The summary of a {@code ps} reply's workers. */
    public static ReadinessSummary of(List<WorkerEntry> workers) {
        Builder b = new Builder();
        for (WorkerEntry w : workers) {
            b.add(w.name(), w.state(), w.readyOrFinished());
        }
        return b.build();
    }

    /** The line printed, without its line end. */
    public String line() {
        return (total - waiting.size()) + "/" + total + " ready"
                + (waiting.isEmpty() ? "" : "; not ready: " + String.join(", ", waiting));
    }

    /** The exit code of {@code tend ps --ready}. */
    public ExitCode exitCode() {
        return waiting.isEmpty() ? ExitCode.OK : ExitCode.FAILURE;
    }
}
