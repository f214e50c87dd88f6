package dev.tend.engine;

import dev.tend.os.Reactor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Requests waiting for workers to reach some state: each waiter's condition is checked again after every
 * worker transition, and it runs once when the condition holds (or its deadline passes). Loop thread only.
 */
final class Waiters {
    private final Reactor reactor;
    private final List<Waiter> waiting = new ArrayList<>();

    Waiters(Reactor reactor) {
        this.reactor = reactor;
    }

    private static final class Waiter {
        final BooleanSupplier condition;
        final Runnable then;
        Reactor.Timer deadline;
        boolean done;

        Waiter(BooleanSupplier condition, Runnable then) {
            this.condition = condition;
            this.then = then;
        }
    }

    /** Runs {@code then} once {@code condition} holds (possibly right away). */
    void when(BooleanSupplier condition, Runnable then) {
        when(condition, then, 0, null);
    }

    /**
     * Runs {@code then} once {@code condition} holds, or {@code onTimeout} if it still does not after
     * {@code timeoutNanos} (when positive). Exactly one of the two runs.
     */
    void when(BooleanSupplier condition, Runnable then, long timeoutNanos, Runnable onTimeout) {
        Waiter w = new Waiter(condition, then);
        if (condition.getAsBoolean()) {
            then.run();
            return;
        }
        waiting.add(w);
        if (timeoutNanos > 0) {
            w.deadline = reactor.schedule(timeoutNanos, TimeUnit.NANOSECONDS, () -> {
                if (!w.done) {
                    w.done = true;
                    waiting.remove(w);
                    onTimeout.run();
                }
            });
        }
    }

    /** Checks every waiting condition; called after each transition. */
    void check() {
        if (waiting.isEmpty()) {
            return;
        }
        for (Waiter w : new ArrayList<>(waiting)) {
            if (!w.done && w.condition.getAsBoolean()) {
                w.done = true;
                waiting.remove(w);
                if (w.deadline != null) {
                    w.deadline.cancel();
                }
                w.then.run();
            }
        }
    }
}
