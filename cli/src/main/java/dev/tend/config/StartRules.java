package dev.tend.config;

import java.time.Duration;
import java.util.List;

/**
 * When a worker may start and when a start counts as a success.
 *
 * @param window    with {@code ready = "spawned"}, how long a new process must stay up before it counts as
 *                  ready ({@code start_window}); one that ends sooner is a failed start.
 * @param dependsOn the pools that must reach a condition before it is started ({@code depends_on}), in file order.
 */
public record StartRules(Duration window, List<Dependency> dependsOn) {
    public StartRules {
        dependsOn = List.copyOf(dependsOn);
    }
}
