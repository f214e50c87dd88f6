package dev.tend.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.os.Signal;
import dev.tend.state.StateFileLayout;
import dev.tend.testing.ConfigFiles;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Config load(String toml) throws Exception {
        return ConfigFiles.load(dir, toml);
    }

    private List<String> errors(String toml) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(toml));
        return e.errors().stream().map(ConfigError::toString).collect(Collectors.toList());
    }

    private String single(String toml) {
        List<String> errors = errors(toml);
        assertEquals(1, errors.size(), errors.toString());
        return errors.get(0);
    }

    private String where(int line, String key) {
        return dir.resolve("tend.toml") + ":" + line + ": " + key + ": ";
    }

    @Test
    void shouldReadEveryKeyWithDefaults() throws Exception {
        Config c = load("""
                name = "shop"
                grace = "2s"
                [env]
                A = "1"
                [pool.web]
                command = ["cat"]
                count = 3
                [pool.jobs]
                command = "echo hi"
                count = "50%"
                restart = "always"
                backoff_min = "250ms"
                backoff_max = "1m30s"
                max_failures = 9
                grace = "10s"
                stop_signal = "SIGTERM"
                ready = "publish"
                cwd = "."
                env = { B = "2" }
                [lazy.redis]
                pattern = "redis-*"
                command = ["cat", "{name}"]
                max = 4
                [state]
                max_snapshot = "64KiB"
                """);
        assertEquals("shop", c.instanceName());
        assertEquals(List.of("web", "jobs"), List.copyOf(c.pools().keySet()));
        WorkerSettings web = c.pools().get("web").worker();
        assertEquals(new Count.Fixed(3), c.pools().get("web").count());
        assertEquals(Duration.ofSeconds(2), web.grace(), "top-level default");
        assertEquals(RestartPolicy.ON_FAILURE, web.restart());
        assertEquals(Duration.ofMillis(100), web.backoffMin());
        assertEquals(Duration.ofSeconds(30), web.backoffMax());
        assertEquals(6, web.maxFailures());
        assertEquals(Optional.empty(), web.stopSignal());
        assertEquals(ReadyMode.SPAWNED, web.ready());
        assertEquals(Map.of("A", "1"), web.env());
        WorkerSettings jobs = c.pools().get("jobs").worker();
        assertEquals(new Count.CpuShare(50), c.pools().get("jobs").count());
        assertEquals(new Command.Shell("echo hi"), jobs.command());
        assertEquals(RestartPolicy.ALWAYS, jobs.restart());
        assertEquals(Duration.ofMillis(250), jobs.backoffMin());
        assertEquals(Duration.ofSeconds(90), jobs.backoffMax());
        assertEquals(9, jobs.maxFailures());
        assertEquals(Duration.ofSeconds(10), jobs.grace());
        assertEquals(Optional.of(Signal.TERM), jobs.stopSignal());
        assertEquals(ReadyMode.PUBLISH, jobs.ready());
        assertEquals(Map.of("A", "1", "B", "2"), jobs.env());
        LazyConfig redis = c.lazy().get("redis");
        assertEquals(4, redis.max());
        assertTrue(redis.matches("redis-main"));
        assertEquals(List.of("cat", "redis-main"), redis.worker().command().withName("redis-main").argv());
        assertEquals(64 * 1024, c.maxSnapshotBytes());
    }

    @Test
    void shouldDeriveInstanceNameFromDirectory() throws Exception {
        Config c = load("[pool.a]\ncommand = [\"cat\"]\n");
        assertEquals(dir.getFileName().toString(), c.instanceName());
    }

    @Test
    void shouldReadAHealthTableWithItsDefaultsForPoolsAndLazyDeclarations() throws Exception {
        Config c = load("""
                ready = "healthy"
                [pool.web]
                command = ["cat"]
                [pool.web.health]
                http = "http://localhost:8080/health?full=1"
                [pool.db]
                command = ["cat"]
                ready = "spawned"
                health = { tcp = "[::1]:5432", interval = "500ms", timeout = "100ms", failures = 5, start_period = "30s" }
                [lazy.cache]
                pattern = "cache-*"
                command = ["cat"]
                health.exec = "test -S /tmp/sock"
                """);
        HealthCheck web = c.pools().get("web").worker().health().orElseThrow();
        assertEquals(new HealthCheck.Http("http://localhost:8080/health?full=1", InetAddress.getByAddress(
                "localhost", new byte[] {127, 0, 0, 1}), 8080, "localhost:8080", "/health?full=1"), web.probe());
        assertEquals(new HealthCheck(web.probe(), Duration.ofSeconds(10), Duration.ofSeconds(2), 3, Duration.ZERO), web);
        assertEquals(ReadyMode.HEALTHY, c.pools().get("web").worker().ready());
        HealthCheck db = c.pools().get("db").worker().health().orElseThrow();
        assertEquals("tcp [0:0:0:0:0:0:0:1]:5432", db.probe().describe());
        assertEquals(new HealthCheck(db.probe(), Duration.ofMillis(500), Duration.ofMillis(100), 5, Duration.ofSeconds(30)),
                db);
        assertEquals(new HealthCheck.Exec(new Command.Shell("test -S /tmp/sock")),
                c.lazy().get("cache").worker().health().orElseThrow().probe());
    }

    @Test
    void shouldReportAPoolThatInheritsReadyHealthyWithoutAProbe() {
        assertEquals(where(4, "pool.web.ready") + "ready = \"healthy\" needs a health probe: add a [pool.web.health]"
                        + " table with exec, tcp or http (ready = \"healthy\" is set at the top level for every pool)",
                single("ready = \"healthy\"\n\n\n[pool.web]\ncommand = [\"cat\"]\n"));
    }

    @Test
    void shouldReportUnknownKeyWithSuggestionAndLine() {
        assertEquals(where(3, "pool.web.cont") + "unknown key; did you mean 'count'? (valid keys here: backoff_max,"
                        + " backoff_min, command, count, cwd, depends_on, env, env_file, every, grace, health, log_file,"
                        + " log_keep, log_max_size, max_failures, max_memory, overlap, ready, restart, schedule, start_window,"
                        + " stop_signal, stop_signal_after, timezone, watch, watch_debounce, watch_ignore)",
                single("[pool.web]\ncommand = [\"cat\"]\ncont = 2\n"));
        assertTrue(single("gracee = \"5s\"\n[pool.a]\ncommand = [\"cat\"]\n")
                .startsWith(where(1, "gracee") + "unknown key; did you mean 'grace'?"));
    }

    @Test
    void shouldReportWrongTypes() {
        assertEquals(where(3, "pool.web.count") + "must be a number of workers (4) or a share of the available"
                + " processors (\"50%\"), not a boolean", single("[pool.web]\ncommand = [\"cat\"]\ncount = true\n"));
        assertEquals(where(2, "pool.web.command") + "must be an array of strings or a string, not an integer",
                single("[pool.web]\ncommand = 5\n"));
        assertEquals(where(3, "pool.web.max_failures") + "must be an integer, not a string",
                single("[pool.web]\ncommand = [\"cat\"]\nmax_failures = \"6\"\n"));
        assertEquals(where(1, "fail_fast") + "must be true or false, not a string",
                single("fail_fast = \"yes\"\n[pool.web]\ncommand = [\"cat\"]\n"));
    }

    @Test
    void shouldReportBadDurations() {
        assertEquals(where(3, "pool.web.grace") + "bad duration \"5 sec\"; write a number and a unit (ms, s, m, h),"
                + " e.g. \"250ms\", \"5s\", \"1m30s\"", single("[pool.web]\ncommand = [\"cat\"]\ngrace = \"5 sec\"\n"));
        assertEquals(where(3, "pool.web.grace") + "must be a duration string such as \"5s\" or \"250ms\", not an"
                + " integer (write \"5s\" for seconds)", single("[pool.web]\ncommand = [\"cat\"]\ngrace = 5\n"));
        assertTrue(single("[pool.web]\ncommand = [\"cat\"]\nbackoff_min = \"1m\"\nbackoff_max = \"1s\"\n")
                .contains("backoff_min (1m) is longer than backoff_max (1s)"));
    }

    @Test
    void shouldReportEmptyCommands() {
        assertEquals(where(2, "pool.web.command") + "empty command", single("[pool.web]\ncommand = \"  \"\n"));
        assertEquals(where(2, "pool.web.command") + "empty command: give at least the program, e.g. [\"./worker.sh\"]",
                single("[pool.web]\ncommand = []\n"));
        assertEquals(where(1, "pool.web.command") + "missing: the program to run, as [\"program\", \"arg\"] or a"
                + " shell command string", single("[pool.web]\ncount = 1\n"));
    }

    @Test
    void shouldReportCountsOutOfRange() {
        assertEquals(where(3, "pool.web.count") + "must be between 1 and 10000 (got 0)",
                single("[pool.web]\ncommand = [\"cat\"]\ncount = 0\n"));
        assertEquals(where(3, "pool.web.count") + "a share of processors must be between 1% and 10000% (got 0%)",
                single("[pool.web]\ncommand = [\"cat\"]\ncount = \"0%\"\n"));
        assertTrue(single("[pool.web]\ncommand = [\"cat\"]\ncount = \"half\"\n").contains("not \"half\""));
    }

    @Test
    void shouldReportUnknownSignal() {
        assertEquals(where(3, "pool.web.stop_signal") + "unknown signal \"SIGFOO\"; use a name such as \"TERM\","
                + " \"INT\", \"QUIT\" or \"USR1\"", single("[pool.web]\ncommand = [\"cat\"]\nstop_signal = \"SIGFOO\"\n"));
        assertTrue(single("[pool.web]\ncommand = [\"cat\"]\nstop_signal = \"KILL\"\n")
                .contains("SIGKILL cannot be a stop signal"));
    }

    @Test
    void shouldReportMissingValueThatTomlIgnores() {
        assertEquals(where(3, "pool.web.count") + "no value after '='; give one or remove the line",
                single("[pool.web]\ncommand = [\"cat\"]\ncount =\n"));
    }

    @Test
    void shouldReportSyntaxErrorWithItsLine() {
        String e = single("[pool.web]\ncommand = [\"cat\",\n grace = 5\n");
        assertTrue(e.startsWith(dir.resolve("tend.toml") + ":2: TOML syntax error: Unterminated value"), e);
    }

    @Test
    void shouldReportMissingProgramAndDirectory() {
        assertEquals(where(2, "pool.web.command") + "command not found: no-such-program (searched PATH=/usr/bin:/bin)",
                single("[pool.web]\ncommand = [\"no-such-program\"]\n"));
        assertEquals(where(3, "pool.web.cwd") + "no such directory: " + dir.resolve("missing") + " (relative paths"
                + " start at the configuration file's directory)", single("[pool.web]\ncommand = [\"cat\"]\ncwd = \"missing\"\n"));
    }

    @Test
    void shouldReportEveryErrorAtOnceInLineOrder() {
        List<String> errors = errors("""
                [pool.a]
                command = ["cat"]
                count = -1
                [pool.b]
                command = ["cat"]
                restart = "sometimes"
                ready = "later"
                """);
        assertEquals(3, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith(where(3, "pool.a.count")));
        assertTrue(errors.get(1).contains(":6: pool.b.restart: unknown policy \"sometimes\""));
        assertTrue(errors.get(2).contains(":7: pool.b.ready: unknown ready mode \"later\""));
    }

    @Test
    void shouldReportInvalidNames() {
        assertTrue(single("[pool.\"web.front\"]\ncommand = [\"cat\"]\n").contains("invalid pool name \"web.front\""));
        assertTrue(single("name = \"my app\"\n[pool.a]\ncommand = [\"cat\"]\n").contains("invalid instance name"));
    }

    @Test
    void shouldTakeSnapshotLimitsFromTheStateFileLayout() throws Exception {
        assertEquals(StateFileLayout.DEFAULT_MAX_SNAPSHOT, load("[pool.a]\ncommand = [\"cat\"]\n").maxSnapshotBytes());
        assertEquals(StateFileLayout.MAX_MAX_SNAPSHOT,
                load("[pool.a]\ncommand = [\"cat\"]\n[state]\nmax_snapshot = \"64MiB\"\n").maxSnapshotBytes());
        assertEquals(where(4, "state.max_snapshot") + "must be between 1 KiB and 64 MiB (got 100 MiB)",
                single("[pool.a]\ncommand = [\"cat\"]\n[state]\nmax_snapshot = \"100MiB\"\n"));
        assertEquals(where(4, "state.max_snapshot") + "must be between 1 KiB and 64 MiB (got 512 bytes)",
                single("[pool.a]\ncommand = [\"cat\"]\n[state]\nmax_snapshot = \"512\"\n"));
    }

    @Test
    void shouldRequireSomethingToRun() {
        assertTrue(single("name = \"x\"\n").contains("no pools defined"));
    }

    @Test
    void shouldReportMissingFile() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> new ConfigLoader(Map.of()).load(dir.resolve("absent.toml")));
        assertTrue(e.getMessage().contains("absent.toml: no such file"), e.getMessage());
    }
}
