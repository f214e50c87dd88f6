package dev.tend.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workers get what an {@code env_file} and {@code ${VAR}} give them, and a reload reads the files again. */
class EnvFileTest {
    @TempDir
    Path dir;

    @Test
    void shouldGiveWorkersTheEnvFileAndExpandedArgumentsAndReadTheFileAgainOnReload() throws Exception {
        Files.writeString(dir.resolve(".env"), "GREETING=\"hello\\tthere\"\nVERSION=1\n");
        try (RunningSupervisor s = new RunningSupervisor(dir, """
                [pool.w]
                env_file = ".env"
                command = ["sh", "-c", "echo \\"arg=$0 env=$GREETING\\"; exec cat", "v${VERSION}"]
                [pool.other]
                command = ["cat"]
                """)) {
            s.awaitLine("the first worker's line", l -> l.text().equals("arg=v1 env=hello\tthere"));
            int before = s.awaitState("w.1", WorkerState.RUNNING).pid();
            Files.writeString(dir.resolve(".env"), "GREETING=\"hello\\tthere\"\nVERSION=2\n");
            CompletableFuture<Operations.Result> reload = new CompletableFuture<>();
            s.reactor.execute(() -> s.supervisor.operations().reloadFromDisk(reload::complete));
            Operations.Result r = reload.get(RunningSupervisor.WAIT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(r.ok(), r.message() + "\n" + s.text());
            assertEquals("reloaded: 1 restarted (w), 1 unchanged", r.message(), "the .env counts as a change of the"
                    + " settings of the pool that reads it, and only of that pool");
            s.awaitLine("the new value", l -> l.text().equals("arg=v2 env=hello\tthere"));
            assertTrue(s.worker("w.1").pid() != before);
        }
    }
}
