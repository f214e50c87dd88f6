package dev.tend.config;

/**
 * One entry of a {@code depends_on} key: a pool that must reach a condition before the workers of the
 * table that names it are started.
 *
 * @param pool      the pool depended on.
 * @param condition what every worker of that pool must have reached.
 */
public record Dependency(String pool, Condition condition) {

    /** What a dependency must have reached. */
    public enum Condition {
        /** Each of its workers has been started (it has a process, or it finished its job). */
        STARTED("started"),
        /** Each of its workers is ready (or finished its job). */
        READY("ready"),
        /** Each of its workers exited 0 and is not replaced: a one-shot job, such as a migration, is done. */
        COMPLETED("completed");

        private final String configName;

        Condition(String configName) {
            this.configName = configName;
        }

        /** The spelling used in {@code tend.toml}. */
        public String configName() {
            return configName;
        }

        /** Parses the config spelling; null when unknown. */
        public static Condition parse(String text) {
            for (Condition c : values()) {
                if (c.configName.equals(text)) {
                    return c;
                }
            }
            return null;
        }
    }

    /** {@code db (ready)}. */
    @Override
    public String toString() {
        return pool + " (" + condition.configName() + ")";
    }
}
