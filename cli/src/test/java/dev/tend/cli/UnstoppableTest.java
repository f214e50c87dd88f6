package dev.tend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.os.Signal;
import dev.tend.testing.Await;
import dev.tend.testing.Processes;
import dev.tend.testing.TendProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: nothing a worker writes may leave tend unable to stop. Each test feeds a real {@code tend up} what a
 * broken or hostile worker can produce, then checks that {@code tend ps} and {@code tend down} still work and that
 * no worker survives.
 */
class UnstoppableTest {
    @TempDir
    Path dir;

    /** Workers to kill if a test fails while tend is wedged: tend would not, and they must not outlive the test. */
    private final List<Long> workers = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        workers.forEach(Processes::killQuietly);
    }

    private long worker(TendProcess tend, String name) {
        long pid = tend.awaitWorkerPid(name);
        workers.add(pid);
        return pid;
    }

    @Test
    void shouldStillStopAfterASnapshotWithAnEmptyKeyOnFd3() throws Exception {
        try (TendProcess tend = TendProcess.up(dir, """
                [pool.bad]
                command = ["sh", "-c", "echo '{\\"\\": \\"x\\"}' >&3; exec sleep 1000"]
                """)) {
            long worker = worker(tend, "bad.1");
            tend.awaitLine("the warning about the bad line", l -> l.contains("bad.1 wrote a line on fd 3 that is not a"
                    + " snapshot") && l.contains("empty"));
            TendProcess.Result ps = TendProcess.run(dir, "ps");
            assertEquals(0, ps.exitCode(), ps.toString());
            TendProcess.Result down = TendProcess.run(dir, "down");
            assertEquals(0, down.exitCode(), down + "\n--- tend up\n" + tend.stdout() + tend.stderr());
            assertEquals(0, tend.awaitExit(), tend.stdout() + tend.stderr());
            assertFalse(tend.stderr().contains("internal error"), tend.stderr());
            assertFalse(Processes.alive(worker));
        }
    }

    @Test
    void shouldStillStopAfterAWorkerScribbledAHugeSlotCountIntoTheStateFile() throws Exception {
        try (TendProcess tend = TendProcess.up(dir, """
                [pool.scribbler]
                command = '''printf '\\377\\377\\377\\177' | dd of="$TEND_STATE" bs=1 seek=64 conv=notrunc 2>/dev/null \
                && touch scribbled; exec sleep 1000'''
                [pool.honest]
                command = ["sh", "-c", "echo '{\\"k\\": \\"v\\"}' >&3; exec sleep 1000"]
                """)) {
            long scribbler = worker(tend, "scribbler.1");
            long honest = worker(tend, "honest.1");
            Await.until(TendProcess.WAIT, "the scribble", () -> Files.exists(dir.resolve("scribbled")));
            TendProcess.Result ps = TendProcess.run(dir, "ps");
            assertEquals(0, ps.exitCode(), ps.toString());
            assertTrue(ps.stdout().contains("scribbler.1"), ps.toString());
            TendProcess.Result get = TendProcess.run(dir, "get", "honest");
            assertEquals(1, get.exitCode(), get.toString());
            assertTrue(get.stderr().contains("is corrupted at offset 64 (slotCount)"), get.toString());
            assertFalse(get.stderr().contains("internal error"), get.toString());
            TendProcess.Result down = TendProcess.run(dir, "down");
            assertEquals(0, down.exitCode(), down + "\n--- tend up\n" + tend.stdout() + tend.stderr());
            assertEquals(0, tend.awaitExit(), tend.stdout() + tend.stderr());
            assertFalse(tend.stderr().contains("internal error"), tend.stderr());
            assertFalse(Processes.alive(scribbler));
            assertFalse(Processes.alive(honest));
        }
    }

    /**
     * A state file truncated under the supervisor's mapping would fault (SIGBUS) at every call into the state board:
     * on a transition, at a spawn, for tend ps. Each kind of handler meets it with real input: an fd-3 line and a
     * notify datagram (both make their worker ready), a backoff timer and a grace timer, exits, control requests.
     */
    @Test
    void shouldStillStopWhenAWorkerTruncatesTheStateFile() throws Exception {
        try (TendProcess tend = TendProcess.up(dir, """
                [pool.truncator]
                command = "truncate -s 0 \\"$TEND_STATE\\" && touch truncated; exec sleep 1000"
                grace = "300ms"
                [pool.notifier]
                command = "while [ ! -e truncated ]; do sleep 0.02; done; systemd-notify --ready --status=up; exec cat"
                ready = "notify"
                [pool.publisher]
                command = "while [ ! -e truncated ]; do sleep 0.02; done; echo '{\\"k\\": \\"v\\"}' >&3; echo >&3; exec cat"
                ready = "publish"
                [pool.crasher]
                command = "while [ ! -e truncated ]; do sleep 0.02; done; exit 3"
                backoff_min = "50ms"
                """)) {
            long truncator = worker(tend, "truncator.1");
            long notifier = worker(tend, "notifier.1");
            long publisher = worker(tend, "publisher.1");
            tend.awaitLine("the truncation noticed", l -> l.contains("was truncated by someone else; tend no longer"
                    + " writes to it"));
            tend.awaitLine("notifier ready", l -> l.contains("notifier.1 is ready"));
            tend.awaitLine("publisher ready", l -> l.contains("publisher.1 is ready"));
            tend.awaitLine("crasher restarted by its backoff timer", l -> l.contains("crasher.1 failed")
                    && l.contains("failure 2 of"));
            TendProcess.Result ps = TendProcess.run(dir, "ps");
            assertEquals(0, ps.exitCode(), ps.toString());
            assertTrue(ps.stdout().contains("notifier.1"), ps.toString());
            TendProcess.Result stop = TendProcess.run(dir, "stop", "publisher");
            assertEquals(0, stop.exitCode(), stop + "\n--- tend up\n" + tend.stdout() + tend.stderr());
            TendProcess.Result down = TendProcess.run(dir, "down");
            assertEquals(0, down.exitCode(), down + "\n--- tend up\n" + tend.stdout() + tend.stderr());
            assertEquals(0, tend.awaitExit(), tend.stdout() + tend.stderr());
            assertTrue(tend.stdout().contains("truncator.1 did not exit within its grace of 300ms"), tend.stdout());
            assertFalse(tend.stderr().contains("Exception"), tend.stderr());
            assertFalse(tend.stdout().contains("internal error"), tend.stdout());
            for (long pid : List.of(truncator, notifier, publisher)) {
                assertFalse(Processes.alive(pid), "worker " + pid + " survived");
            }
        }
    }

    /** The second signal does not wait out the longest grace for a process that escaped its worker's group. */
    @Test
    void shouldKillEscapedProcessesAtOnceOnTheSecondSigterm() throws Exception {
        Path pidFile = dir.resolve("escaped.pid");
        try (TendProcess tend = TendProcess.up(dir, """
                [pool.escaper]
                command = "setsid sh -c 'trap \\"\\" TERM; echo $$ > escaped.pid; exec sleep 1000' & exec sleep 1000"
                grace = "10m"
                """)) {
            long worker = worker(tend, "escaper.1");
            long escaped = Await.value(TendProcess.WAIT, "the escaped process's pid", () -> {
                try {
                    String text = Files.readString(pidFile).trim();
                    return text.isEmpty() ? null : Long.parseLong(text);
                } catch (IOException e) {
                    return null;
                }
            });
            workers.add(escaped);
            tend.signal(Signal.TERM);
            tend.awaitLine("graceful stop", l -> l.contains("SIGTERM received; stopping 1 worker"));
            tend.signal(Signal.TERM);
            assertEquals(0, tend.awaitExit(), tend.stdout() + tend.stderr());
            assertTrue(tend.stdout().contains("SIGTERM again: killing the remaining workers"), tend.stdout());
            assertFalse(Processes.alive(worker));
            Await.until(TendProcess.WAIT, "the escaped process " + escaped + " to be killed; tend said:\n" + tend.stdout(),
                    () -> !Processes.alive(escaped));
        }
    }
}
