package dev.tend.engine;

import java.util.Map;

/**
 * Observes the engine from the loop thread: the state file, sd_notify and the control plane hang off
 * these calls. Implementations must not block.
 */
public interface SupervisorListener {
    /** A worker is about to be spawned: returns variables to add to its environment. */
    default Map<String, String> spawning(WorkerSpec worker) {
        return Map.of();
    }

    /** A worker changed state (or was just created). */
    default void workerChanged(WorkerStatus status) {}

    /** A worker was removed (scaled down, pool removed, lazy worker retired). */
    default void workerRemoved(String name) {}

    /** A line arrived on a worker's fd-3 state protocol pipe: its bytes, without the newline. */
    default void protocolLine(String worker, byte[] line) {}

    /** A reload begins. */
    default void reloading() {}

    /** A reload ended (applied or refused). */
    default void reloaded() {}

    /** tend began to stop everything. */
    default void stopping() {}

    /** tend was told to stop again while stopping: every worker's group got SIGKILL, and the loop ends soon. */
    default void killing() {}
}
