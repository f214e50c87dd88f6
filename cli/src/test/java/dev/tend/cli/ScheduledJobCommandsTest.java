package dev.tend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.json.Json;
import dev.tend.testing.Await;
import dev.tend.testing.TendProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scheduled jobs through a real {@code tend up} and its commands: ps (table and JSON), start, stop. */
class ScheduledJobCommandsTest {
    @TempDir
    Path dir;

    @Test
    void shouldListAJobAsScheduledAndRunItNowOnStart() throws Exception {
        try (TendProcess tend = TendProcess.up(dir, """
                [pool.cleanup]
                command = "echo swept >> swept.txt"
                every = "1s"

                [pool.report]
                command = "echo reported >> reported.txt"
                schedule = "0 6 1 1 *"
                timezone = "UTC"

                [pool.broken]
                command = "echo 'disk full' >&2; exit 4"
                schedule = "@yearly"
                """)) {
            String row = Await.value(TendProcess.WAIT, "cleanup.1 listed as scheduled after a run", () -> {
                try {
                    TendProcess.Result ps = TendProcess.run(dir, "ps");
                    return ps.stdout().lines().filter(l -> l.startsWith("cleanup.1 ")
                            && l.contains("scheduled (next in ") && l.contains(", last run ")).findFirst().orElse(null);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertTrue(row.contains("exit status 0"), "the last run's exit: " + row);

            TendProcess.Result json = TendProcess.run(dir, "ps", "--json");
            assertEquals(0, json.exitCode(), json.toString());
            Map<String, Object> report = worker(json.stdout(), "report.1");
            assertEquals("scheduled", report.get("state"));
            assertEquals(true, report.get("ready"));
            long next = ((Number) report.get("next_run_epoch_ms")).longValue();
            assertEquals(0, (next - 6 * 3_600_000L) % 86_400_000L, "06:00 UTC: " + next);
            assertTrue(report.containsKey("last_run_ms") && report.get("last_run_ms") == null, "never ran: " + report);

            TendProcess.Result ready = TendProcess.run(dir, "ps", "--ready");
            assertEquals(0, ready.exitCode(), ready.toString());

            TendProcess.Result started = TendProcess.run(dir, "start", "report");
            assertEquals(0, started.exitCode(), started.toString());
            assertEquals(List.of("reported"), Files.readAllLines(dir.resolve("reported.txt")), "start ran it now");

            TendProcess.Result failed = TendProcess.run(dir, "start", "broken");
            assertEquals(1, failed.exitCode(), failed.toString());
            assertTrue(failed.stderr().contains("broken.1 failed its run (exit status 4)"), failed.toString());
            assertTrue(failed.stderr().contains("disk full"), "the run's report: " + failed);

            TendProcess.Result stopped = TendProcess.run(dir, "stop", "cleanup");
            assertEquals(0, stopped.exitCode(), stopped.toString());
            Map<String, Object> paused = worker(TendProcess.run(dir, "ps", "--json").stdout(), "cleanup.1");
            assertEquals("stopped", paused.get("state"));
            assertEquals(null, paused.get("next_run_epoch_ms"), "no run planned while stopped: " + paused);
            assertFalse(tend.stdout().contains("restarting"), "a run is never logged as a restart:\n" + tend.stdout());
        }
    }

    @Test
    void shouldNotHoldBackTendRunNorStopItsCommand() throws Exception {
        Files.writeString(dir.resolve("tend.toml"), """
                [pool.nightly]
                command = ["true"]
                schedule = "0 3 * * *"

                [pool.poll]
                command = "exit 2"
                every = "1s"
                """);
        // The command runs at once (the jobs are ready before their first run), and poll's failed run meanwhile
        // changes nothing.
        TendProcess.Result r = TendProcess.run(dir, "run", "--", "sh", "-c", "echo command ran; sleep 1.8");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.stdout().contains("command ran"), r.toString());
        assertTrue(r.stdout().contains("poll.1 failed its run (exit status 2)"), r.toString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> worker(String psJson, String name) {
        Map<String, Object> status = Json.parseObject(psJson.strip());
        for (Object w : (List<Object>) status.get("workers")) {
            Map<String, Object> entry = (Map<String, Object>) w;
            if (name.equals(entry.get("name"))) {
                return entry;
            }
        }
        throw new AssertionError("no " + name + " in " + psJson);
    }
}
