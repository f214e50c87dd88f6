package dev.tend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tend.os.Signal;
import dev.tend.testing.Await;
import dev.tend.testing.TendProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tend up --watch}: a real tend, real files, real inotify. */
class WatchTest {
    private static final String POOL = """
            [pool.web]
            command = "exec cat"
            count = 2
            start_window = "100ms"
            watch = ["src/**/*.php", "config/"]
            watch_ignore = ["var/**", "*.swp"]
            watch_debounce = "200ms"
            """;
    private static final String RESTARTING = "| web: ";
    private static final String RESTARTED = "| web: restarted after the change";

    @TempDir
    Path dir;

    private TendProcess upWatching(String toml) throws Exception {
        Files.createDirectories(dir.resolve("src/lib"));
        Files.createDirectories(dir.resolve("var/cache"));
        Files.writeString(dir.resolve("tend.toml"), toml);
        TendProcess tend = TendProcess.start(dir, "up", "--watch");
        tend.awaitWorkerPid("web.1");
        tend.awaitWorkerPid("web.2");
        return tend;
    }

    /** The notices of restarts begun because of changes. */
    private static List<String> restarts(TendProcess tend) {
        return tend.lines().stream().filter(l -> l.contains(RESTARTING) && l.contains("; restarting ")).toList();
    }

    private static long count(TendProcess tend, String text) {
        return tend.lines().stream().filter(l -> l.contains(text)).count();
    }

    private static void awaitRestarts(TendProcess tend, int n) {
        Await.until(TendProcess.WAIT, n + " restart(s) after changes; output:\n" + tend.stdout() + tend.stderr(),
                () -> count(tend, RESTARTED) >= n);
    }

    private static List<Long> pids(TendProcess tend, String worker) {
        return tend.lines().stream().filter(l -> l.contains("| " + worker + " started (pid "))
                .map(l -> Long.parseLong(l.substring(l.indexOf("(pid ") + 5, l.indexOf(')', l.indexOf("(pid ")))))
                .toList();
    }

    @Test
    void shouldRestartThePoolOnceWhenAWatchedFileChanges() throws Exception {
        try (TendProcess tend = upWatching(POOL)) {
            // src, src/lib, and the directory config/ is to appear in
            tend.awaitLine("watching", l -> l.contains("| web: watching 3 directories for changes"));
            Files.writeString(dir.resolve("src/lib/a.php"), "<?php");
            awaitRestarts(tend, 1);

            assertEquals(List.of("web: src/lib/a.php changed; restarting its 2 workers one at a time"),
                    restarts(tend).stream().map(l -> l.substring(l.indexOf("web: "))).toList(), tend.stdout());
            List<Long> web1 = pids(tend, "web.1");
            List<Long> web2 = pids(tend, "web.2");
            assertEquals(2, web1.size(), tend.stdout());
            assertEquals(2, web2.size(), tend.stdout());
            assertNotEquals(web1.get(0), web1.get(1));
            assertNotEquals(web2.get(0), web2.get(1));
            // One at a time: the second worker was stopped only once the first was running again.
            int web1Again = indexOf(tend, "| web.1 started (pid " + web1.get(1));
            int web2Stopped = indexOf(tend, "| web.2 stopped");
            assertTrue(web1Again < web2Stopped, tend.stdout());

            Files.writeString(dir.resolve("src/sentinel.php"), "<?php");
            awaitRestarts(tend, 2);
            assertEquals(2, restarts(tend).size(), "one restart per change: " + tend.stdout());
            tend.signal(Signal.TERM);
            assertEquals(0, tend.awaitExit());
        }
    }

    @Test
    void shouldRestartOnceForABurstOfFiftyWrites() throws Exception {
        try (TendProcess tend = upWatching(POOL)) {
            tend.awaitLine("watching", l -> l.contains("| web: watching"));
            Path file = dir.resolve("src/lib/burst.php");
            for (int i = 0; i < 50; i++) {
                Files.writeString(file, "<?php // " + i);
            }
            awaitRestarts(tend, 1);
            // A change after the restart is the next one: had the burst made more than one, they would come first.
            Files.writeString(dir.resolve("src/sentinel.php"), "<?php");
            awaitRestarts(tend, 2);
            List<String> restarts = restarts(tend);
            assertEquals(2, restarts.size(), tend.stdout());
            assertTrue(restarts.get(0).endsWith("web: src/lib/burst.php changed; restarting its 2 workers one at a time"),
                    restarts.toString());
            assertTrue(restarts.get(1).contains("web: src/sentinel.php changed"), restarts.toString());
            assertEquals(3, pids(tend, "web.1").size(), tend.stdout());
        }
    }

