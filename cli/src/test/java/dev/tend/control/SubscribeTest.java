package dev.tend.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.client.ControlClient;
import dev.tend.protocol.InstanceStatus;
import dev.tend.protocol.Protocol;
import dev.tend.protocol.Request;
import dev.tend.protocol.WorkerEntry;
import dev.tend.testing.Await;
import dev.tend.testing.Processes;
import dev.tend.testing.TendProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code subscribe} against a real {@code tend up}: the whole status first, then a message on each change, at
 * most ten a second however fast things change, and nothing at all while nothing changes.
 */
class SubscribeTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    /** The status events of one subscription, received on a thread of their own until it is closed. */
    private static final class Subscription implements AutoCloseable {
        final List<InstanceStatus> statuses = new CopyOnWriteArrayList<>();
        private final Thread thread;

        Subscription(Path socket) {
            thread = new Thread(() -> {
                try {
                    ControlClient.request(socket, new Request.Subscribe().toJson(), event -> {
                        assertEquals(InstanceStatus.EVENT, event.get(Protocol.EVENT));
                        statuses.add(InstanceStatus.fromJson(event));
                    });
                } catch (Exception e) {
                    // closed by the test (interrupt) or tend stopped
                }
            }, "subscriber");
            thread.setDaemon(true);
            thread.start();
        }

        InstanceStatus last() {
            return statuses.get(statuses.size() - 1);
        }

        WorkerEntry worker(String name) {
            return last().workers().stream().filter(w -> w.name().equals(name)).findFirst().orElseThrow();
        }

        @Override
        public void close() throws InterruptedException {
            thread.interrupt();
            thread.join(5000);
        }
    }

    /** The status as of its arrival, without ages, uptimes and CPU/RSS figures: what "nothing changed" compares. */
    private static InstanceStatus withoutUsage(InstanceStatus status) {
        InstanceStatus still = status.timeless();
        return new InstanceStatus(still.instance(), still.pid(), still.config(), still.stopping(),
                still.workers().stream().map(SubscribeTest::withoutUsage).toList(), Optional.empty());
    }

    private static WorkerEntry withoutUsage(WorkerEntry w) {
        return new WorkerEntry(w.name(), w.pool(), w.instance(), w.state(), w.pid(), w.ready(), w.finishedCleanly(),
                w.uptimeMillis(), w.stateSinceEpochMillis(), w.restarts(), w.failures(), w.attempts(), w.lastExit(),
                w.reason(), w.status(), w.published(), w.health(), Optional.empty(), w.job());
    }

    private Path socket() {
        return TendProcess.instanceDirectory(dir).resolve("control.sock");
    }

    @Test
    void sendsTheWholeStatusThenEachChangeAndNothingWhileIdle() throws Exception {
        try (TendProcess tend = TendProcess.up(dir, """
                [pool.web]
                command = ["cat"]
                count = 2
                """)) {
            int pid = (int) tend.awaitWorkerPid("web.1");
            tend.awaitLine("web.2 started", l -> l.contains("web.2 started"));
            try (Subscription sub = new Subscription(socket())) {
                Await.until(WAIT, "a status with both workers running", () -> !sub.statuses.isEmpty()
                        && sub.last().workers().size() == 2
                        && sub.last().workers().stream().allMatch(w -> w.state().equals("running")));
                InstanceStatus first = sub.statuses.get(0);
                assertEquals(dir.getFileName().toString(), first.instance());
                assertEquals(tend.pid(), first.pid());
                assertEquals(List.of("web.1", "web.2"), first.workers().stream().map(WorkerEntry::name).toList());

                // Idle: the once-a-second refresh sends nothing but fresh CPU and memory figures, at most once a
                // second (tend's own RSS moves a little at every sample).
                int settled = sub.statuses.size();
                InstanceStatus before = withoutUsage(sub.last());
                Thread.sleep(2500); // what is tested is what arrives (or not) over a span
                List<InstanceStatus> idle = List.copyOf(sub.statuses.subList(settled, sub.statuses.size()));
                assertTrue(idle.size() <= 3, "more than one message a second while nothing changed: " + idle);
                for (InstanceStatus s : idle) {
                    assertEquals(before, withoutUsage(s), "only the figures may change while idle");
                }

                Processes.killQuietly(pid);
                Await.until(WAIT, "web.1 replaced with a new pid", () -> {
                    WorkerEntry w = sub.worker("web.1");
                    return w.pid() != 0 && w.pid() != pid && w.restarts() == 1;
                });
                assertNotEquals(pid, sub.worker("web.1").pid());
            }
        }
    }

    @Test
    void coalescesAFastPublisherToAtMostTenMessagesASecond() throws Exception {
        try (TendProcess tend = TendProcess.up(dir, """
                [pool.busy]
                command = 'i=0; while :; do i=$((i+1)); echo "{\\"n\\": $i}" >&3; done'
                """)) {
            tend.awaitLine("busy.1 started", l -> l.contains("busy.1 started"));
            try (Subscription sub = new Subscription(socket())) {
                Await.until(WAIT, "published versions", () -> !sub.statuses.isEmpty()
                        && sub.worker("busy.1").published().map(WorkerEntry.PublishedState::version).orElse(0L) > 10);
                int from = sub.statuses.size();
                long start = System.nanoTime();
                Thread.sleep(3000); // counting what arrives over a span of churn
                int count = sub.statuses.size() - from;
                double seconds = (System.nanoTime() - start) / 1e9;
                assertTrue(count <= Math.ceil(seconds * 10) + 2, count + " messages in " + seconds + " s");
                assertTrue(count >= 3, "the changes kept coming: " + count + " messages in " + seconds + " s");
                long v1 = sub.statuses.get(from).workers().get(0).published().orElseThrow().version();
                long v2 = sub.last().workers().get(0).published().orElseThrow().version();
                assertTrue(v2 > v1, "versions advance: " + v1 + " then " + v2);
            }
        }
    }
}
