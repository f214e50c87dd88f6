package dev.tend.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrphanReaperTest {
    private static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin", "LC_ALL", "C");

    @TempDir
    Path dir;

    @Test
    void shouldReapOrphansButNeverManagedChildrenInSubreaperJvm() throws Exception {
        Map<String, String> out = runProbe();
        assertEquals("false", out.get("pid1"));
        assertEquals("false", out.get("enabledBefore"));
        assertEquals("true", out.get("enabledAfter"));
        assertEquals("exit status 0", out.get("launcherStatus"));
        assertEquals("true", out.get("orphanParentsAreUs"), "orphans re-parented to the subreaper");
        assertEquals("true", out.get("childrenListsOrphans"));
        assertEquals("true", out.get("childrenListsManaged"));
        assertEquals("false", out.get("childrenListsGrandchild"), "children() lists only children");
        assertEquals("true", out.get("childrenMatchStatScan"), "children files and /proc/*/stat agree");
        assertEquals("true", out.get("descendantsListNested"));
        assertEquals("true", out.get("descendantsListOrphans"));
        assertEquals("", out.get("sweepWhileRunning"), "nothing reaped while orphans run and the zombie is managed");
        assertEquals(out.get("expectedReaped"), out.get("reaped"), "exactly the killed orphans");
        assertEquals("true", out.get("orphansGone"), "no zombies left behind");
        assertEquals("true", out.get("managedStillZombie"), "the managed zombie was left alone");
        assertEquals("exit status 7", out.get("managedStatus"), "its owner still gets the real status");
        assertEquals("signal KILL", out.get("nestStatus"));
        assertEquals(out.get("expectedNestedReaped"), out.get("nestedReaped"));
        assertEquals("[]", out.get("leftoverChildren"));
        assertEquals("true", out.get("done"));
    }

    private Map<String, String> runProbe() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path")));
        String libraryPath = System.getProperty("jna.platform.library.path");
        if (libraryPath != null) {
            command.add("-Djna.platform.library.path=" + libraryPath);
        }
        if (Runtime.version().feature() >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.add(OrphanReaperProbe.class.getName());
        Path stdout = dir.resolve("probe.out");
        Path stderr = dir.resolve("probe.err");
        Process probe = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!probe.waitFor(90, TimeUnit.SECONDS)) {
            probe.destroyForcibly();
            throw new AssertionError("probe did not finish; stdout:\n" + Files.readString(stdout)
                    + "\nstderr:\n" + Files.readString(stderr));
        }
        String text = Files.readString(stdout);
        String diagnostics = "probe exit " + probe.exitValue() + "; stdout:\n" + text + "\nstderr:\n"
                + Files.readString(stderr);
        assertEquals(0, probe.exitValue(), diagnostics);
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                values.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        assertTrue(values.containsKey("done"), diagnostics);
        return values;
    }

    @Test
    void shouldListChildrenAndDescendantsOfThisJvm() {
        try (ChildProcess shell = Spawner.spawn(new SpawnRequest(Path.of("/bin/sh"),
                List.of("sh", "-c", "sleep 1000 & echo $!; wait"), Path.of("/"), ENV, 0, -1))) {
            int sleeper = readPid(shell);
            List<Integer> children = OrphanReaper.children();
            assertTrue(children.contains(shell.pid()), children.toString());
            assertFalse(children.contains(sleeper), "a grandchild is no child");
            assertTrue(OrphanReaper.childrenFromStat(LibC.getpid()).contains(shell.pid()));
            assertFalse(OrphanReaper.childrenFromStat(LibC.getpid()).contains(sleeper));
            assertEquals(Set.of(sleeper), OrphanReaper.childrenOf(shell.pid()));
            assertEquals(Set.of(sleeper), OrphanReaper.childrenFromStat(shell.pid()));
            List<Integer> descendants = OrphanReaper.descendants();
            assertTrue(descendants.indexOf(shell.pid()) >= 0
                    && descendants.indexOf(shell.pid()) < descendants.indexOf(sleeper), descendants.toString());
            assertFalse(descendants.contains(LibC.getpid()));
            shell.signalGroup(Signal.KILL);
            Await.until(Duration.ofSeconds(10), "shell exit", () -> shell.tryReap().isPresent());
            Await.until(Duration.ofSeconds(10), "sleeper gone",
                    () -> !OrphanReaper.descendants().contains(sleeper));
            assertFalse(OrphanReaper.children().contains(shell.pid()), "reaped child is no longer listed");
        }
    }

    @Test
    void shouldListNothingForProcessThatIsGone() {
        assertEquals(Set.of(), OrphanReaper.childrenOf(Integer.MAX_VALUE));
        assertEquals(Set.of(), OrphanReaper.childrenFromStat(Integer.MAX_VALUE));
    }

    private static int readPid(ChildProcess child) {
        StringBuilder line = new StringBuilder();
        ByteBuffer buffer = ByteBuffer.allocate(64);
        Await.until(Duration.ofSeconds(10), "pid on stdout", () -> {
            int n = Fds.read(child.stdout(), buffer.clear());
            if (n > 0) {
                line.append(new String(buffer.array(), 0, n, StandardCharsets.US_ASCII));
            }
            return line.indexOf("\n") > 0;
        });
        return Integer.parseInt(line.toString().trim());
    }
}
