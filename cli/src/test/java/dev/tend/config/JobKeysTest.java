package dev.tend.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tend.testing.ConfigFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keys that make a pool a scheduled job, read from a real file: their values, defaults and errors. */
class JobKeysTest {
    @TempDir
    Path dir;

    private List<String> errors(String toml) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFiles.load(dir, toml));
        return e.errors().stream().map(ConfigError::toString).collect(Collectors.toList());
    }

    private String where(int line, String key) {
        return dir.resolve("tend.toml") + ":" + line + ": " + key + ": ";
    }

    @Test
    void shouldReadScheduleEveryTimezoneAndOverlap() throws Exception {
        Config c = ConfigFiles.load(dir, """
                [pool.report]
                command = ["true"]
                schedule = "30 2 * * MON-FRI"
                timezone = "Europe/Berlin"
                overlap = "replace"
                [pool.cleanup]
                command = ["true"]
                every = "10s"
                [pool.web]
                command = ["cat"]
                """);
        JobSettings report = c.pools().get("report").worker().job().orElseThrow();
        assertEquals(new JobSettings(new JobSettings.Cron(CronSchedule.parse("30 2 * * MON-FRI"),
                ZoneId.of("Europe/Berlin")), JobSettings.Overlap.REPLACE), report);
        assertEquals(new JobSettings(new JobSettings.Every(Duration.ofSeconds(10)), JobSettings.Overlap.SKIP),
                c.pools().get("cleanup").worker().job().orElseThrow(), "overlap skips by default");
        assertEquals(Optional.empty(), c.pools().get("web").worker().job(), "a pool without them runs continuously");
        assertEquals(ZoneId.systemDefault(), ((JobSettings.Cron) ConfigFiles.load(dir, """
                [pool.report]
                command = ["true"]
                schedule = "@daily"
                """).pools().get("report").worker().job().orElseThrow().when()).zone(), "the local zone by default");
    }

    @Test
    void shouldSayWhichFieldOfABadScheduleIsWrong() {
        assertEquals(List.of(where(3, "pool.report.schedule") + "\"61 2 * * *\": minute field \"61\": 61 is out of range;"
                + " minute takes 0-59, *, lists (a,b), ranges (a-b) and steps (*/n, a-b/n)"), errors("""
                [pool.report]
                command = ["true"]
                schedule = "61 2 * * *"
                """));
        assertEquals(List.of(where(3, "pool.report.schedule") + "\"0 2 * *\": has 4 fields; write five: minute hour"
                + " day-of-month month day-of-week, e.g. \"*/5 * * * *\" (or an alias such as @hourly)"), errors("""
                [pool.report]
                command = ["true"]
                schedule = "0 2 * *"
                """));
    }

    @Test
    void shouldRefuseWhatAJobCannotBe() {
        assertEquals(List.of(where(4, "pool.job.timezone") + "unknown time zone \"Europe/Paris2\"; use an IANA name such"
                + " as \"Europe/Berlin\", \"America/New_York\" or \"UTC\""), errors("""
                [pool.job]
                command = ["true"]
                schedule = "@hourly"
                timezone = "Europe/Paris2"
                """));
        assertEquals(List.of(where(4, "pool.job.every") + "a pool runs on schedule or every, not both; keep one (or make"
                + " two pools)"), errors("""
                [pool.job]
                command = ["true"]
                schedule = "@hourly"
                every = "1h"
                """));
        assertEquals(List.of(where(3, "pool.job.every") + "must be at least 1s (got 500ms): each run is a new process"),
                errors("""
                [pool.job]
                command = ["true"]
                every = "500ms"
                """));
        assertEquals(List.of(where(4, "pool.job.overlap") + "unknown value \"wait\"; use \"skip\" (the default),"
                + " \"queue\" or \"replace\""), errors("""
                [pool.job]
                command = ["true"]
                every = "10s"
                overlap = "wait"
                """));
        assertEquals(List.of(where(3, "pool.job.overlap") + "only a scheduled pool takes overlap: add schedule = \"CRON\""
                + " or every = \"10s\", or remove it"), errors("""
                [pool.job]
                command = ["true"]
                overlap = "queue"
                """));
        assertEquals(List.of(where(3, "pool.job.count") + "a scheduled pool (schedule or every) runs one process per run:"
                + " count must be 1 (got 2); for jobs that run side by side, declare a pool each"), errors("""
                [pool.job]
                command = ["true"]
                count = 2
                every = "10s"
                """));
    }

    @Test
    void shouldTellTheSeedCaseToUseEveryInsteadOfRestart() {
        assertEquals(List.of(where(3, "pool.job.restart") + "a scheduled pool is not restarted: each run ends and the next"
                + " starts at its time (a failed run is reported, never retried); remove restart"), errors("""
                [pool.job]
                command = ["true"]
                restart = "always"
                every = "10s"
                """));
    }
}
