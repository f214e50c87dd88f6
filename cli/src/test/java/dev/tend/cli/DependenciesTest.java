package dev.tend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.json.Json;
import dev.tend.testing.TendProcess;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** depends_on as users see it: a real {@code tend up}, {@code tend ps}, {@code tend stop} and {@code tend start}. */
class DependenciesTest {
    @TempDir
    Path dir;

    private TendProcess.Result tend(String... args) throws Exception {
        return TendProcess.run(dir, args);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> worker(String name) throws Exception {
        TendProcess.Result r = tend("ps", "--json");
        assertEquals(0, r.exitCode(), r.toString());
        for (Object w : (List<Object>) Json.parseObject(r.stdout().trim()).get("workers")) {
            if (name.equals(((Map<String, Object>) w).get("name"))) {
                return (Map<String, Object>) w;
            }
        }
        throw new AssertionError("no " + name + " in " + r.stdout());
    }

    @Test
    void shouldShowWhatAWorkerWaitsForWhenItsDependencyIsGivenUp() throws Exception {
        try (TendProcess up = TendProcess.up(dir, """
                [pool.migrate]
                command = "echo relation users does not exist >&2; exit 1"
                max_failures = 1
                [pool.web]
                command = ["cat"]
                depends_on = { migrate = "completed" }
                """)) {
            up.awaitLine("the report", l -> l.contains("migrate.1 gave up"));
            TendProcess.Result table = tend("ps");
            assertTrue(table.stdout().lines().anyMatch(l -> l.startsWith("web.1") && l.contains("waiting (for migrate to complete)")),
                    table.stdout());
            Map<String, Object> web = worker("web.1");
            assertEquals("waiting", web.get("state"));
            assertEquals("for migrate to complete", web.get("status"));
            assertEquals(false, web.get("ready"));
            TendProcess.Result ready = tend("ps", "--ready");
            assertEquals(1, ready.exitCode(), ready.toString());
            assertTrue(ready.stdout().contains("web.1 (waiting)"), ready.toString());
            TendProcess.Result start = tend("start", "web");
            assertEquals(1, start.exitCode(), "tend start web starts migrate again, which fails again: " + start);
            assertTrue(start.stderr().contains("but migrate.1 is failed"), start.toString());
            assertTrue(start.stderr().contains("relation users does not exist"), "migrate.1's report: " + start);
        }
    }

    @Test
    void shouldStopEverythingWhenADependencyIsGivenUpWithFailFast() throws Exception {
        try (TendProcess up = TendProcess.up(dir, """
                fail_fast = true
                [pool.db]
                command = "exit 1"
                max_failures = 1
                [pool.web]
                command = ["cat"]
                depends_on = ["db"]
                """)) {
            assertEquals(1, up.awaitExit(), up.stdout());
            assertTrue(up.stdout().contains("web.1 waiting for db to be ready"), up.stdout());
            assertTrue(up.stdout().contains("db.1 was given up and fail_fast is set"), up.stdout());
        }
    }

    @Test
    void shouldRefuseToStopADependencyOfRunningWorkersUnlessAskedToStopThemFirst() throws Exception {
        try (TendProcess up = TendProcess.up(dir, """
                [pool.db]
                command = "while read l; do :; done; echo db got EOF"
                [pool.web]
                command = "while read l; do :; done; echo web got EOF; sleep 0.3; echo web gone"
                depends_on = { db = "started" }
                """)) {
            up.awaitWorkerPid("web.1");
            TendProcess.Result refused = tend("stop", "db");
            assertEquals(1, refused.exitCode(), refused.toString());
            assertTrue(refused.stderr().contains("not stopped: web.1 depends on db and still run;"
                    + " stop them first, or use tend stop --with-dependents"), refused.toString());
            TendProcess.Result stopped = tend("stop", "--with-dependents", "db");
            assertEquals(0, stopped.exitCode(), stopped.toString());
            int webGone = up.stdout().indexOf("web.1 | web gone");
            int dbEof = up.stdout().indexOf("db.1  | db got EOF");
            assertTrue(webGone >= 0 && dbEof > webGone, "web is gone before db gets EOF: " + up.stdout());
            TendProcess.Result started = tend("start", "web");
            assertEquals(0, started.exitCode(), started.toString());
            Object db = worker("db.1").get("state");
            assertTrue(db.equals("starting") || db.equals("running"), "db was started again for web: " + db);
        }
    }
}
