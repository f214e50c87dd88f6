package dev.tend.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each stage of {@link ConfigLoader} on its own: what it checks, and what it leaves to the next one. */
class ConfigStagesTest {
    @TempDir
    Path dir;

    private static final String MISSING_THINGS = """
            [pool.web]
            command = ["no-such-program"]
            [pool.jobs]
            command = ["cat"]
            cwd = "no-such-dir"
            """;

    private List<String> messages(Problems problems) {
        return problems.inLineOrder().stream().map(e -> e.line() + " " + e.key() + ": " + e.message())
                .collect(Collectors.toList());
    }

    private ConfigValidator.Validated throughValidation(String text, Problems problems) throws ConfigException {
        return ConfigValidator.validate(Defaults.apply(ConfigParser.parse(text, problems)), Map.of());
    }

    @Test
    void shouldLeaveProgramsAndDirectoriesToTheFileSystemCheck() throws Exception {
        Problems problems = new Problems(dir.resolve("tend.toml"));
        ConfigValidator.Validated valid = throughValidation(MISSING_THINGS, problems);
        assertEquals(List.of(), messages(problems), "parse, defaults and validation look at no file");
        assertEquals(dir.resolve("no-such-dir"), valid.config().pools().get("jobs").worker().cwd());

        new FileSystemCheck(Map.of("PATH", "/usr/bin:/bin")).check(valid.launches());
        assertEquals(List.of("2 pool.web.command: command not found: no-such-program (searched PATH=/usr/bin:/bin)",
                "5 pool.jobs.cwd: no such directory: " + dir.resolve("no-such-dir")
                        + " (relative paths start at the configuration file's directory)"), messages(problems));
    }

    @Test
    void shouldTakeWhatAPoolLeavesOutFromTheTopLevelThenTheBuiltInValues() throws Exception {
        Problems problems = new Problems(dir.resolve("tend.toml"));
        ConfigDraft written = ConfigParser.parse("""
                grace = "2s"
                env = { A = "top", B = "top" }
                [pool.web]
                command = ["cat"]
                max_failures = 3
                env = { B = "web" }
                """, problems);
        assertEquals(List.of(), messages(problems));
        ConfigDraft.Worker asWritten = written.pools().get(0).worker();
        assertEquals(Optional.empty(), asWritten.grace());

        WorkerSettings web = ConfigValidator.validate(Defaults.apply(written), Map.of()).config().pools().get("web").worker();
        assertEquals(Duration.ofSeconds(2), web.grace());
        assertEquals(3, web.maxFailures());
        assertEquals(Defaults.BACKOFF_MAX, web.backoffMax());
        assertEquals(Map.of("A", "top", "B", "web"), web.env());
    }

    @Test
    void shouldNotStandADefaultInForARefusedValue() throws Exception {
        Problems problems = new Problems(dir.resolve("tend.toml"));
        throughValidation("""
                [pool.web]
                command = ["cat"]
                backoff_min = "soon"
                backoff_max = "50ms"
                """, problems);
        // The built-in backoff_min (100ms) would be longer than 50ms, but nobody wrote it.
        assertEquals(List.of("3 pool.web.backoff_min: bad duration \"soon\"; write a number and a unit (ms, s, m, h),"
                + " e.g. \"250ms\", \"5s\", \"1m30s\""), messages(problems));
    }

    @Test
    void shouldCheckRulesAcrossValuesAfterDefaults() throws Exception {
        Problems problems = new Problems(dir.resolve("tend.toml"));
        throughValidation("""
                backoff_max = "50ms"
                [pool.web]
                command = ["cat"]
                [lazy.cache]
                command = ["cat"]
                """, problems);
        assertEquals(List.of("2 pool.web.backoff_max: backoff_min (100ms) is longer than backoff_max (50ms)",
                "4 lazy.cache.pattern: missing: the names this declaration starts, as a glob like \"redis-*\"",
                "4 lazy.cache.backoff_max: backoff_min (100ms) is longer than backoff_max (50ms)"), messages(problems));
    }
}
