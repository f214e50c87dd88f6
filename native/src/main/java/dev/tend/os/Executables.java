package dev.tend.os;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the program a command names, the way {@code execvp} would, but with the child's {@code PATH}
 * (posix_spawnp would search the supervisor's own) and with a message that says what was wrong.
 */
public final class Executables {
    private Executables() {}

    /** Why a command cannot be executed. */
    public static final class NotExecutableException extends Exception {
        private static final long serialVersionUID = 1L;

        NotExecutableException(String message) {
            super(message);
        }
    }

    /**
     * Resolves a command name to the file to execute.
     *
     * @param command a name searched in {@code path}, or a path (it contains {@code /}) taken relative to {@code cwd}.
     * @param path    the child's {@code PATH}; when null, {@code /usr/local/bin:/usr/bin:/bin}.
     * @param cwd     the child's working directory.
     * @throws NotExecutableException naming the command and the reason (not found, not a file, not executable).
     */
    public static Path resolve(String command, String path, Path cwd) throws NotExecutableException {
        if (command.isEmpty()) {
            throw new NotExecutableException("empty command");
        }
        if (command.indexOf('/') >= 0) {
            Path file = cwd.resolve(command).normalize();
            check(command, file);
            return file;
        }
        String search = path == null ? "/usr/local/bin:/usr/bin:/bin" : path;
        String deniedAt = null;
        for (String dir : search.split(":", -1)) {
            Path candidate = cwd.resolve(dir.isEmpty() ? "." : dir).resolve(command).normalize();
            if (Files.isRegularFile(candidate)) {
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
                deniedAt = deniedAt == null ? candidate.toString() : deniedAt;
            }
        }
        if (deniedAt != null) {
            throw new NotExecutableException("command not executable: " + command + " (" + deniedAt
                    + " lacks execute permission)");
        }
        throw new NotExecutableException("command not found: " + command + " (searched PATH=" + search + ")");
    }

    private static void check(String command, Path file) throws NotExecutableException {
        if (!Files.exists(file)) {
            throw new NotExecutableException("command not found: " + command + " (" + file + " does not exist)");
        }
        if (Files.isDirectory(file)) {
            throw new NotExecutableException("command is a directory: " + command + " (" + file + ")");
        }
        if (!Files.isExecutable(file)) {
            throw new NotExecutableException("command not executable: " + command + " (" + file
                    + " lacks execute permission; chmod +x it)");
        }
    }
}
