package dev.tend.config;

/**
 * How many workers a pool runs: a fixed number, or a share of the processors available to tend.
 *
 * <p>{@code count} in the file and {@code tend scale POOL COUNT} are read by {@link #parse} and
 * {@link #workers}, so both accept the same forms and the same limits. They differ in one thing only, the
 * fewest workers: a pool declared in the file runs at least one ({@link #FEWEST_DECLARED}); {@code tend scale}
 * may empty a pool until the next reload or start ({@link #FEWEST_SCALED}).
 */
public sealed interface Count {
    /** The most workers one pool may run. */
    int MAX_WORKERS = 10_000;
    /** The largest share of the processors, in percent. */
    int MAX_PERCENT = 10_000;
    /** The fewest workers {@code count} in the file may give. */
    int FEWEST_DECLARED = 1;
    /** The fewest workers {@code tend scale} may ask for. */
    int FEWEST_SCALED = 0;

    /** The number of workers for {@code processors} available processors; at least 1 for a share. */
    int resolve(int processors);

    /**
     * Reads {@code "4"} or {@code "50%"} (surrounding spaces ignored).
     *
     * @param fewest {@link #FEWEST_DECLARED} or {@link #FEWEST_SCALED}.
     * @throws Invalid saying what is wrong and what to write instead.
     */
    static Count parse(String text, int fewest) {
        String t = text.trim();
        boolean share = t.endsWith("%");
        String digits = share ? t.substring(0, t.length() - 1) : t;
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new Invalid(true, "give a number of workers (" + fewest + " to " + MAX_WORKERS
                    + ") or a share of the processors such as 50%");
        }
        // Ten digits or more are out of range whatever they say, and may not fit a long.
        long n = digits.length() > 9 ? Long.MAX_VALUE : Long.parseLong(digits);
        if (!share) {
            return workers(n, fewest, digits);
        }
        if (n < 1 || n > MAX_PERCENT) {
            throw new Invalid(false, "a share of processors must be between 1% and " + MAX_PERCENT + "% (got "
                    + digits + "%)");
        }
        return new CpuShare((int) n);
    }

    /**
     * A fixed number of workers.
     *
     * @param fewest {@link #FEWEST_DECLARED} or {@link #FEWEST_SCALED}.
     * @throws Invalid when {@code n} is out of range.
     */
    static Count workers(long n, int fewest) {
        return workers(n, fewest, Long.toString(n));
    }

    private static Count workers(long n, int fewest, String asWritten) {
        if (n < fewest || n > MAX_WORKERS) {
            throw new Invalid(false, "must be between " + fewest + " and " + MAX_WORKERS + " (got " + asWritten + ")");
        }
        return new Fixed((int) n);
    }

    /** A text that is not a count, or a count out of range. */
    final class Invalid extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        private final boolean malformed;

        Invalid(boolean malformed, String message) {
            super(message);
            this.malformed = malformed;
        }

        /** True when the text has neither form (rather than a number out of range). */
        public boolean malformed() {
            return malformed;
        }
    }

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
