package dev.tend.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tend.state.StateException;
import dev.tend.state.StateFile;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TendStateTest {
    @TempDir
    Path dir;

    @Test
    void theEnvironmentNamesTheFileTheSlotAndTheEpoch() {
        try (StateFile file = StateFile.create(dir.resolve("state"))) {
            int slot = file.allocate("queue.2", "queue");
            long epoch = file.nextEpoch(slot);
            file.allocate("queue.1", "queue");
            Map<String, String> env = Map.of(TendState.STATE_ENV, file.path().toString(),
                    TendState.WORKER_ENV, "queue.2", TendState.EPOCH_ENV, Long.toString(epoch));
            try (TendState state = TendState.fromEnvironment(env)) {
                assertEquals("queue.2", state.workerName());
                assertEquals(epoch, state.epoch());
                assertEquals(file.path(), state.file());
                assertSame(state.publisher(), state.publisher());
                state.publisher().publishStrings(Map.of("jobs", "3"));
                assertEquals("3", state.reader().slot("queue.2").snapshot().getString("jobs"));
                assertEquals(StateException.Reason.AMBIGUOUS,
                        assertThrows(StateException.class, () -> state.reader().slot("queue")).reason());
            }
        }
    }

    @Test
    void aMissingOrMalformedVariableIsNamed() {
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> TendState.fromEnvironment(Map.of(TendState.STATE_ENV, "/x", TendState.WORKER_ENV, "w")));
        assertEquals("TEND_STATE_EPOCH is not set: this process was not started by tend as a worker",
                missing.getMessage());
        IllegalStateException bad = assertThrows(IllegalStateException.class,
                () -> TendState.fromEnvironment(Map.of(TendState.STATE_ENV, "/x", TendState.WORKER_ENV, "w",
                        TendState.EPOCH_ENV, "seven")));
        assertEquals("TEND_STATE_EPOCH must be a decimal number, was \"seven\"", bad.getMessage());
    }
}
