package dev.tend.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.testing.TendProcess;
import org.junit.jupiter.api.Test;

/**
 * The test suites of clients/php and clients/python, each run as the command of a real {@code tend run}
 * whose workers publish, take jobs, fail and stay mute for them.
 */
class ClientSuitesTest {
    @Test
    void thePhpClientsSuitePasses() throws Exception {
        Interpreters.php();
        TendProcess.Result r = TendProcess.run(Interpreters.ROOT, "run", "-c", "clients/php/tests/tend.toml", "--",
                "php", "clients/php/tests/run.php");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.stdout().contains("PHP client: all "), r.toString());
    }

    @Test
    void thePythonClientsSuitePasses() throws Exception {
        Interpreters.python();
        TendProcess.Result r = TendProcess.run(Interpreters.ROOT, "run", "-c", "clients/python/tests/tend.toml", "--",
                "python3", "-m", "unittest", "discover", "-v", "-s", "clients/python/tests");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.stderr().contains("\nOK") || r.stdout().contains("\nOK"), r.toString());
    }
}
