package dev.tend.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.protocol.ResourceUsage;
import dev.tend.testing.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage sampling and max_memory with a real supervisor and real workers that hold memory. */
class UsageSamplerTest {
    @TempDir
    Path dir;

    /**
     * A worker that holds {@code $1} bytes in a shell variable, reads its stdin to the end, then notes that it saw
     * EOF in {@code eof.log} and exits.
     */
    private void writeHolder() throws Exception {
        Path script = dir.resolve("hold.sh");
        Files.writeString(script, """
                #!/bin/sh
                x=$(head -c "$1" /dev/zero | tr '\\0' x)
                echo "holding $1 bytes"
                while read line; do :; done
                echo "$TEND_WORKER saw EOF" >> eof.log
                """);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    }

    private String eofLog() {
        try {
            return Files.readString(dir.resolve("eof.log"));
        } catch (IOException e) {
            return "";
        }
    }

    private static Optional<ResourceUsage> usage(RunningSupervisor s, String worker) {
        return s.onLoop(() -> s.supervisor.usage().of(worker, s.supervisor.status().stream()
                .filter(w -> w.name().equals(worker)).findFirst().orElseThrow().pid()));
    }

    @Test
    void shouldRestartAWorkerOverMaxMemoryGracefullyAndLeaveOneUnderItAlone() throws Exception {
        writeHolder();
        try (RunningSupervisor s = new RunningSupervisor(dir, """
                [pool.leaky]
                command = ["./hold.sh", "48000000"]
                max_memory = "32MiB"
                [pool.steady]
                command = ["./hold.sh", "8000000"]
                max_memory = "512MiB"
                """)) {
            s.awaitLine("steady holding", l -> l.source().equals("steady.1") && l.text().startsWith("holding"));
            int steadyPid = s.worker("steady.1").pid();
            int leakyPid = s.awaitState("leaky.1", WorkerState.RUNNING).pid();
            assertEquals(Optional.of(UsageSampler.PERIOD), s.onLoop(() -> s.supervisor.usage().period()),
                    "max_memory keeps the timer on");
            // Samples every 250 ms instead of 5 s: the test need not wait for the default period.
            s.onLoop(() -> s.supervisor.usage().demand(Duration.ofMillis(250)));
            LogLine said = s.awaitLine("the max_memory line", l -> l.text().startsWith("leaky.1 uses "));
            assertTrue(said.text().matches("leaky\\.1 uses \\d+(\\.\\d)? MiB > max_memory 32 MiB; restarting"), said.text());
            assertEquals(LogLine.Channel.WARNING, said.channel());
            Await.until(RunningSupervisor.WAIT, "leaky.1 saw EOF", () -> eofLog().contains("leaky.1 saw EOF"));
            WorkerStatus leaky = Await.value(RunningSupervisor.WAIT, "leaky.1 running again", () -> {
                WorkerStatus w = s.worker("leaky.1");
                return w.pid() != 0 && w.pid() != leakyPid ? w : null;
            });
            assertTrue(leaky.restarts() >= 1, leaky.toString());
            assertEquals(0, leaky.failures(), "a restart for memory is no failure: " + leaky);
            assertTrue(leaky.lastExit().contains("max_memory 32 MiB"), leaky.lastExit());
            assertFalse(s.text().contains("steady.1 uses"), s.text());
            WorkerStatus steady = s.worker("steady.1");
            assertEquals(steadyPid, steady.pid());
            assertEquals(0, steady.restarts());
            ResourceUsage used = usage(s, "steady.1").orElseThrow();
            assertTrue(used.rssBytes() >= 8_000_000, "the variable and the shell: " + used);
            assertFalse(eofLog().contains("steady.1"));
        }
    }

    @Test
    void shouldSampleWhenPsAsksWithCpuSinceTheWorkerStarted() throws Exception {
        try (RunningSupervisor s = new RunningSupervisor(dir, """
                [pool.busy]
                command = "while :; do :; done"
                """)) {
            int pid = s.awaitState("busy.1", WorkerState.RUNNING).pid();
            UsageSampler usage = s.supervisor.usage();
            Await.until(RunningSupervisor.WAIT, "busy.1 sampled busy", () -> s.onLoop(() -> {
                usage.refresh();
                return usage.of("busy.1", pid).map(u -> u.cpuPercent() > 20).orElse(false);
            }));
            assertEquals(Optional.empty(), s.onLoop(usage::period), "a refresh arms no timer");
        }
    }

    @Test
    void shouldSampleAtLeastAsOftenAsDemandedWhileRegistered() throws Exception {
        try (RunningSupervisor s = new RunningSupervisor(dir, """
                [pool.web]
                command = ["cat"]
                """)) {
            int pid = s.awaitState("web.1", WorkerState.RUNNING).pid();
            UsageSampler usage = s.supervisor.usage();
            assertEquals(Optional.empty(), s.onLoop(usage::period), "no max_memory, nobody asking: no timer at all");
            assertEquals(Optional.empty(), s.onLoop(() -> usage.of("web.1", pid)), "never sampled");
            AtomicInteger samples = new AtomicInteger();
            UsageSampler.Registration live = s.onLoop(() -> usage.demand(Duration.ofMillis(300), samples::incrementAndGet));
            assertEquals(Optional.of(Duration.ofMillis(300)), s.onLoop(usage::period));
            // Four samples could not have been taken in 4 s at the default period of 5 s.
            Await.until(Duration.ofSeconds(4), "four samples", () -> samples.get() >= 4);
            ResourceUsage cat = s.onLoop(() -> usage.of("web.1", pid)).orElseThrow();
            assertTrue(cat.rssBytes() > 0 && cat.cpuPercent() >= 0, cat.toString());
            assertTrue(s.onLoop(usage::own).orElseThrow().rssBytes() > 0, "tend's own figures");
            assertEquals(Optional.empty(), s.onLoop(() -> usage.of("web.1", pid + 1)), "another process of web.1");
            s.onLoop(() -> {
                live.close();
                return null;
            });
            Await.until(RunningSupervisor.WAIT, "the timer off once the demand is withdrawn",
                    () -> s.onLoop(usage::period).isEmpty());
            int after = samples.get();
            assertEquals(after, s.onLoop(samples::get), "no callback once closed");
            assertEquals(Optional.of(Duration.ofMillis(250)), s.onLoop(() -> {
                UsageSampler.Registration fast = usage.demand(Duration.ofMillis(1));
                Optional<Duration> shortest = usage.period();
                fast.close();
                return shortest;
            }), "no faster than the shortest period");
        }
    }
}
