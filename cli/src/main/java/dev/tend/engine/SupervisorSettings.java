package dev.tend.engine;

import java.util.Map;
import java.util.function.LongSupplier;

/**
 * What the engine takes from the place it runs in, so that it never reads globals itself.
 *
 * @param environment the supervisor's environment, inherited by workers.
 * @param childNofile the soft RLIMIT_NOFILE workers start with (the one tend was started with), or -1.
 * @param processors  processors available, for {@code count = "N%"}.
 * @param epochMillis the wall clock.
 */
public record SupervisorSettings(Map<String, String> environment, long childNofile, int processors,
                                 LongSupplier epochMillis) {
    public SupervisorSettings {
        environment = Map.copyOf(environment);
    }
}
