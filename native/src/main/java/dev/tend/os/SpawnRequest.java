package dev.tend.os;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to start: an executable path, its argument vector, working directory and complete environment.
 *
 * @param executable  path of the program to execute (absolute, or relative to {@code cwd}); no PATH search
 *                    is done here, see {@link Executables#resolve}.
 * @param argv        the argument vector, {@code argv[0]} included.
 * @param cwd         the working directory of the child.
 * @param environment the child's entire environment; nothing of the parent's is added.
 * @param extraPipes  how many extra output pipes the child gets at fd 3, 4, …; the parent keeps their read ends.
 * @param nofileLimit the soft {@code RLIMIT_NOFILE} the child starts with, or -1 to inherit the parent's.
 * @param foreground  the child shares the parent's stdin, stdout, stderr, session and process group, like a
 *                    command a shell runs in the foreground (a terminal's Ctrl-C reaches both); no pipes are
 *                    made and {@code extraPipes} must be 0. Otherwise it gets pipes and a session of its own.
 * @param pipedStdout for a foreground child only: its stdout is a pipe whose (non-blocking) read end the parent
 *                    keeps, so that the parent writes what it prints in order with its own output; stdin and
 *                    stderr are still shared.
 */
public record SpawnRequest(Path executable, List<String> argv, Path cwd, Map<String, String> environment,
                           int extraPipes, long nofileLimit, boolean foreground, boolean pipedStdout) {
    /** A supervised child: piped stdio, a session of its own. */
    public SpawnRequest(Path executable, List<String> argv, Path cwd, Map<String, String> environment,
                        int extraPipes, long nofileLimit) {
        this(executable, argv, cwd, environment, extraPipes, nofileLimit, false, false);
    }

    /** A supervised child, or a foreground one ({@code foreground}) that shares all of the parent's stdio. */
    public SpawnRequest(Path executable, List<String> argv, Path cwd, Map<String, String> environment,
                        int extraPipes, long nofileLimit, boolean foreground) {
        this(executable, argv, cwd, environment, extraPipes, nofileLimit, foreground, false);
    }

    public SpawnRequest {
        Objects.requireNonNull(executable, "executable");
        argv = List.copyOf(argv);
        Objects.requireNonNull(cwd, "cwd");
        environment = Map.copyOf(environment);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv must hold at least argv[0]");
        }
        if (extraPipes < 0 || extraPipes > 16) {
            throw new IllegalArgumentException("extraPipes must be within 0..16, was " + extraPipes);
        }
        if (foreground && extraPipes > 0) {
            throw new IllegalArgumentException("a foreground child gets no extra pipes");
        }
        if (pipedStdout && !foreground) {
            throw new IllegalArgumentException("pipedStdout is for a foreground child (the others have pipes anyway)");
        }
    }
}
