package dev.tend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.testing.Await;
import dev.tend.testing.Processes;
import dev.tend.testing.TendProcess;
import java.nio.file.Files;
import java.nio.file.Path;
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

    @Test
    void shouldStillStopAfterASnapshotWithAnEmptyKeyOnFd3() throws Exception {
        try (TendProcess tend = TendProcess.up(dir, """
                [pool.bad]
                command = ["sh", "-c", "echo '{\\"\\": \\"x\\"}' >&3; exec sleep 1000"]
                """)) {
            long worker = tend.awaitWorkerPid("bad.1");
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
            long scribbler = tend.awaitWorkerPid("scribbler.1");
            long honest = tend.awaitWorkerPid("honest.1");
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
}
