package dev.tend.engine;

/**
 * Where the engine sends every output line. Implementations must not block the caller (the event loop):
 * they buffer, and report {@link #congested()} when their buffer is full so that the engine stops reading
 * workers' pipes (the workers then block on their own writes) until {@link #whenDrained} fires.
 */
public interface OutputSink {
    /** Takes a line; never blocks. */
    void accept(LogLine line);

    /** Whether the buffer is full and reading should pause. */
    default boolean congested() {
        return false;
    }

    /** Runs {@code resume} (on any thread) once the buffer has room again. */
    default void whenDrained(Runnable resume) {
        resume.run();
    }
}
