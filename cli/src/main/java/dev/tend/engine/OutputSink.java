package dev.tend.engine;

import dev.tend.config.Config;
import java.nio.file.Path;
import java.util.Optional;

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

    /** The configuration in force, when tend starts and after each reload: it says where lines go. Loop thread. */
    default void configure(Config config) {}

    /** Closes the log files, to open them again at their next line (a reload; logrotate moved them). */
    default void reopen() {}

    /** Whether {@link #passThrough} is supported: then {@code tend run} pipes its command's stdout through it. */
    default boolean passesThrough() {
        return false;
    }

    /**
     * Bytes that are not lines of a worker (what {@code tend run}'s command prints), written as they are after
     * the lines taken before them; the next line taken starts on a line of its own, so a command's output that
     * does not end with a newline is never glued to it. Never blocks; counts towards {@link #congested()}.
     */
    default void passThrough(byte[] bytes) {
        throw new UnsupportedOperationException("this output sink does not pass bytes through");
    }

    /** The log file a worker's stream is written to, if it has one. Loop thread. */
    default Optional<Path> file(String source, LogLine.Channel channel) {
        return Optional.empty();
    }
}
