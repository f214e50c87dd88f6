package dev.tend.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tend.testing.ConfigFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every error names the line a user must edit, however the key is written: under a table header, in an
 * array of tables, in an inline table, or as a dotted key; and a missing key names its table's line.
 */
class KeyPositionsTest {
    @TempDir
    Path dir;

    /** Each error as {@code LINE KEY}. */
    private List<String> errorLines(String toml) throws Exception {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFiles.load(dir, toml));
        return e.errors().stream().map(err -> err.line() + " " + err.key()).collect(Collectors.toList());
    }

    @Test
    void shouldPlaceKeysUnderTableHeaders() throws Exception {
        assertEquals(List.of("4 pool.web.cont", "7 pool.jobs.grace"), errorLines("""
                name = "shop"

                [pool.web]
                cont = 2
                command = ["cat"]
                [pool.jobs]
                grace = 5
                command = ["cat"]
                """));
    }

    @Test
    void shouldPlaceDottedKeys() throws Exception {
        assertEquals(List.of("2 pool.web.cont", "5 lazy.cache.grace"), errorLines("""
                pool.web.command = ["cat"]
                pool.web.cont = 2
                [lazy]
                cache.pattern = "cache-*"
                cache.grace = 5
                cache.command = ["cat"]
                """));
    }

    @Test
    void shouldPlaceKeysInInlineTables() throws Exception {
        assertEquals(List.of("2 pool.web.cont", "3 pool.jobs.env.1A"), errorLines("""
                [pool]
                web = { command = ["cat"], cont = 2 }
                jobs = { command = ["cat"], env = { OK = "1", 1A = "2" } }
                """));
    }

    @Test
    void shouldPlaceMissingKeysOnTheirTable() throws Exception {
        assertEquals(List.of("1 pool.header.command", "4 pool.dotted.command", "5 pool.inline.command"), errorLines("""
                [pool.header]
                count = 2
                [pool]
                dotted.count = 2
                inline = { count = 2 }
                """));
    }

    @Test
    void shouldPlaceArraysOfTablesOnTheirFirstHeader() throws Exception {
        assertEquals(List.of("2 pool.web", "6 pool.jobs.env"), errorLines("""
                name = "shop"
                [[pool.web]]
                command = ["cat"]
                [pool.jobs]
                command = ["cat"]
                [[pool.jobs.env]]
                A = "1"
                [[pool.web]]
                command = ["cat"]
                """));
    }

    @Test
    void shouldKeepPoolsInFileOrderWhateverTheirForm() throws Exception {
        Config c = ConfigFiles.load(dir, """
                pool.zeta.command = ["cat"]
                pool.mid = { command = ["cat"] }
                [pool.alpha]
                command = ["cat"]
                """);
        assertEquals(List.of("zeta", "mid", "alpha"), List.copyOf(c.pools().keySet()));
    }
}
