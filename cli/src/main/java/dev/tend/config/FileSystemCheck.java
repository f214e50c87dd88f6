package dev.tend.config;

import dev.tend.os.Executables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The last stage of loading, the only one that looks at the file system besides reading the file: every
 * {@code cwd} written must be a directory, and every program a worker runs directly must be found (on the
 * worker's {@code PATH}, or relative to its {@code cwd}) and be executable. A missing program is then an
 * error at {@code tend check}, not a restart loop.
 */
final class FileSystemCheck {
    /**
     * Where one pool's or lazy declaration's workers start, and what they run.
     *
     * @param where        the table, to report problems against.
     * @param cwdAsWritten the {@code cwd} key as written, if it is.
     * @param cwd          the working directory it gives (absolute).
     * @param command      the command, if a valid one is written.
     * @param env          the variables the table sets over the supervisor's environment.
     */
    record Launch(Section where, Optional<String> cwdAsWritten, Path cwd, Optional<Command> command,
                  Map<String, String> env) {}

    private static final Pattern UNBRACED = Pattern.compile("\\$([A-Za-z_][A-Za-z0-9_]*)");

    private final Map<String, String> environment;

    /** @param environment the supervisor's environment, the base of every worker's. */
    FileSystemCheck(Map<String, String> environment) {
        this.environment = environment;
    }

    /** {@code cwd = "$HOME"}: tend expands only the braced form, so the path was taken literally. */
    private static String unbracedHint(String cwd) {
        Matcher m = UNBRACED.matcher(cwd);
        return m.find() ? "; tend expands only ${VAR} with braces: write ${" + m.group(1) + "}" : "";
    }

    void check(List<Launch> launches) {
        for (Launch launch : launches) {
            if (launch.cwdAsWritten().isPresent() && !Files.isDirectory(launch.cwd())) {
                String text = launch.cwdAsWritten().get();
                launch.where().error("cwd", "no such directory: " + launch.cwd() + (text.equals(launch.cwd().toString())
                        ? "" : " (relative paths start at the configuration file's directory)") + unbracedHint(text));
                continue;
            }
            launch.command().ifPresent(command -> {
                // A program named by a lazy worker's {name} exists only once a name is given.
                if (command instanceof Command.Exec exec && !exec.argv().get(0).contains("{name}")) {
                    Map<String, String> merged = new HashMap<>(environment);
                    merged.putAll(launch.env());
                    try {
                        Executables.resolve(exec.argv().get(0), merged.get("PATH"), launch.cwd());
                    } catch (Executables.NotExecutableException e) {
                        launch.where().error("command", e.getMessage());
                    }
                }
            });
        }
    }
}