    @Test
    void shouldIgnoreChangesOfIgnoredPathsAndOfPathsNotWatched() throws Exception {
        try (TendProcess tend = upWatching(POOL)) {
            tend.awaitLine("watching", l -> l.contains("| web: watching"));
            Files.writeString(dir.resolve("var/cache/compiled.php"), "<?php");
            Files.writeString(dir.resolve("src/lib/.a.php.swp"), "swap");
            Files.writeString(dir.resolve("src/readme.txt"), "not php");
            Files.createDirectories(dir.resolve("var/cache/deeper"));
            Files.writeString(dir.resolve("var/cache/deeper/x.php"), "<?php");
            Files.writeString(dir.resolve("src/sentinel.php"), "<?php");
            awaitRestarts(tend, 1);
            // The notice lists every file that changed since the last restart: the ignored ones are not among them.
            assertEquals(List.of("web: src/sentinel.php changed; restarting its 2 workers one at a time"),
                    restarts(tend).stream().map(l -> l.substring(l.indexOf("web: "))).toList(), tend.stdout());
        }
    }

    @Test
    void shouldSeeFilesInDirectoriesCreatedAfterItStarted() throws Exception {
        try (TendProcess tend = upWatching(POOL)) {
            tend.awaitLine("watching", l -> l.contains("| web: watching"));
            Path deeper = Files.createDirectories(dir.resolve("src/new/deeper"));
            Files.writeString(deeper.resolve("n.php"), "<?php");
            awaitRestarts(tend, 1);
            assertTrue(restarts(tend).get(0).contains("web: src/new/deeper/n.php changed"), tend.stdout());

            // The new directory is watched from now on: a later change there is seen too.
            Files.writeString(deeper.resolve("n.php"), "<?php // again");
            awaitRestarts(tend, 2);
            assertTrue(restarts(tend).get(1).contains("web: src/new/deeper/n.php changed"), tend.stdout());

            // A directory named without wildcards (config/) that appears later is watched whole.
            Files.createDirectories(dir.resolve("config/packages"));
            Files.writeString(dir.resolve("config/packages/app.yaml"), "a: 1");
            awaitRestarts(tend, 3);
            assertTrue(restarts(tend).get(2).contains("web: config"), tend.stdout());
        }
    }

    @Test
    void shouldWatchThroughACwdThatIsASymbolicLink() throws Exception {
        Files.createDirectories(dir.resolve("releases/1/src"));
        Files.createSymbolicLink(dir.resolve("current"), dir.resolve("releases/1"));
        Files.writeString(dir.resolve("tend.toml"), """
                [pool.app]
                command = "exec cat"
                cwd = "current"
                start_window = "100ms"
                watch = ["src/"]
                watch_debounce = "100ms"
                """);
        try (TendProcess tend = TendProcess.start(dir, "up", "--watch")) {
            tend.awaitLine("watching", l -> l.contains("| app: watching 1 directory for changes"));
            tend.awaitWorkerPid("app.1");
            Files.writeString(dir.resolve("releases/1/src/a.php"), "<?php");
            tend.awaitLine("restarted", l -> l.contains("| app: restarted after the change"));
            assertTrue(tend.stdout().contains("| app: src/a.php changed; restarting app.1"), tend.stdout());
        }
    }

