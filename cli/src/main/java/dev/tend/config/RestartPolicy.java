package dev.tend.config;

/** When a worker that ended is started again. */
public enum RestartPolicy {
    /** Replace it after a non-zero exit or a signal; exit 0 means its job is done. */
    ON_FAILURE("on-failure"),
    /** Replace it whatever the exit. */
    ALWAYS("always"),
    /** Never replace it. */
    NEVER("never");

    private final String configName;

    RestartPolicy(String configName) {
        this.configName = configName;
    }

    /** The spelling used in {@code tend.toml}. */
    public String configName() {
        return configName;
    }

    /** Parses the config spelling; null when unknown. */
    public static RestartPolicy parse(String text) {
        for (RestartPolicy p : values()) {
            if (p.configName.equals(text)) {
                return p;
            }
        }
        return null;
    }
}
