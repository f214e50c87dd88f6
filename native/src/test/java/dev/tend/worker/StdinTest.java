package dev.tend.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tend.os.ExitStatus;
import dev.tend.state.JvmChild;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Runs in a helper JVM: this test JVM's own stdin belongs to the test runner. */
class StdinTest {
    @Test
    void callbacksAndWaitersLearnOfEndOfFile() {
        try (JvmChild child = JvmChild.helper("stdin-eof")) {
            assertEquals("waiting false false", child.readLine(Duration.ofSeconds(30)),
                    "no end of file while stdin is open; a timed wait gives up");
            child.closeStdin();
            Set<String> lines = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                lines.add(child.readLine(Duration.ofSeconds(30)));
            }
            assertEquals(Set.of("callback", "eof true true", "late callback"), lines);
            assertEquals(new ExitStatus.Exited(0), child.awaitExit(Duration.ofSeconds(30)));
        }
    }
}
