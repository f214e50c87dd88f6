package dev.tend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.json.Json;
import dev.tend.os.Signal;
import dev.tend.testing.Await;
import dev.tend.testing.TendProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * More workers than tend's limit of open files holds, and a command too long for the kernel, with a real
 * tend: warned of at check and up, and spawn failures said once per pool rather than retried as the
 * workers' failures (issue 12).
 */
class SpawnLimitsTest {
    @TempDir
    Path dir;

    @Test
    void shouldWarnWhenTheOpenFileLimitCannotHoldTheWorkers() throws Exception {
        Files.writeString(dir.resolve("tend.toml"), "[pool.web]\ncommand = [\"cat\"]\ncount = 100\n");
        try (TendProcess check = TendProcess.startWithOpenFileLimit(dir, 300, "check")) {
            assertEquals(0, check.awaitExit(), check.stdout() + check.stderr());
            assertEquals("tend: warning: the limit of open files (300, ulimit -n) holds about 47 workers, but this"
                    + " configuration runs up to 100: tend needs 5 per worker (6 with ready = \"notify\") and 64 of its"
                    + " own, 564 in all; raise the limit (ulimit -n 1024, or LimitNOFILE= in a systemd unit) or lower"
                    + " count; workers beyond it will not start (EMFILE)\n", check.stderr());
        }
        try (TendProcess check = TendProcess.startWithOpenFileLimit(dir, 1024, "check")) {
            assertEquals(0, check.awaitExit(), check.stdout() + check.stderr());
            assertEquals("\n", check.stderr(), "1024 files hold 100 workers");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldSayOncePerPoolThatWorkersCannotStartForWantOfFilesAndNotGiveThemUp() throws Exception {
        Files.writeString(dir.resolve("tend.toml"), """
                [pool.web]
                command = ["cat"]
                count = 100
                [pool.jobs]
                command = ["cat"]
                count = 20
                """);
        try (TendProcess up = TendProcess.startWithOpenFileLimit(dir, 300, "up")) {
            up.awaitLine("the warning", l -> l.contains("tend    | the limit of open files (300, ulimit -n) holds about"
                    + " 47 workers, but this configuration runs up to 120"));
            up.awaitLine("the shortage", l -> l.contains("could not start: pipe2: EMFILE (Too many open files): tend's"
                    + " limit of open files (300) is reached: it holds about 47 workers at 5 files each; raise it"));
            Path socket = TendProcess.instanceDirectory(dir).resolve("control.sock");
            Await.until(TendProcess.WAIT, "control socket", () -> Files.exists(socket));
            // ps is answered once the loop has tried to start every worker.
            TendProcess.Result ps = TendProcess.run(dir, "ps", "--json");
            assertEquals(0, ps.exitCode(), ps.toString());
            List<Map<String, Object>> workers = (List<Map<String, Object>>) Json.parseObject(ps.stdout().trim())
                    .get("workers");
            assertEquals(120, workers.size(), ps.stdout());
            // Started: running, or still within its start window.
            long running = workers.stream().filter(w -> w.get("state").equals("running")
                    || w.get("state").equals("starting")).count();
            long waiting = workers.stream().filter(w -> w.get("state").equals("backoff")).count();
            assertTrue(running > 40 && running < 60, "about (300 - 25) / 5 start: " + running);
            assertEquals(120, running + waiting, ps.stdout());
            assertTrue(workers.stream().filter(w -> w.get("state").equals("backoff"))
                    .allMatch(w -> ((Number) w.get("failures")).longValue() == 0), "not counted as failures: " + ps.stdout());
            List<String> shortages = up.lines().stream().filter(l -> l.contains("could not start")).toList();
            assertEquals(2, shortages.size(), "once per pool (web, jobs): " + String.join("\n", shortages));
            assertTrue(up.lines().stream().noneMatch(l -> l.contains("gave up") || l.contains("; restarting ")),
                    up.stdout());
            up.signal(Signal.TERM);
            assertEquals(0, up.awaitExit(), up.stdout() + up.stderr());
        }
    }

    @Test
    void shouldGiveUpOnceWhenTheCommandIsTooLongForTheKernel() throws Exception {
        // One string longer than the kernel's MAX_ARG_STRLEN (128 KiB).
        String big = "x".repeat(200_000);
        try (TendProcess up = TendProcess.up(dir, """
                [pool.big]
                command = ["cat"]
                count = 3
                env = { BIG = "%s" }
                [pool.fine]
                command = ["cat"]
                """.formatted(big))) {
            up.awaitWorkerPid("fine.1");
            up.awaitLine("the report", l -> l.contains("E2BIG"));
            TendProcess.Result ps = TendProcess.run(dir, "ps");
            assertEquals(0, ps.exitCode(), ps.toString());
            for (String worker : List.of("big.1", "big.2", "big.3")) {
                assertTrue(ps.stdout().lines().anyMatch(l -> l.startsWith(worker + " ") && l.contains("failed")),
                        worker + " is given up at once: " + ps.stdout());
            }
            assertEquals(1, up.lines().stream().filter(l -> l.contains("gave up: cannot start: posix_spawn")).count(),
                    "one report for the pool: " + up.stdout());
            assertTrue(up.lines().stream().noneMatch(l -> l.contains("; restarting ")), up.stdout());
        }
    }
}
