package dev.tend.config;

import dev.tend.text.Human;
import java.time.Duration;
import java.time.ZoneId;

/**
 * When a scheduled pool (a job) runs: {@code schedule} (cron, read in {@code timezone}) or {@code every} (a fixed
 * interval), and what happens when a run is due while the last one still runs. A job runs one process per run;
 * between runs it has none.
 *
 * @param when    the cron expression or the interval.
 * @param overlap what a run that falls due while the last still runs does.
 */
public record JobSettings(When when, Overlap overlap) {
    /** For {@code tend check}: {@code every 10s} or {@code at "0 3 * * *" (Europe/Berlin)}, then the overlap rule. */
    public String describe() {
        String times = when instanceof Cron c ? "at \"" + c.schedule() + "\" (" + c.zone() + ")"
                : "every " + Human.duration(((Every) when).interval());
        return times + ", overlap " + overlap.configName();
    }

    /** The times a job runs at. */
    public sealed interface When permits Cron, Every {}

    /**
     * {@code schedule}: the times a cron expression names, in a zone's local time.
     *
     * @param schedule the expression.
     * @param zone     {@code timezone}, or the zone tend runs in.
     */
    public record Cron(CronSchedule schedule, ZoneId zone) implements When {}

    /**
     * {@code every}: a fixed interval from one planned start to the next, measured on the monotonic clock.
     *
     * @param interval at least one second.
     */
    public record Every(Duration interval) implements When {}

    /** What a run that falls due while the last one still runs does. */
    public enum Overlap {
        /** It is skipped: the next one is planned as usual. */
        SKIP("skip"),
        /** It starts as soon as the last one has ended (at most one waits). */
        QUEUE("queue"),
        /** The last one is stopped the graceful way (EOF, grace, kill), then it starts. */
        REPLACE("replace");

        private final String configName;

        Overlap(String configName) {
            this.configName = configName;
        }

        /** The spelling used in {@code tend.toml}. */
        public String configName() {
            return configName;
        }

        /** Parses the config spelling; null when unknown. */
        static Overlap parse(String text) {
            for (Overlap o : values()) {
                if (o.configName.equals(text)) {
                    return o;
                }
            }
            return null;
        }
    }
}
