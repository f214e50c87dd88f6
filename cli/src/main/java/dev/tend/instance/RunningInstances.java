package dev.tend.instance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The instances this user's clients can reach, found in the runtime directories alone (no request, no JNA):
 * every directory of a {@link RuntimeDirectory#candidateBases candidate base} with a control socket whose
 * {@code tend up}, recorded in the lock file, is still alive. A directory left by a tend that was killed
 * keeps its socket file, so the pid is what tells it apart.
 */
public final class RunningInstances {
    private RunningInstances() {}

    /**
     * One running instance.
     *
     * @param name   the instance name (its directory's name).
     * @param dir    its runtime directory.
     * @param config the configuration file it was started from, if it recorded one.
     * @param pid    the pid of its {@code tend up}.
     */
    public record Found(String name, RuntimeDirectory dir, Optional<Path> config, long pid) {}

    /** Every running instance, by name; an instance seen in two bases (a base reached by two paths) once. */
    public static List<Found> list(Map<String, String> env) {
        List<Found> found = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        for (RuntimeDirectory dir : RuntimeDirectory.entriesOfCandidateBases(env)) {
            Path path = dir.path();
            OptionalLong pid = RuntimeDirectory.lockHolder(dir.lockFile());
            if (Files.exists(dir.controlSocket(), LinkOption.NOFOLLOW_LINKS) && pid.isPresent()
                    && ProcessHandle.of(pid.getAsLong()).isPresent() && seen.add(realPath(path))) {
                found.add(new Found(path.getFileName().toString(), dir, ConfigRecord.read(dir), pid.getAsLong()));
            }
        }
        found.sort(Comparator.comparing(Found::name));
        return found;
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path;
        }
    }
}
