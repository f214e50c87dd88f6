package dev.tend.instance;

import dev.tend.config.LogicalPath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Which configuration file an instance was started from, recorded in its runtime directory
 * ({@link RuntimeDirectory#configRecord()}), so that a client given that file ({@code -c FILE}, or
 * {@code ./tend.toml}) finds the instance without reading the file: the name an instance runs under comes
 * from the file's contents ({@code name = ...}), its directory or {@code tend up --name}, and reading the
 * contents takes a TOML parser, which costs a client more than everything else it does.
 *
 * <p>The record holds the path {@code tend up} was given, made absolute and normalized ({@code .} and
 * {@code ..} removed) but with symbolic links left as they are ({@link LogicalPath}): it is the path the instance reads again on
 * reload, so after {@code ln -sfn release-2 current} the instance of {@code current/tend.toml} is still the
 * one to reload. A client's file matches a record when it is the same path, or when both lead to the same
 * file now (through symbolic or hard links), compared by device and inode.
 */
public final class ConfigRecord {
    private ConfigRecord() {}

    /** Records {@code file} as the configuration of the instance in {@code dir}: written whole, then renamed. */
    public static void write(RuntimeDirectory dir, Path file) throws IOException {
        PrivateFiles.replace(dir.configRecord(), file.toAbsolutePath().normalize() + "\n");
    }

    /**
     * The runtime directory of the running instance started from {@code file}, looked for in every base a tend
     * of this user may have chosen; empty when none is, or when several are (then only the name decides).
     * "Running" means its control socket exists: whether anything listens is for the connection to tell.
     */
    public static Optional<RuntimeDirectory> runningFrom(Path file, Map<String, String> env) {
        Path wanted = LogicalPath.absolute(file, env);
        Object wantedKey = fileKey(wanted);
        List<RuntimeDirectory> found = new ArrayList<>();
        for (RuntimeDirectory instance : RuntimeDirectory.entriesOfCandidateBases(env)) {
            Optional<Path> recorded = read(instance);
            if (recorded.isPresent() && Files.exists(instance.controlSocket(), LinkOption.NOFOLLOW_LINKS)
                    && sameFile(recorded.get(), wanted, wantedKey)) {
                found.add(instance);
            }
        }
        return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
    }

    /**
     * The configuration file of the live instance in {@code dir} when it is not {@code file} (neither the same
     * path nor the same file now): that instance must not be taken for the one of {@code file}. Empty when
     * the instance runs {@code file}, when nothing runs there (no control socket, or the {@code tend up}
     * recorded in the lock file has ended), or when its tend kept no record.
     */
    public static Optional<Path> otherThan(RuntimeDirectory dir, Path file, Map<String, String> env) {
        Optional<Path> recorded = read(dir);
        if (recorded.isEmpty() || !Files.exists(dir.controlSocket(), LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        OptionalLong pid = RuntimeDirectory.lockHolder(dir.lockFile());
        if (pid.isPresent() && ProcessHandle.of(pid.getAsLong()).isEmpty()) {
            return Optional.empty();
        }
        Path wanted = LogicalPath.absolute(file, env);
        return sameFile(recorded.get(), wanted, fileKey(wanted)) ? Optional.empty() : recorded;
    }

    /** Whether a recorded path is {@code wanted}: the same path, or the same file now ({@code wantedKey}). */
    private static boolean sameFile(Path recorded, Path wanted, Object wantedKey) {
        return recorded.equals(wanted) || wantedKey != null && wantedKey.equals(fileKey(recorded));
    }

    /** The file recorded in {@code dir}, if there is a whole record. */
    public static Optional<Path> read(RuntimeDirectory instance) {
        try {
            String text = Files.readString(instance.configRecord(), StandardCharsets.UTF_8);
            return text.endsWith("\n") ? Optional.of(Path.of(text.substring(0, text.length() - 1)))
                    : Optional.empty();
        } catch (IOException | RuntimeException e) {
            // no record (not an instance directory, or a tend from before records), or one being replaced
            return Optional.empty();
        }
    }

    /** Device and inode of the file {@code path} leads to, or null when there is none. */
    private static Object fileKey(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }
}
