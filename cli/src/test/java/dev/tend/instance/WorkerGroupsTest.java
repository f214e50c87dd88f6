package dev.tend.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.engine.WorkerState;
import dev.tend.engine.WorkerStatus;
import dev.tend.os.ChildProcess;
import dev.tend.os.Signal;
import dev.tend.os.SpawnRequest;
import dev.tend.os.Spawner;
import dev.tend.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WorkerGroupsTest {
    /** Above the largest pid_max Linux allows (2^22): no process can be in such a group. */
    private static final int NO_SUCH_GROUP = 5_000_000;

    private static WorkerStatus status(String name, WorkerState state, int pid) {
        return new WorkerStatus(name, "web", 1, state, pid, state.ready(), false, 0, 0, 0, 0, 1, "", "", "", Optional.empty(),
                Optional.empty());
    }

    @Test
    void shouldForgetTheGroupsOfEndedProcessesOnceEmpty() {
        WorkerGroups groups = new WorkerGroups();
        groups.changed(status("web.1", WorkerState.RUNNING, NO_SUCH_GROUP + 1));
        groups.changed(status("web.2", WorkerState.RUNNING, NO_SUCH_GROUP + 2));
        groups.forgetEmpty();
        assertTrue(groups.contains(NO_SUCH_GROUP + 1), "a running worker's group is kept, empty or not");
        groups.changed(status("web.1", WorkerState.BACKOFF, 0));
        assertTrue(groups.contains(NO_SUCH_GROUP + 1), "ended, but not looked at since");
        groups.removed("web.2");
        groups.forgetEmpty();
        assertFalse(groups.contains(NO_SUCH_GROUP + 1), "ended and empty");
        assertFalse(groups.contains(NO_SUCH_GROUP + 2), "removed and empty");
        assertEquals(0, groups.size());
    }

    @Test
    void shouldNotGrowWithRestarts() {
        WorkerGroups groups = new WorkerGroups();
        for (int i = 1; i <= 1_000; i++) {
            groups.changed(status("web.1", WorkerState.RUNNING, NO_SUCH_GROUP + 2 * i));
            groups.changed(status("web.2", WorkerState.RUNNING, NO_SUCH_GROUP + 2 * i + 1));
            groups.changed(status("web.1", WorkerState.BACKOFF, 0));
            groups.changed(status("web.2", WorkerState.BACKOFF, 0));
            assertTrue(groups.size() <= 2 + 1 + WorkerGroups.SLACK, "restart " + i + ": " + groups.size() + " groups");
        }
        groups.forgetEmpty();
        assertEquals(0, groups.size());
    }

    @Test
    void shouldKeepAnEndedGroupWhileSomeoneIsStillInIt() {
        WorkerGroups groups = new WorkerGroups();
        // Spawned as tend spawns a worker: in a session, and so a group, of its own.
        try (ChildProcess straggler = Spawner.spawn(new SpawnRequest(Path.of("/bin/sleep"), List.of("sleep", "1000"),
                Path.of("/"), Map.of(), 0, -1))) {
            int group = straggler.pid();
            groups.changed(status("web.1", WorkerState.RUNNING, group));
            groups.changed(status("web.1", WorkerState.BACKOFF, 0));
            groups.forgetEmpty();
            assertTrue(groups.contains(group), "a live process is still in it");
            straggler.signalGroup(Signal.KILL);
            Await.until(Duration.ofSeconds(10), "the straggler's end", () -> straggler.tryReap().isPresent());
            groups.forgetEmpty();
            assertFalse(groups.contains(group), "empty now");
        }
    }
}
