package dev.tend.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.testing.ConfigFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchKeysTest {
    @TempDir
    Path dir;

    private List<String> errors(String toml) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFiles.load(dir, toml));
        return e.errors().stream().map(ConfigError::toString).collect(Collectors.toList());
    }

    @Test
    void shouldReadThePatternsRelativeToThePoolsCwdWithTheDefaultDebounce() throws Exception {
        Files.createDirectory(dir.resolve("app"));
        Config c = ConfigFiles.load(dir, """
                [pool.web]
                command = ["cat"]
                cwd = "app"
                watch = ["src/**/*.php", "config/"]
                watch_ignore = ["var/**", "*.swp"]
                [pool.jobs]
                command = ["cat"]
                watch = ["bin/"]
                watch_debounce = "1s"
                [pool.quiet]
                command = ["cat"]
                """);
        WatchSettings web = c.pools().get("web").worker().watch();
        assertEquals(dir.resolve("app"), web.base());
        assertEquals(List.of(Glob.compile("src/**/*.php"), Glob.compile("config/")), web.watch());
        assertEquals(WatchSettings.DEFAULT_DEBOUNCE, web.debounce());
        assertTrue(web.triggers(dir.resolve("app/src/a/b.php")));
        assertFalse(web.triggers(dir.resolve("app/src/a/.b.php.swp")), "ignored");
        assertTrue(web.ignores(dir.resolve("app/var/cache")));
        assertFalse(web.triggers(dir.resolve("src/a.php")), "relative to the pool's cwd, not the file's directory");

        WatchSettings jobs = c.pools().get("jobs").worker().watch();
        assertEquals(dir, jobs.base(), "no cwd: the configuration file's directory");
        assertEquals(Duration.ofSeconds(1), jobs.debounce());
        assertFalse(c.pools().get("quiet").worker().watch().enabled());
    }

    @Test
    void shouldReportBadPatternsAtTheirKeyAndLine() {
        List<String> errors = errors("""
                [pool.web]
                command = ["cat"]
                watch = ["src/[ab.php", "/etc/"]
                watch_ignore = "var/"
                """);
        Path file = dir.resolve("tend.toml");
        assertEquals(3, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith(file + ":3: pool.web.watch: \"src/[ab.php\": the [ at position 5 is not"
                + " closed"), errors.toString());
        assertTrue(errors.get(1).startsWith(file + ":3: pool.web.watch: \"/etc/\" is absolute"), errors.toString());
        assertTrue(errors.get(2).startsWith(file + ":4: pool.web.watch_ignore: must be an array of paths or globs"),
                errors.toString());
    }

    @Test
    void shouldRefuseIgnoreOrDebounceWithoutWatchSinceTheyWouldDoNothing() {
        List<String> errors = errors("""
                [pool.web]
                command = ["cat"]
                watch_ignore = ["var/"]
                watch_debounce = "1s"
                """);
        assertEquals(2, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains(":3: pool.web.watch_ignore: has no effect without watch"), errors.toString());
        assertTrue(errors.get(1).contains(":4: pool.web.watch_debounce: has no effect without watch"), errors.toString());
    }

    @Test
    void shouldRefuseAnEmptyListAndTheKeysOutsidePools() {
        assertTrue(errors("""
                [pool.web]
                command = ["cat"]
                watch = []
                """).get(0).contains("pool.web.watch: empty"));
        assertTrue(errors("""
                watch = ["src/"]
                [pool.web]
                command = ["cat"]
                """).get(0).contains("watch: unknown key"));
        assertTrue(errors("""
                [lazy.cache]
                pattern = "cache-*"
                command = ["cat"]
                watch = ["src/"]
                """).get(0).contains("lazy.cache.watch: unknown key"));
    }
}
