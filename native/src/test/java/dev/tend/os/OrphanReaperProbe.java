package dev.tend.os;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Runs in a JVM of its own, started by {@link OrphanReaperTest}: the subreaper flag is process-wide and
 * cannot be taken back, and sweeps reap any child, so neither belongs in the shared test JVM.
 *
 * <p>Prints {@code key=value} lines for the test to check; assertions are left to the test so that a
 * failure shows every observation, not only the first.
 */
public final class OrphanReaperProbe {
    private static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin", "LC_ALL", "C");
    private static final Duration WAIT = Duration.ofSeconds(20);

    private OrphanReaperProbe() {}

    public static void main(String[] args) {
        int self = LibC.getpid();
        print("pid1", Subreaper.isPid1());
        print("enabledBefore", Subreaper.isEnabled());
        Subreaper.enable();
        print("enabledAfter", Subreaper.isEnabled());

        // A managed child that exits at once and stays a zombie until its owner reaps it.
        ChildProcess managed = start("/bin/sh", "-c", "exit 7");
        // A managed child with a child of its own, still in its process group.
        ChildProcess nest = start("/bin/sh", "-c", "sleep 1000 & echo $!; wait");
        int nested = readPids(nest, 1).get(0);
        // A double fork: the shell starts two sleepers and exits, leaving them to us.
        ChildProcess launcher = start("/bin/sh", "-c", "sleep 1000 & echo $!; sleep 1000 & echo $!; exit 0");
        List<Integer> orphans = readPids(launcher, 2);
        print("launcherStatus", awaitExit(launcher).describe());
        Await.until(WAIT, "orphans re-parented", () -> orphans.stream()
                .allMatch(pid -> ProcessInfo.parentPid(pid).orElse(-1) == self));
        print("orphanParentsAreUs", true);

        List<Integer> children = OrphanReaper.children();
        print("childrenListsOrphans", children.containsAll(orphans));
        print("childrenListsManaged", children.contains(managed.pid()) && children.contains(nest.pid()));
        print("childrenListsGrandchild", children.contains(nested));
        print("childrenMatchStatScan", new HashSet<>(children).equals(OrphanReaper.childrenFromStat(self)));
        List<Integer> descendants = OrphanReaper.descendants();
        print("descendantsListNested", descendants.contains(nested) && descendants.contains(nest.pid())
                && descendants.indexOf(nest.pid()) < descendants.indexOf(nested));
        print("descendantsListOrphans", descendants.containsAll(orphans));

        Set<Integer> managedPids = Set.of(managed.pid(), nest.pid());
        Await.until(WAIT, "managed child a zombie", () -> state(managed.pid()) == 'Z');
        print("sweepWhileRunning", describe(OrphanReaper.sweep(managedPids::contains)));

        for (int orphan : orphans) {
            LibC.kill(orphan, Signal.KILL.number());
        }
        Await.until(WAIT, "orphans zombies", () -> orphans.stream().allMatch(pid -> state(pid) == 'Z'));
        print("orphanZombiesBeforeSweep", orphans.size());
        List<OrphanReaper.Reaped> reaped = OrphanReaper.sweep(managedPids::contains);
        print("reaped", describe(reaped));
        print("expectedReaped", orphans.stream().sorted().map(pid -> pid + ":signal KILL")
                .collect(Collectors.joining(",")));
        print("orphansGone", orphans.stream().noneMatch(pid -> Files.exists(Path.of("/proc/" + pid))));
        print("managedStillZombie", state(managed.pid()) == 'Z');
        print("managedStatus", reapStatus(managed));

        // Killing the nest's group takes the sleeper down with the shell; the shell can no longer reap it,
        // so it is re-parented to us and the sweep collects it.
        nest.signalGroup(Signal.KILL);
        print("nestStatus", awaitExit(nest).describe());
        List<OrphanReaper.Reaped> late = new ArrayList<>();
        Await.until(WAIT, "nested sleeper reaped", () -> {
            late.addAll(OrphanReaper.sweep(pid -> false));
            return !Files.exists(Path.of("/proc/" + nested));
        });
        print("nestedReaped", describe(late));
        print("expectedNestedReaped", nested + ":signal KILL");
        print("leftoverChildren", OrphanReaper.children());
        print("done", true);
    }

    private static String reapStatus(ChildProcess child) {
        try {
            return child.tryReap().map(ExitStatus::describe).orElse("still running");
        } catch (NativeException e) {
            return "not reapable: " + e.getMessage();
        }
    }

    private static String describe(List<OrphanReaper.Reaped> reaped) {
        Map<Integer, String> sorted = new TreeMap<>();
        reaped.forEach(r -> sorted.put(r.pid(), r.status().describe()));
        return sorted.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(","));
    }

    private static void print(String key, Object value) {
        System.out.println(key + "=" + value);
        System.out.flush();
    }

    private static ChildProcess start(String... argv) {
        return Spawner.spawn(new SpawnRequest(Path.of(argv[0]), List.of(argv), Path.of("/"), ENV, 0, -1));
    }

    private static ExitStatus awaitExit(ChildProcess child) {
        ExitStatus[] status = new ExitStatus[1];
        Await.until(WAIT, "exit of pid " + child.pid(), () -> (status[0] = child.tryReap().orElse(null)) != null);
        return status[0];
    }

    private static List<Integer> readPids(ChildProcess child, int count) {
        StringBuilder text = new StringBuilder();
        ByteBuffer buffer = ByteBuffer.allocate(256);
        Await.until(WAIT, count + " pids from pid " + child.pid(), () -> {
            int n = Fds.read(child.stdout(), buffer.clear());
            if (n > 0) {
                text.append(new String(buffer.array(), 0, n, StandardCharsets.US_ASCII));
            }
            return text.chars().filter(c -> c == '\n').count() >= count;
        });
        List<Integer> pids = new ArrayList<>();
        for (String line : text.toString().trim().split("\n")) {
            pids.add(Integer.parseInt(line.trim()));
        }
        return pids;
    }

    private static char state(int pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.ISO_8859_1);
            return stat.charAt(stat.lastIndexOf(')') + 2);
        } catch (IOException e) {
            return '?';
        }
    }
}