    @Test
    void shouldShowWhatAPoolWatchesInTendCheck() throws Exception {
        Files.writeString(dir.resolve("tend.toml"), POOL);
        TendProcess.Result r = TendProcess.run(dir, "check");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.stdout().contains("  pool web: 2 workers, restart on-failure, grace 5s, ready spawned, restarted with"
                + " --watch on src/**/*.php, config/: exec cat"), r.toString());
    }

    @Test
    void shouldWatchNothingWithoutTheOption() throws Exception {
        Files.createDirectories(dir.resolve("src"));
        Files.writeString(dir.resolve("tend.toml"), POOL);
        try (TendProcess tend = TendProcess.start(dir, "up")) {
            long pid = tend.awaitWorkerPid("web.1");
            tend.awaitWorkerPid("web.2");
            Files.writeString(dir.resolve("src/a.php"), "<?php");
            // Nothing to wait for: what must not happen is checked for ten times the debounce.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < deadline) {
                assertEquals(0, restarts(tend).size(), tend.stdout());
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
            assertEquals(List.of(pid), pids(tend, "web.1"), tend.stdout());
            assertFalse(tend.stdout().contains("watching"), tend.stdout());
        }
    }

    @Test
    void shouldKeepWatchingAcrossAReloadWithTheNewSettings() throws Exception {
        try (TendProcess tend = upWatching(POOL)) {
            tend.awaitLine("watching", l -> l.contains("| web: watching"));
            Files.createDirectories(dir.resolve("jobs"));
            Files.writeString(dir.resolve("tend.toml"), POOL + """
                    [pool.jobs]
                    command = "exec cat"
                    start_window = "100ms"
                    watch = ["jobs/"]
                    watch_debounce = "100ms"
                    """);
            TendProcess.Result reload = TendProcess.run(dir, "reload");
            assertEquals(0, reload.exitCode(), reload.toString());
            tend.awaitLine("jobs watched", l -> l.contains("| jobs: watching 1 directory for changes"));
            Files.writeString(dir.resolve("jobs/task.sh"), "echo");
            tend.awaitLine("jobs restarted", l -> l.contains("| jobs: restarted after the change"));
            assertTrue(tend.stdout().contains("| jobs: jobs/task.sh changed; restarting jobs.1"), tend.stdout());
        }
    }

    @Test
    void shouldRestartWhileTheCommandOfTendRunRuns() throws Exception {
        Files.createDirectories(dir.resolve("src"));
        Files.writeString(dir.resolve("tend.toml"), """
                [pool.web]
                command = "echo $$ >> pids; exec cat"
                start_window = "100ms"
                watch = ["src/"]
                watch_debounce = "100ms"
                """);
        // The command changes a file, then waits (boundedly) for the worker's second start.
        String command = "echo x > src/a.php; i=0; while [ $(wc -l < pids) -lt 2 ]; do i=$((i+1));"
                + " [ $i -gt 300 ] && exit 9; sleep 0.1; done";
        TendProcess.Result r = TendProcess.run(dir, "run", "--watch", "--", "sh", "-c", command);
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.stdout().contains("| web: src/a.php changed; restarting web.1"), r.toString());
    }

    /** Whether this machine lets a test lower a limit in a user namespace of its own (as its root). */
    private static boolean canLowerLimitsInAUserNamespace(String file) throws InterruptedException {
        ProcessBuilder probe = new ProcessBuilder("unshare", "-Ur", "sh", "-c", "echo 2 > " + file)
                .redirectErrorStream(true);
        try {
            Process p = probe.start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void shouldFailToStartWhenTheKernelsWatchLimitIsReached() throws Exception {
        // A user namespace has limits of its own, which its root may lower without touching the machine's.
        assumeTrue(canLowerLimitsInAUserNamespace("/proc/sys/user/max_inotify_watches"),
                "user namespaces are not available here");
        Files.createDirectories(dir.resolve("src/a/b/c"));
        Files.createDirectories(dir.resolve("var"));
        Files.writeString(dir.resolve("tend.toml"), POOL);
        try (TendProcess tend = TendProcess.startWrapped(List.of("unshare", "-Ur", "sh", "-c",
                "echo 2 > /proc/sys/user/max_inotify_watches && exec \"$@\"", "sh"), dir, "up", "--watch")) {
            assertEquals(1, tend.awaitExit(), tend.stdout() + tend.stderr());
            String err = tend.stderr();
            assertTrue(err.contains("cannot watch for --watch: cannot watch " + dir.resolve("src")), err);
            assertTrue(err.contains("fs.inotify.max_user_watches = 2"), err);
            assertTrue(err.contains("sudo sysctl fs.inotify.max_user_watches="), err);
            assertTrue(err.contains("watch_ignore"), err);
            assertFalse(tend.stdout().contains("started (pid"), "nothing started: " + tend.stdout());
        }
    }

    @Test
    void shouldFailToStartWhenTheKernelsInstanceLimitIsReached() throws Exception {
        assumeTrue(canLowerLimitsInAUserNamespace("/proc/sys/user/max_inotify_instances"),
                "user namespaces are not available here");
        Files.createDirectories(dir.resolve("src"));
        Files.writeString(dir.resolve("tend.toml"), POOL);
        try (TendProcess tend = TendProcess.startWrapped(List.of("unshare", "-Ur", "sh", "-c",
                "echo 0 > /proc/sys/user/max_inotify_instances && exec \"$@\"", "sh"), dir, "up", "--watch")) {
            assertEquals(1, tend.awaitExit(), tend.stdout() + tend.stderr());
            String err = tend.stderr();
            assertTrue(err.contains("cannot watch for --watch: the kernel's limit on inotify instances per user is reached"
                    + " (fs.inotify.max_user_instances = 0"), err);
            assertTrue(err.contains("sudo sysctl fs.inotify.max_user_instances=1024"), err);
        }
    }

    private static int indexOf(TendProcess tend, String text) {
        List<String> lines = tend.lines();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }
}
