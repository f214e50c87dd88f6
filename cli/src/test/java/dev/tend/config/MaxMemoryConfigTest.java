package dev.tend.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tend.testing.ConfigFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code max_memory} key: per pool and lazy declaration, with a top-level default. */
class MaxMemoryConfigTest {
    @TempDir
    Path dir;

    private Config load(String toml) throws Exception {
        return ConfigFiles.load(dir, toml);
    }

    private List<String> errors(String toml) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(toml));
        return e.errors().stream().map(ConfigError::toString).toList();
    }

    private String where(int line, String key) {
        return dir.resolve("tend.toml") + ":" + line + ": " + key + ": ";
    }

    private static OptionalLong limit(Config c, String pool) {
        return c.pools().get(pool).worker().limits().maxMemoryBytes();
    }

    @Test
    void shouldTakeThePoolsOwnTheTopLevelsOrNone() throws Exception {
        Config c = load("""
                max_memory = "1GiB"
                [pool.web]
                command = ["cat"]
                max_memory = "512MiB"
                [pool.queue]
                command = ["cat"]
                [pool.free]
                command = ["cat"]
                max_memory = 0
                [pool.bytes]
                command = ["cat"]
                max_memory = 2097152
                [lazy.cache]
                pattern = "cache-*"
                command = ["cat"]
                """);
        assertEquals(OptionalLong.of(512L << 20), limit(c, "web"));
        assertEquals(OptionalLong.of(1L << 30), limit(c, "queue"));
        assertEquals(OptionalLong.empty(), limit(c, "free"), "0 turns the top-level default off");
        assertEquals(OptionalLong.of(2L << 20), limit(c, "bytes"));
        assertEquals(OptionalLong.of(1L << 30), c.lazy().get("cache").worker().limits().maxMemoryBytes());
        assertEquals(ResourceLimits.NONE, load("[pool.web]\ncommand = [\"cat\"]\n").pools().get("web").worker().limits());
    }

    @Test
    void shouldReportBadSizesAtTheirKey() {
        assertEquals(List.of(where(3, "pool.web.max_memory")
                        + "bad size \"lots\"; write e.g. \"64KiB\", \"1MiB\" or a byte count"),
                errors("[pool.web]\ncommand = [\"cat\"]\nmax_memory = \"lots\"\n"));
        assertEquals(List.of(where(3, "pool.web.max_memory") + "must be at least 1 MiB (got 512 KiB), or 0 for no limit;"
                        + " write e.g. \"512MiB\""),
                errors("[pool.web]\ncommand = [\"cat\"]\nmax_memory = \"512KiB\"\n"));
        assertEquals(List.of(where(1, "max_memory") + "must be a size such as \"512MiB\", not a boolean"),
                errors("max_memory = true\n[pool.web]\ncommand = [\"cat\"]\n"));
    }
}
