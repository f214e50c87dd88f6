package dev.tend.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tend.config.Config;
import dev.tend.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a reload changes, decided from two configurations read by the real loader. */
class ReloadPlanTest {
    @TempDir
    Path dir;
    private int files;

    private Config config(String toml) throws Exception {
        Path file = dir.resolve("tend-" + ++files + ".toml");
        Files.writeString(file, "name = \"plan\"\n" + toml);
        return new ConfigLoader(System.getenv()).load(file);
    }

    @Test
    void shouldSortEveryPoolAndLazyDeclarationIntoItsCase() throws Exception {
        Config before = config("""
                [pool.keep]
                command = ["cat"]
                [pool.change]
                command = "echo v1; exec cat"
                [pool.resize]
                command = ["cat"]
                count = 2
                [pool.drop]
                command = ["cat"]
                [lazy.same]
                pattern = "same-*"
                command = ["cat"]
                [lazy.edited]
                pattern = "edited-*"
                command = ["cat"]
                max = 2
                [lazy.gone]
                pattern = "gone-*"
                command = ["cat"]
                """);
        Config after = config("""
                [pool.keep]
                command = ["cat"]
                [pool.change]
                command = "echo v2; exec cat"
                [pool.resize]
                command = ["cat"]
                count = 3
                [pool.add]
                command = ["cat"]
                [lazy.same]
                pattern = "same-*"
                command = ["cat"]
                [lazy.edited]
                pattern = "edited-*"
                command = ["cat"]
                max = 3
                [lazy.fresh]
                pattern = "fresh-*"
                command = ["cat"]
                """);
        ReloadPlan plan = ReloadPlan.between(before, after, 4);
        assertEquals(new ReloadPlan(List.of("add"), List.of("drop"), List.of("change"), List.of("resize"),
                List.of("keep"), List.of("edited", "gone", "fresh")), plan);
        assertEquals("1 added (add), 1 removed (drop), 1 restarted (change), 1 resized (resize),"
                + " 3 lazy changed (edited, gone, fresh), 1 unchanged", plan.summary());
    }

    @Test
    void shouldLeaveEverythingAloneBetweenEqualConfigurations() throws Exception {
        String toml = """
                [pool.web]
                command = ["cat"]
                count = 2
                [pool.db]
                command = "exec cat"
                [lazy.cache]
                pattern = "cache-*"
                command = ["cat"]
                """;
        ReloadPlan plan = ReloadPlan.between(config(toml), config(toml), 4);
        assertEquals(new ReloadPlan(List.of(), List.of(), List.of(), List.of(), List.of("web", "db"), List.of()), plan);
        assertEquals("2 unchanged", plan.summary());
    }

    @Test
    void shouldRestartWhenAnySettingChangesEvenWithTheSize() throws Exception {
        Config before = config("""
                [pool.web]
                command = ["cat"]
                count = 2
                [pool.slow]
                command = ["cat"]
                """);
        Config after = config("""
                [pool.web]
                command = ["cat"]
                count = 4
                grace = "30s"
                [pool.slow]
                command = ["cat"]
                ready = "publish"
                """);
        ReloadPlan plan = ReloadPlan.between(before, after, 4);
        assertEquals(List.of("web", "slow"), plan.restarted());
        assertEquals(List.of("web"), plan.resized(), "restarted, then scaled to the file's new count");
        assertEquals(List.of(), plan.unchanged());
        assertEquals("2 restarted (web, slow), 1 resized (web), 0 unchanged", plan.summary());
    }

    @Test
    void shouldCompareSizesOnTheProcessorsAtHand() throws Exception {
        Config share = config("""
                [pool.web]
                command = ["cat"]
                count = "50%"
                """);
        Config fixed = config("""
                [pool.web]
                command = ["cat"]
                count = 2
                """);
        assertEquals(List.of("web"), ReloadPlan.between(share, fixed, 4).unchanged(), "50% of 4 is 2");
        assertEquals(List.of("web"), ReloadPlan.between(share, fixed, 8).resized(), "50% of 8 is 4");
    }

    @Test
    void shouldNotRestartWorkersWhoseLogFileAloneChanged() throws Exception {
        Config before = config("""
                [pool.web]
                command = ["cat"]
                [lazy.cache]
                pattern = "cache-*"
                command = ["cat"]
                """);
        Config after = config("""
                log_file = "log/{pool}.log"
                [pool.web]
                command = ["cat"]
                log_max_size = "1MiB"
                [lazy.cache]
                pattern = "cache-*"
                command = ["cat"]
                log_keep = 2
                """);
        ReloadPlan plan = ReloadPlan.between(before, after, 4);
        assertEquals(List.of("web"), plan.unchanged());
        assertEquals(List.of(), plan.restarted());
        assertEquals(List.of(), plan.lazyChanged());
    }
}
