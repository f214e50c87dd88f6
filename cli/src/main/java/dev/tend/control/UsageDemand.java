package dev.tend.control;

import java.time.Duration;

/**
 * INTEGRATION HOOK for the usage sampler: asks for CPU and RSS figures to be kept fresh while someone watches.
 * A {@code subscribe} client demands a refresh every second for as long as it is connected; the sampler fills
 * {@code WorkerEntry.usage()} and {@code InstanceStatus.usage()}, which the status sent to it then carries. Until
 * a sampler is connected ({@link #NONE}), the figures stay empty and views show {@code -}.
 */
@FunctionalInterface
public interface UsageDemand {
    /** Demands nothing: no sampler is connected. */
    UsageDemand NONE = period -> () -> { };

    /** Keeps usage sampled at least every {@code period} until the returned registration is closed. Loop thread. */
    Registration demand(Duration period);

    /** One demand; closing it withdraws it. */
    @FunctionalInterface
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
