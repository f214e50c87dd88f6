package dev.tend.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.testing.Await;
import dev.tend.testing.Processes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: what a handler throws is contained, never the loop's end or a worker left for ever in one state. Each
 * test makes the code a kind of handler calls out to throw (a listener, the output sink), drives that handler
 * with real processes, and then checks that tend down still stops everything.
 */
class ContainmentTest {
    @TempDir
    Path dir;

    private final List<Integer> pids = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        pids.forEach(Processes::killQuietly);
    }

    /** A listener that throws from every call: the state board over a broken file, at its worst. */
    private static final class Broken implements SupervisorListener {
        @Override
        public Map<String, String> spawning(WorkerSpec worker) {
            throw new IllegalStateException("broken at spawning " + worker.name());
        }

        @Override
        public void workerChanged(WorkerStatus status) {
            throw new IllegalStateException("broken at " + status.name() + " " + status.state());
        }

        @Override
        public void workerRemoved(String name) {
            throw new IllegalStateException("broken at removing " + name);
        }

        @Override
        public void protocolLine(String worker, byte[] line) {
            throw new IllegalStateException("broken at fd 3 of " + worker);
        }

        @Override
        public void stopping() {
            throw new IllegalStateException("broken at stopping");
        }
    }

    private static void throwOn(LogLine line, String text) {
        if (line.text().contains(text)) {
            throw new IllegalStateException("sink broken at: " + line.text());
        }
    }

    private int pid(RunningSupervisor tend, String worker) {
        int pid = tend.awaitState(worker, WorkerState.RUNNING).pid();
        pids.add(pid);
        return pid;
    }

    private static Operations.Result down(RunningSupervisor tend) throws Exception {
        CompletableFuture<Operations.Result> answer = new CompletableFuture<>();
        tend.onLoop(() -> {
            tend.supervisor.operations().down(answer::complete);
            return null;
        });
        return answer.get(RunningSupervisor.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void assertAllGone(RunningSupervisor tend) {
        for (int pid : pids) {
            Await.until(RunningSupervisor.WAIT, "worker " + pid + " to be gone; lines:\n" + tend.text(),
                    () -> !Processes.alive(pid));
        }
    }

    @Test
    void shouldStopEverythingWhenEveryListenerCallThrows() throws Exception {
        try (RunningSupervisor tend = new RunningSupervisor(dir, """
                [pool.talker]
                command = "echo '{\\"a\\": \\"b\\"}' >&3; exec cat"
                [pool.leaver]
                command = "cat; echo '{\\"a\\": \\"b\\"}' >&3"
                [pool.notified]
                command = ["cat"]
                ready = "notify"
                [pool.crasher]
                command = "exit 3"
                backoff_min = "20ms"
                """, line -> { }, List.of(new Broken()))) {
            pid(tend, "talker.1");
            pid(tend, "leaver.1");
            tend.awaitLine("the fd-3 line handler's failure", l -> l.text().contains("broken at fd 3 of talker.1"));
            // What a READY=1 datagram on the worker's notify socket calls.
            tend.awaitState("notified.1", WorkerState.STARTING);
            tend.onLoop(() -> {
                tend.supervisor.workerReady("notified.1");
                return null;
            });
            pid(tend, "notified.1");
            // Restarted by its backoff timer, whose spawn meets the broken listener again.
            Await.until(RunningSupervisor.WAIT, "crasher restarted", () -> tend.worker("crasher.1").attempts() >= 3);
            // What a control request calls.
            CompletableFuture<Operations.Result> stopped = new CompletableFuture<>();
            tend.onLoop(() -> {
                tend.supervisor.operations().stop(List.of("talker"), true, false, stopped::complete);
                return null;
            });
            assertTrue(stopped.get(RunningSupervisor.WAIT.toMillis(), TimeUnit.MILLISECONDS).ok(), tend.text());
            assertTrue(down(tend).ok(), tend.text());
            assertEquals(0, tend.awaitExit(), tend.text());
            assertAllGone(tend);
            for (WorkerStatus w : tend.status()) {
                assertTrue(w.state().atRest(), w + "\n" + tend.text());
            }
            assertTrue(tend.text().contains("internal error in Broken (java.lang.IllegalStateException: broken at"),
                    tend.text());
        }
    }

    @Test
    void shouldStopEverythingWhenTheOutputSinkThrows() throws Exception {
        Consumer<LogLine> sink = line -> {
            if (!line.source().equals("tend")) {
                throw new IllegalStateException("sink broken at a line of " + line.source());
            }
            // The line the grace timer prints just as it kills.
            throwOn(line, "did not exit within");
            throwOn(line, "stop requested");
        };
        try (RunningSupervisor tend = new RunningSupervisor(dir, """
                [pool.chatty]
                command = "echo hello; exec cat"
                [pool.leaver]
                command = "cat; echo bye"
                [pool.deaf]
                command = ["sleep", "1000"]
                grace = "200ms"
                """, sink, List.of())) {
            pid(tend, "chatty.1");
            pid(tend, "leaver.1");
            pid(tend, "deaf.1");
            tend.awaitLine("chatty's line", l -> l.text().equals("hello"));
            assertTrue(down(tend).ok(), tend.text());
            assertEquals(0, tend.awaitExit(), tend.text());
            assertAllGone(tend);
            assertTrue(tend.text().contains("deaf.1 killed after its grace of 200ms"), tend.text());
            List<String> printedNot = tend.onLoop(() -> tend.supervisor.logs().recent(l -> true, 1000).stream()
                    .map(LogLine::text).filter(t -> t.startsWith("internal error: a line could not be printed"))
                    .toList());
            assertFalse(printedNot.isEmpty(), tend.text());
        }
    }
}
