package dev.tend.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded waiting for a condition in tests: checks it until it holds or the deadline passes. */
public final class Await {
    private Await() {}

    public static void until(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            LockSupport.parkNanos(2_000_000);
        }
    }

    /** Waits until {@code value} supplies a non-null result and returns it. */
    public static <T> T value(Duration timeout, String what, Supplier<T> value) {
        Object[] box = new Object[1];
        until(timeout, what, () -> (box[0] = value.get()) != null);
        @SuppressWarnings("unchecked")
        T result = (T) box[0];
        return result;
    }
}
