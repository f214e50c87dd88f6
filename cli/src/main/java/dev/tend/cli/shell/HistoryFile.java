package dev.tend.cli.shell;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

/**
 * Where the console keeps the lines typed into it: {@code $XDG_STATE_HOME/tend/history}, by default
 * {@code ~/.local/state/tend/history}. Lines name workers and carry values given to {@code set}, so the file is
 * the user's alone: created 0600, in directories created 0700 (as the XDG base directory specification asks).
 */
public final class HistoryFile {
    private HistoryFile() {}

    /** The file's path under this environment; empty without an absolute XDG_STATE_HOME or HOME. */
    public static Optional<Path> location(Map<String, String> env) {
        String state = env.get("XDG_STATE_HOME");
        if (state != null && state.startsWith("/")) {
            return Optional.of(Path.of(state, "tend", "history"));
        }
        String home = env.get("HOME");
        if (home == null || !home.startsWith("/") || home.equals("/")) {
            return Optional.empty();
        }
        return Optional.of(Path.of(home, ".local", "state", "tend", "history"));
    }

    /** Makes the file and its directories if they are missing; existing ones keep their modes. */
    public static Path create(Path file) throws IOException {
        Files.createDirectories(file.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            // kept as it is, with the lines of earlier sessions
        }
        return file;
    }
}
