package dev.tend.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tend.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusTableTest {
    private static WorkerEntry worker(String name, int pid, String lastExit) {
        return worker(name, pid, lastExit, "");
    }

    private static WorkerEntry worker(String name, int pid, String lastExit, String usage) {
        return WorkerEntry.fromJson(Json.parseObject("""
                {"name": "%s", "pool": "p", "instance": 1, "state": "%s", "pid": %d, "ready": %b,
                 "finished_cleanly": false, "uptime_ms": 65000, "state_since_epoch_ms": 1, "restarts": 2,
                 "failures": 0, "attempts": 3, "last_exit": "%s", "reason": "", "status": "",
                 "state_version": 0, "state_age_ms": null%s}
                """.formatted(name, pid == 0 ? "stopped" : "running", pid, pid != 0, lastExit, usage)));
    }

    @Test
    void shouldPadEveryColumnToItsWidestCellAndDropTrailingSpaces() {
        List<String> lines = StatusTable.lines(List.of(worker("web.1", 4242, "", ", \"cpu_percent\": 12.5, \"rss_bytes\": 56885248"),
                worker("queue-consumer.12", 0, "exit status 3")));
        assertEquals(List.of(
                "NAME               PID   STATE    READY  UPTIME  RESTARTS  LAST EXIT      CPU%  RSS       STATE VER  AGE",
                "web.1              4242  running  yes    1m5s    2         -              12.5  54.3 MiB  -          -",
                "queue-consumer.12  -     stopped  no     -       2         exit status 3  -     -         -          -"), lines);
        assertEquals("queue-consumer.12".length(), StatusTable.nameWidth(lines));
    }

    @Test
    void shouldGiveTheHeadersWidthWhenEveryNameIsShorter() {
        assertEquals(4, StatusTable.nameWidth(StatusTable.lines(List.of(worker("w.1", 7, "")))));
        assertEquals(4, StatusTable.nameWidth(StatusTable.lines(List.of())));
        assertEquals(4, StatusTable.nameWidth(List.of()));
    }
}
