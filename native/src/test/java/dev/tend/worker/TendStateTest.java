package dev.tend.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tend.state.OwnerToken;
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
    void theEnvironmentNamesTheFileTheSlotAndTheToken() {
        try (StateFile file = StateFile.create(dir.resolve("state"))) {
            int slot = file.allocate("queue.2", "queue");
            long token = file.newIncarnation(slot).token();
            file.allocate("queue.1", "queue");
            Map<String, String> env = Map.of(TendState.STATE_ENV, file.path().toString(),
                    TendState.WORKER_ENV, "queue.2", TendState.TOKEN_ENV, OwnerToken.format(token));
            try (TendState state = TendState.fromEnvironment(env)) {
                assertEquals("queue.2", state.workerName());
                assertEquals(token, state.token());
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
        assertEquals("TEND_STATE_TOKEN is not set: this process was not started by tend as a worker",
                missing.getMessage());
        IllegalStateException bad = assertThrows(IllegalStateException.class,
                () -> TendState.fromEnvironment(Map.of(TendState.STATE_ENV, "/x", TendState.WORKER_ENV, "w",
                        TendState.TOKEN_ENV, "seven")));
        assertEquals("TEND_STATE_TOKEN must be the 16 hexadecimal digits tend gave this process, was \"seven\"",
                bad.getMessage());
    }
}
