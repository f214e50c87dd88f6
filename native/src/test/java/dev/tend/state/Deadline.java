package dev.tend.state;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Bounded, event-driven waiting for tests: polls a condition until it holds or the deadline passes. */
public final class Deadline {
    private Deadline() {}

    /** Polls {@code condition} (spinning briefly, then every 0.2 ms) until true; fails after {@code timeout}. */
    public static void await(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int spins = 0;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            if (++spins > 1000) {
                LockSupport.parkNanos(200_000);
            } else {
                Thread.onSpinWait();
            }
        }
    }
}
