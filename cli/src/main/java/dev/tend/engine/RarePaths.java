package dev.tend.engine;

import dev.tend.config.Command;
import dev.tend.os.ExitStatus;

/**
 * The classes a running tend needs first when a worker exits and is replaced, loaded at start-up on the warm-up
 * thread rather than by the loop at the first exit. A class that no start-up uses is not in the class-data
 * archive the daemon's first run leaves (the launcher's {@code AutoCreateSharedArchive}), so the first restart of
 * every later run read it from the jar, opening the jar for it: about 8 ms on the critical path of that restart.
 */
public final class RarePaths {
    private RarePaths() {}

    /** Loads (does not initialise) the classes; returns how many, so that nothing here is dead code. */
    public static int load() {
        Class<?>[] classes = {RestartPlanner.class, RestartPlanner.Decision.class, StopSequence.class,
            ExitStatus.Exited.class, ExitStatus.Killed.class, Command.Shell.class, Command.Exec.class};
        return classes.length;
    }
}
