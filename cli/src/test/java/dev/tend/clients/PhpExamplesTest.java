package dev.tend.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.testing.TendProcess;
import org.junit.jupiter.api.Test;

/** The two PHP examples, each run end to end by its one command; their demo scripts assert as they go. */
class PhpExamplesTest {
    @Test
    void theQueueConsumersLoseNoJobToKillNorToRestart() throws Exception {
        Interpreters.php();
        Interpreters.redisServer();
        TendProcess.Result r = TendProcess.run(Interpreters.ROOT, "run", "-c", "examples/php-queue/tend.toml", "--",
                "examples/php-queue/demo.sh");
        assertEquals(0, r.exitCode(), r.toString());
        String out = r.stdout();
        assertTrue(out.contains("php-queue: all 300 jobs done exactly once"), out);
        assertTrue(out.contains("consumer.1 failed (signal KILL"), "the kill -9 happened: " + out);
        assertTrue(out.contains("| stdin closed: finished the job in hand"), "graceful stops by EOF: " + out);
        assertTrue(out.contains("redis.1    | redis-server stopped"), out);
    }

    @Test
    void theWebWorkersSeeAChangedSettingWithinFiveSeconds() throws Exception {
        Interpreters.php();
        TendProcess.Result r = TendProcess.run(Interpreters.ROOT, "run", "-c", "examples/php-settings/tend.toml", "--",
                "examples/php-settings/demo.sh");
        assertEquals(0, r.exitCode(), r.toString());
        String out = r.stdout();
        assertTrue(out.contains("php-settings: both web workers answer \"bonjour\""), out);
        assertTrue(out.contains("web.1      | required settings.1; ready"), "tend require at the start: " + out);
        for (String worker : new String[] {"web.1", "web.2"}) {
            assertTrue(out.contains("{\"worker\":\"" + worker + "\",\"settings_version\":2,\"sidekick_running\":true,"
                    + "\"greeting\":\"bonjour\""), worker + " answers with the new settings: " + out);
        }
    }
}
