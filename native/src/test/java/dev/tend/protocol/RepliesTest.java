package dev.tend.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.json.Json;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The replies as the service writes them and as clients read them back, through JSON text. */
class RepliesTest {
    private static final WorkerEntry RUNNING = new WorkerEntry("web.1", "web", 1, "running", 123, true, false, 3285,
            1795510730404L, 0, 0, 1, "", "", "serving on :8080", Optional.of(new WorkerEntry.PublishedState(2, 1278)),
            Optional.empty(), Optional.empty(), Optional.empty());
    private static final WorkerEntry DONE = new WorkerEntry("job.1", "job", 1, "exited", 0, false, true, 0,
            1795510730404L, 0, 0, 1, "exit status 0", "", "", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    private static final FailureReport REPORT = new FailureReport("broken-1", "broken",
            "echo 'cannot reach the database' >&2; exit 9", "ended before it was ready (now backoff)",
            "exit status 9", 1, Duration.ofMillis(1500), List.of("cannot reach the database"));

    private static Map<String, Object> overTheWire(Map<String, Object> message) {
        return Json.parseObject(Json.write(message));
    }

    @Test
    void aWorkerObjectCarriesItsFactsInTheDocumentedOrder() {
        assertEquals("{\"name\":\"web.1\",\"pool\":\"web\",\"instance\":1,\"state\":\"running\",\"pid\":123,"
                + "\"ready\":true,\"finished_cleanly\":false,\"uptime_ms\":3285,\"state_since_epoch_ms\":1795510730404,"
                + "\"restarts\":0,\"failures\":0,\"attempts\":1,\"last_exit\":\"\",\"reason\":\"\","
                + "\"status\":\"serving on :8080\",\"state_version\":2,\"state_age_ms\":1278}",
                Json.write(RUNNING.toJson()));
        assertEquals(RUNNING, WorkerEntry.fromJson(overTheWire(RUNNING.toJson())));
        assertEquals(DONE, WorkerEntry.fromJson(overTheWire(DONE.toJson())));
        assertTrue(DONE.readyOrFinished(), "a finished job does not hold readiness back");
        WorkerEntry never = new WorkerEntry("w.1", "w", 1, "running", 9, true, false, 5, 1, 0, 0, 1, "", "", "",
                Optional.of(new WorkerEntry.PublishedState(0, -1)), Optional.empty(), Optional.empty(), Optional.empty());
        Map<String, Object> json = never.toJson();
        assertTrue(json.containsKey("state_age_ms") && json.get("state_age_ms") == null, "null age: never published");
    }

    @Test
    void aWorkerWithAProbeCarriesItsHealthLastAndTheTableShowsItAfterTheState() {
        HealthEntry health = new HealthEntry("http http://127.0.0.1:8080/health", "failing", 2, 3, "failed",
                1795510730404L, "HTTP 503 Service Unavailable", List.of("HTTP/1.1 503 Service Unavailable"));
        WorkerEntry probed = new WorkerEntry("web.1", "web", 1, "running", 123, true, false, 3285, 1795510730404L, 0,
                0, 1, "", "", "", Optional.empty(), Optional.of(health), Optional.empty(), Optional.empty());
        assertTrue(Json.write(probed.toJson()).endsWith(",\"health\":{\"probe\":\"http http://127.0.0.1:8080/health\","
                + "\"status\":\"failing\",\"failures\":2,\"threshold\":3,\"last_result\":\"failed\","
                + "\"last_check_epoch_ms\":1795510730404,\"message\":\"HTTP 503 Service Unavailable\","
                + "\"output\":[\"HTTP/1.1 503 Service Unavailable\"]}}"), Json.write(probed.toJson()));
        assertEquals(probed, WorkerEntry.fromJson(overTheWire(probed.toJson())));
        assertTrue(StatusTable.lines(List.of(probed)).get(1).contains("running [failing 2/3]"),
                StatusTable.lines(List.of(probed)).toString());
    }

    @Test
    void sampledUsageComesLastAndSurvivesTheWire() {
        WorkerEntry sampled = new WorkerEntry("web.1", "web", 1, "running", 123, true, false, 3285, 1795510730404L, 0,
                0, 1, "", "", "", Optional.empty(), Optional.empty(), Optional.of(new ResourceUsage(12.5, 48_234_496)), Optional.empty());
        assertTrue(Json.write(sampled.toJson()).endsWith(",\"cpu_percent\":12.5,\"rss_bytes\":48234496}"),
                Json.write(sampled.toJson()));
        assertEquals(sampled, WorkerEntry.fromJson(overTheWire(sampled.toJson())));
        InstanceStatus status = new InstanceStatus("notify", 27895, "/srv/tend.toml", false, List.of(sampled),
                Optional.of(new ResourceUsage(0.5, 41_000_000)));
        assertEquals(status, InstanceStatus.fromJson(overTheWire(status.toJson())));
        assertEquals(Optional.empty(), WorkerEntry.fromJson(overTheWire(DONE.toJson())).usage(),
                "an entry without the members has no usage");
    }

    @Test
    void aStatusEventIsTheStatusWithEventForOkAndTimelessIgnoresOnlyTheClocks() {
        InstanceStatus status = new InstanceStatus("notify", 27895, "/srv/tend.toml", false, List.of(RUNNING, DONE),
                Optional.empty());
        Map<String, Object> event = status.toEventJson();
        assertEquals(List.of("event", "instance", "pid", "config", "stopping", "workers"), List.copyOf(event.keySet()));
        assertEquals(InstanceStatus.EVENT, event.get("event"));
        assertEquals(status, InstanceStatus.fromJson(overTheWire(event)));
        WorkerEntry later = new WorkerEntry(RUNNING.name(), RUNNING.pool(), RUNNING.instance(), RUNNING.state(),
                RUNNING.pid(), RUNNING.ready(), RUNNING.finishedCleanly(), RUNNING.uptimeMillis() + 5000,
                RUNNING.stateSinceEpochMillis(), RUNNING.restarts(), RUNNING.failures(), RUNNING.attempts(),
                RUNNING.lastExit(), RUNNING.reason(), RUNNING.status(), RUNNING.published().map(p ->
                        new WorkerEntry.PublishedState(p.version(), p.ageMillis() + 5000)), RUNNING.health(),
                RUNNING.usage(), RUNNING.job());
        InstanceStatus older = new InstanceStatus("notify", 27895, "/srv/tend.toml", false, List.of(later, DONE),
                Optional.empty());
        assertEquals(status.timeless(), older.timeless(), "time passing is no change");
        InstanceStatus stopping = new InstanceStatus("notify", 27895, "/srv/tend.toml", true, List.of(RUNNING, DONE),
                Optional.empty());
        assertNotEquals(status.timeless(), stopping.timeless());
    }

    @Test
    void aJobCarriesItsTimingLastAndTheTableShowsItAfterTheState() {
        WorkerEntry job = new WorkerEntry("cleanup.1", "cleanup", 1, "scheduled", 0, true, false, 0, 1795510730404L, 0,
                0, 3, "exit status 0", "", "", Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(new JobEntry(1795510740404L, 7400, 1200)));
        assertTrue(Json.write(job.toJson()).endsWith(",\"next_run_epoch_ms\":1795510740404,\"next_run_in_ms\":7400,"
                + "\"last_run_ms\":1200}"), Json.write(job.toJson()));
        assertEquals(job, WorkerEntry.fromJson(overTheWire(job.toJson())));
        assertTrue(StatusTable.lines(List.of(job)).get(1).contains("scheduled (next in 7s, last run 1s)"),
                StatusTable.lines(List.of(job)).toString());
        WorkerEntry stopped = new WorkerEntry("cleanup.1", "cleanup", 1, "stopped", 0, false, false, 0, 1795510730404L,
                0, 0, 0, "", "", "", Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(new JobEntry(0, 0, -1)));
        Map<String, Object> json = stopped.toJson();
        assertTrue(json.containsKey("next_run_epoch_ms") && json.get("next_run_epoch_ms") == null
                && json.get("last_run_ms") == null, "null: no run planned, none ran");
        assertEquals(stopped, WorkerEntry.fromJson(overTheWire(json)));
        assertTrue(StatusTable.lines(List.of(stopped)).get(1).contains("stopped (no run planned)"));
        assertEquals(Optional.empty(), WorkerEntry.fromJson(overTheWire(DONE.toJson())).job(),
                "an entry without the members is no job");
    }

    @Test
    void anActionResultIsMessageOrErrorAndCodeThenTheLists() {
        ActionResult ok = new ActionResult(ExitCode.OK, "stopped web.1", List.of(RUNNING), List.of());
        assertEquals(List.of("ok", "message", "workers", "failures"), List.copyOf(ok.toJson().keySet()));
        assertEquals(ok, ActionResult.fromJson(overTheWire(ok.toJson())));
        ActionResult failed = new ActionResult(ExitCode.TIMEOUT, "timed out waiting for web.1 to be ready",
                List.of(RUNNING), List.of(REPORT));
        assertEquals(List.of("ok", "error", "code", "workers", "failures"), List.copyOf(failed.toJson().keySet()));
        assertEquals(4L, overTheWire(failed.toJson()).get("code"));
        assertEquals(failed, ActionResult.fromJson(overTheWire(failed.toJson())));
    }

    @Test
    void anyFinalMessageReadsAsAnActionResult() {
        assertEquals(new ActionResult(ExitCode.USAGE, "request larger than 64 KiB", List.of(), List.of()),
                ActionResult.fromJson(overTheWire(Protocol.failure(ExitCode.USAGE, "request larger than 64 KiB"))));
        assertEquals(new ActionResult(ExitCode.OK, "", List.of(), List.of()),
                ActionResult.fromJson(Json.parseObject("{\"ok\":true}")), "logs ends with {\"ok\": true}");
        assertEquals(ExitCode.FAILURE, ActionResult.fromJson(Json.parseObject("{\"ok\":false,\"code\":9}")).code(),
                "a code tend does not know");
        assertEquals(ExitCode.FAILURE, ActionResult.fromJson(Json.parseObject("{\"ok\":false,\"code\":0}")).code(),
                "a failure is never OK");
    }

    @Test
    void aFailureReportPrintsTheSameLinesOnEitherSideOfTheSocket() {
        List<String> lines = List.of(
                "broken-1 ended before it was ready (now backoff)",
                "  pool:      broken",
                "  command:   echo 'cannot reach the database' >&2; exit 9",
                "  last exit: exit status 9 after running 1.5s",
                "  attempts:  1",
                "  last lines of stderr:",
                "    cannot reach the database");
        assertEquals(lines, REPORT.lines());
        FailureReport read = FailureReport.fromJson(overTheWire(REPORT.toJson()));
        assertEquals(REPORT, read);
        assertEquals(lines, read.lines());
        FailureReport running = new FailureReport("mute-1", "mute", "cat", "not ready after 1s (state starting)",
                "(still running)", 1, Duration.ofNanos(400_000), List.of());
        assertEquals(Duration.ZERO, running.ranFor(), "whole milliseconds, as a reply carries it");
        assertEquals(List.of("mute-1 not ready after 1s (state starting)", "  pool:      mute", "  command:   cat",
                "  last exit: (still running)", "  attempts:  1", "  stderr:    (nothing)"), running.lines());
    }

    @Test
    void theStatusAndLogEventsSurviveTheWire() {
        InstanceStatus status = new InstanceStatus("notify", 27895, "/srv/tend.toml", false, List.of(RUNNING, DONE),
                Optional.empty());
        assertEquals(List.of("ok", "instance", "pid", "config", "stopping", "workers"),
                List.copyOf(status.toJson().keySet()));
        assertEquals(status, InstanceStatus.fromJson(overTheWire(status.toJson())));
        LogEvent event = new LogEvent(7, 1795510730404L, "tend", "notice", "api.1 is ready");
        assertEquals("{\"event\":\"log\",\"seq\":7,\"time_ms\":1795510730404,\"source\":\"tend\",\"channel\":\"notice\","
                + "\"text\":\"api.1 is ready\"}", Json.write(event.toJson()));
        assertEquals(event, LogEvent.fromJson(overTheWire(event.toJson())));
    }

    @Test
    void exitCodesAreTheDocumentedNumbers() {
        assertEquals(List.of(0, 1, 2, 3, 4), List.of(ExitCode.OK.code(), ExitCode.FAILURE.code(),
                ExitCode.USAGE.code(), ExitCode.NOT_FOUND.code(), ExitCode.TIMEOUT.code()));
        assertEquals(Optional.of(ExitCode.NOT_FOUND), ExitCode.of(3));
        assertEquals(Optional.empty(), ExitCode.of(130));
    }
}
