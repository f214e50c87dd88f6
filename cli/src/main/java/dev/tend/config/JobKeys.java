package dev.tend.config;

import dev.tend.text.Human;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the keys that make a pool a scheduled job ({@code schedule}, {@code timezone}, {@code every},
 * {@code overlap}) into {@link JobSettings}. Problems are reported at their key. No I/O beyond the zone tend runs
 * in, the default of {@code timezone}.
 */
final class JobKeys {
    /** Keys a pool may write (not the top level: a schedule is never a default for every pool). */
    static final Set<String> KEYS = Set.of("schedule", "timezone", "every", "overlap");
    /** The shortest {@code every}: a job is a process per run, not a busy loop. */
    static final Duration SHORTEST_EVERY = Duration.ofSeconds(1);

    private JobKeys() {}

    /** The job settings of a pool; empty when it is not a job, or when a key is wrong (then reported). */
    static Optional<JobSettings> read(Section s) {
        boolean cron = s.has("schedule");
        boolean every = s.has("every");
        if (!cron && !every) {
            for (String key : Set.of("timezone", "overlap")) {
                if (s.has(key)) {
                    s.error(key, "only a scheduled pool takes " + key + ": add schedule = \"CRON\" or every = \"10s\","
                            + " or remove it");
                }
            }
            return Optional.empty();
        }
        if (cron && every) {
            s.error("every", "a pool runs on schedule or every, not both; keep one (or make two pools)");
            return Optional.empty();
        }
        if (s.has("restart")) {
            s.error("restart", "a scheduled pool is not restarted: each run ends and the next starts at its time (a"
                    + " failed run is reported, never retried); remove restart");
        }
        JobSettings.Overlap overlap = JobSettings.Overlap.SKIP;
        String overlapText = s.string("overlap");
        if (overlapText != null) {
            overlap = JobSettings.Overlap.parse(overlapText);
            if (overlap == null) {
                s.error("overlap", "unknown value \"" + overlapText + "\"; use \"skip\" (the default), \"queue\" or"
                        + " \"replace\"");
                return Optional.empty();
            }
        }
        JobSettings.Overlap chosen = overlap;
        Optional<JobSettings.When> when = cron ? cron(s) : every(s);
        return when.map(w -> new JobSettings(w, chosen));
    }

    private static Optional<JobSettings.When> cron(Section s) {
        Optional<ZoneId> zone = zone(s);
        String text = s.string("schedule");
        if (text == null) {
            return Optional.empty();
        }
        try {
            CronSchedule schedule = CronSchedule.parse(text);
            return zone.map(z -> new JobSettings.Cron(schedule, z));
        } catch (CronSchedule.Invalid e) {
            s.error("schedule", "\"" + text + "\": " + e.getMessage());
            return Optional.empty();
        }
    }

    private static Optional<ZoneId> zone(Section s) {
        String text = s.string("timezone");
        if (text == null) {
            return s.has("timezone") ? Optional.empty() : Optional.of(ZoneId.systemDefault());
        }
        try {
            return Optional.of(ZoneId.of(text));
        } catch (DateTimeException e) {
            s.error("timezone", "unknown time zone \"" + text + "\"; use an IANA name such as \"Europe/Berlin\","
                    + " \"America/New_York\" or \"UTC\"");
            return Optional.empty();
        }
    }

    private static Optional<JobSettings.When> every(Section s) {
        if (s.has("timezone")) {
            s.error("timezone", "every counts an interval, not clock times: timezone only applies to schedule; remove it");
        }
        Duration interval = s.duration("every");
        if (interval == null) {
            return Optional.empty();
        }
        if (interval.compareTo(SHORTEST_EVERY) < 0) {
            s.error("every", "must be at least " + Human.duration(SHORTEST_EVERY) + " (got " + Human.duration(interval)
                    + "): each run is a new process");
            return Optional.empty();
        }
        return Optional.of(new JobSettings.Every(interval));
    }
}
