package dev.tend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.os.ProcessInfo;
import dev.tend.os.Signal;
import dev.tend.os.UserId;
import dev.tend.testing.Await;
import dev.tend.testing.Processes;
import dev.tend.testing.TendProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tend as a container's PID 1, and a tend started after one that was killed with SIGKILL. */
class ContainerTest {
    @TempDir
    Path dir;

    private static List<Long> children(long pid) throws IOException {
        List<Long> out = new ArrayList<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String text = Files.readString(task.resolve("children")).trim();
                if (!text.isEmpty()) {
                    for (String c : text.split(" ")) {
                        out.add(Long.parseLong(c));
                    }
                }
            }
        }
        return out;
    }

    private static boolean zombie(long pid) {
        try {
            return Processes.statusField(pid, "State").startsWith("Z");
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void shouldReapOrphansAndHonourSigtermAsPid1() throws Exception {
        Assumptions.assumeTrue(UserId.real() == 0, "a new PID namespace needs root here");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/unshare")), "unshare is missing");
        Files.writeString(dir.resolve("tend.toml"), """
                [pool.forker]
                # Each round leaves orphans behind: subshells exit at once, their sleeps outlive them briefly.
                command = "for i in 1 2 3 4 5 6 7 8; do (sleep 0.2 &); done; echo orphans made; exec cat"
                count = 2
                """);
        List<String> command = new ArrayList<>(List.of("unshare", "--pid", "--fork", "--mount-proc"));
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Djna.platform.library.path=" + System.getProperty("jna.platform.library.path", "/usr/lib"));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.tend.cli.Main", "up"));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("NO_COLOR", "1");
        pb.environment().put("TEND_RUNTIME_DIR", TendProcess.RUNTIME_BASE.toString());
        Process unshare = pb.start();
        StringBuilder out = new StringBuilder();
        Thread reader = new Thread(() -> {
            try {
                out.append(new String(unshare.getInputStream().readAllBytes()));
            } catch (IOException ignored) {
                // process gone
            }
        });
        reader.start();
        try {
            long tend = Await.value(TendProcess.WAIT, "tend forked by unshare", () -> {
                try {
                    List<Long> c = children(unshare.pid());
                    return c.size() == 1 ? c.get(0) : null;
                } catch (IOException e) {
                    return null;
                }
            });
            assertEquals("1", Files.readString(Path.of("/proc/" + tend + "/status")).lines()
                    .filter(l -> l.startsWith("NSpid:")).map(l -> l.split("\\s+")[2]).findFirst().orElse("?"),
                    "tend is PID 1 in its namespace");
            // The orphans (16 sleeps) become tend's children, exit after 0.2 s and must be reaped.
            Await.until(TendProcess.WAIT, "only the two workers left as tend's children, no zombie", () -> {
                try {
                    List<Long> c = children(tend);
                    return c.size() == 2 && c.stream().noneMatch(ContainerTest::zombie);
                } catch (IOException e) {
                    return false;
                }
            });
            // destroy() of a ProcessHandle is SIGTERM.
            ProcessHandle.of(tend).orElseThrow().destroy();
            assertTrue(unshare.waitFor(TendProcess.WAIT.toSeconds(), TimeUnit.SECONDS),
                    "tend as PID 1 ended on SIGTERM");
            reader.join(5000);
            assertEquals(0, unshare.exitValue(), out.toString());
            assertTrue(out.toString().contains("SIGTERM received; stopping 2 workers"), out.toString());
        } finally {
            unshare.destroyForcibly();
        }
    }

    @Test
    void shouldStopWorkersLeftByAKilledTendAndSpareAReusedPid() throws Exception {
        Files.writeString(dir.resolve("tend.toml"), """
                [pool.deaf]
                # ignores stdin (EOF) and SIGTERM: only the kill after the grace ends it
                command = "trap '' TERM; exec sleep 1000"
                stop_signal = "TERM"
                grace = "300ms"
                """);
        long leftover;
        try (TendProcess first = TendProcess.start(dir, "up")) {
            leftover = first.awaitWorkerPid("deaf.1");
            Path record = TendProcess.instanceDirectory(dir).resolve("workers");
            Await.until(TendProcess.WAIT, "the worker recorded", () -> {
                try {
                    return Files.readString(record).startsWith("deaf.1 " + leftover + " ");
                } catch (IOException e) {
                    return false;
                }
            });
            first.signal(Signal.KILL);
            first.awaitExit();
        }
        assertTrue(Processes.alive(leftover), "a worker that ignores EOF outlives a killed tend");
        // An unrelated process whose pid appears in the record with another start time: as if the pid had
        // been reused. It must be left alone.
        Process bystander = new ProcessBuilder("sleep", "1000").start();
        try {
            Path record = TendProcess.instanceDirectory(dir).resolve("workers");
            long realStart = ProcessInfo.startTime((int) bystander.pid()).orElseThrow();
            Files.writeString(record, Files.readString(record) + "ghost.1 " + bystander.pid() + " " + (realStart - 5)
                    + " 100 TERM\n");
            try (TendProcess second = TendProcess.start(dir, "up")) {
                second.awaitLine("the leftover found", l -> l.contains("deaf.1 (pid " + leftover
                        + ") is still running from a previous tend that ended abruptly"));
                Await.until(TendProcess.WAIT, "the leftover killed", () -> !Processes.alive(leftover));
                long fresh = second.awaitWorkerPid("deaf.1");
                assertTrue(fresh != leftover);
                assertTrue(bystander.isAlive(), "a process with a reused pid was touched");
                assertFalse(second.stdout().contains("ghost.1"), second.stdout());
                second.signal(Signal.TERM);
                assertEquals(0, second.awaitExit());
            }
        } finally {
            bystander.destroyForcibly();
        }
    }

    @Test
    void shouldStopDescendantsThatLeftTheirWorkersGroupAtShutdown() throws Exception {
        Files.writeString(dir.resolve("tend.toml"), """
                [pool.daemonizer]
                # Two processes escape the worker's process group with setsid: one stops on SIGTERM, one ignores it.
                command = "setsid sleep 1000 & echo polite $!; setsid sh -c 'trap \\"\\" TERM; exec sleep 1000' & echo deaf $!; exec cat"
                grace = "500ms"
                """);
        try (TendProcess tend = TendProcess.start(dir, "up")) {
            long polite = Long.parseLong(tend.awaitLine("polite", l -> l.contains("| polite ")).replaceAll(".* ", ""));
            long deaf = Long.parseLong(tend.awaitLine("deaf", l -> l.contains("| deaf ")).replaceAll(".* ", ""));
            assertTrue(Processes.alive(polite) && Processes.alive(deaf));
            tend.signal(Signal.TERM);
            assertEquals(0, tend.awaitExit(), tend.stdout());
            assertTrue(tend.stdout().contains(
                    "2 processes started under tend outlived their parent, outside any worker's process group"), tend.stdout());
            assertFalse(Processes.alive(polite), "SIGTERM at shutdown");
            assertFalse(Processes.alive(deaf), "SIGKILL after the grace");
        }
    }
}
