package dev.tend.config;

/** When a started worker counts as ready. */
public enum ReadyMode {
    /** As soon as it has been spawned. */
    SPAWNED("spawned"),
    /** Once it has published its first snapshot of state. */
    PUBLISH("publish"),
    /** Once it has sent {@code READY=1} to the {@code NOTIFY_SOCKET} tend gives it (sd_notify protocol). */
    NOTIFY("notify"),
    /** Once its health probe ({@code [pool.NAME.health]}) has passed for the first time. */
    HEALTHY("healthy");

    private final String configName;

    ReadyMode(String configName) {
        this.configName = configName;
    }

    /** The spelling used in {@code tend.toml}. */
    public String configName() {
        return configName;
    }

    /** Parses the config spelling; null when unknown. */
    public static ReadyMode parse(String text) {
        for (ReadyMode m : values()) {
            if (m.configName.equals(text)) {
                return m;
            }
        }
        return null;
    }
}
