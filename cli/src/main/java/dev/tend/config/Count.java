package dev.tend.config;

/**
 * How many workers a pool runs: a fixed number, or a share of the processors available to tend.
 */
public sealed interface Count {

    /** The number of workers for {@code processors} available processors; at least 1. */
    int resolve(int processors);

    /** {@code count = 4}. */
    record Fixed(int workers) implements Count {
        @Override
        public int resolve(int processors) {
            return workers;
        }

        @Override
        public String toString() {
            return Integer.toString(workers);
        }
    }

    /**
     * {@code count = "50%"}: the share of available processors, rounded down, at least 1. The JVM's
     * processor count already honours CPU affinity and container (cgroup) CPU limits.
     */
    record CpuShare(int percent) implements Count {
        @Override
        public int resolve(int processors) {
            return (int) Math.max(1, (long) processors * percent / 100);
        }

        @Override
        public String toString() {
            return percent + "%";
        }
    }
}
