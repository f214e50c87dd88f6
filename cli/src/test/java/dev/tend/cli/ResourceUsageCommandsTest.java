package dev.tend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.json.Json;
import dev.tend.testing.Await;
import dev.tend.testing.TendProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CPU and memory as users see them: max_memory in a real {@code tend up}, and the columns of {@code tend ps}. */
class ResourceUsageCommandsTest {
    @TempDir
    Path dir;

    private String eofLog() {
        try {
            return Files.readString(dir.resolve("eof.log"));
        } catch (IOException e) {
            return "";
        }
    }

    private Map<String, Object> ps() throws Exception {
        TendProcess.Result r = TendProcess.run(dir, "ps", "--json");
        assertEquals(0, r.exitCode(), r.toString());
        return Json.parseObject(r.stdout().trim());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> worker(Map<String, Object> ps, String name) {
        for (Object w : (List<Object>) ps.get("workers")) {
            if (name.equals(((Map<String, Object>) w).get("name"))) {
                return (Map<String, Object>) w;
            }
        }
        throw new AssertionError("no " + name + " in " + ps);
    }

    @Test
    void shouldRestartAWorkerOverMaxMemoryAndShowCpuAndRssInPs() throws Exception {
        Path script = dir.resolve("hold.sh");
        Files.writeString(script, """
                #!/bin/sh
                x=$(head -c "$1" /dev/zero | tr '\\0' x)
                echo "holding $1 bytes"
                while read line; do :; done
                echo "$TEND_WORKER saw EOF" >> eof.log
                """);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        try (TendProcess up = TendProcess.up(dir, """
                [pool.leaky]
                command = ["./hold.sh", "48000000"]
                max_memory = "32MiB"
                [pool.steady]
                command = ["./hold.sh", "8000000"]
                max_memory = "512MiB"
                [pool.done]
                command = "exit 0"
                """)) {
            long leakyPid = up.awaitWorkerPid("leaky.1");
            long steadyPid = up.awaitWorkerPid("steady.1");
            up.awaitLine("steady holding", l -> l.contains("steady.1 | holding"));
            // The default period is 5 s: the first sample after the allocation catches it.
            String said = up.awaitLine("the max_memory line", l -> l.contains("leaky.1 uses "));
            assertTrue(said.matches(".*leaky\\.1 uses \\d+(\\.\\d)? MiB > max_memory 32 MiB; restarting"), said);
            Await.until(TendProcess.WAIT, "leaky.1 saw EOF", () -> eofLog().contains("leaky.1 saw EOF"));
            up.awaitLine("leaky.1 started again", l -> l.contains("| leaky.1 started (pid ")
                    && !l.contains("(pid " + leakyPid + ")"));

            Map<String, Object> ps = Await.value(TendProcess.WAIT, "tend's own figures", () -> {
                try {
                    Map<String, Object> status = ps();
                    return status.get("rss_bytes") instanceof Number ? status : null;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            assertTrue(((Number) ps.get("rss_bytes")).longValue() > 10_000_000, "a JVM: " + ps);
            assertTrue(ps.get("cpu_percent") instanceof Number, ps.toString());
            Map<String, Object> leaky = worker(ps, "leaky.1");
            assertTrue(((Number) leaky.get("restarts")).intValue() >= 1, leaky.toString());
            assertEquals(0L, ((Number) leaky.get("failures")).longValue(), "not a failure: " + leaky);
            Map<String, Object> steady = worker(ps, "steady.1");
            assertEquals(steadyPid, ((Number) steady.get("pid")).longValue());
            assertEquals(0L, ((Number) steady.get("restarts")).longValue());
            assertTrue(((Number) steady.get("rss_bytes")).longValue() >= 8_000_000, steady.toString());
            assertTrue(steady.get("cpu_percent") instanceof Number, steady.toString());
            assertFalse(worker(ps, "done.1").containsKey("rss_bytes"), "no process, no figures");
            assertFalse(eofLog().contains("steady.1"), eofLog());

            TendProcess.Result table = TendProcess.run(dir, "ps");
            List<String> lines = table.stdout().lines().toList();
            String header = lines.get(1);
            assertTrue(header.matches("NAME +PID +STATE +READY +UPTIME +RESTARTS +LAST EXIT +CPU% +RSS +STATE VER +AGE"),
                    table.toString());
            int cpu = header.indexOf("CPU%");
            int rss = header.indexOf("RSS");
            String steadyRow = lines.stream().filter(l -> l.startsWith("steady.1 ")).findFirst().orElseThrow();
            assertTrue(steadyRow.substring(cpu, rss).strip().matches("\\d+\\.\\d"), steadyRow);
            assertTrue(steadyRow.substring(rss).matches("\\d+(\\.\\d)? MiB +- +-"), steadyRow);
            String doneRow = lines.stream().filter(l -> l.startsWith("done.1 ")).findFirst().orElseThrow();
            assertTrue(doneRow.substring(cpu).matches("- +- +- +-"), doneRow);
        }
    }
}
