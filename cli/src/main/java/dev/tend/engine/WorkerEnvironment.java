package dev.tend.engine;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Builds a worker's environment: the supervisor's own, then the top-level {@code [env]} merged with the
 * pool's {@code env}, then the {@code TEND_*} variables that describe the worker.
 *
 * <p>Variables that describe tend's own place rather than the worker's are removed from what workers
 * inherit: systemd's notification and socket-activation variables (a worker that saw them would talk to
 * systemd as if it were the service), {@code JOURNAL_STREAM} (a worker's stdout is a pipe to tend, not the
 * journal) and any {@code TEND_*} of an enclosing tend.
 */
public final class WorkerEnvironment {
    private static final Set<String> NOT_INHERITED = Set.of("NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID",
            "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES", "JOURNAL_STREAM");

    private WorkerEnvironment() {}

    /**
     * @param inherited  the supervisor's environment.
     * @param configured {@code [env]} and the pool's {@code env}, already merged.
     * @param tend       the {@code TEND_*} variables for this worker.
     */
    public static Map<String, String> build(Map<String, String> inherited, Map<String, String> configured,
                                            Map<String, String> tend) {
        Map<String, String> env = new HashMap<>();
        inherited.forEach((k, v) -> {
            if (!NOT_INHERITED.contains(k) && !k.startsWith("TEND_")) {
                env.put(k, v);
            }
        });
        env.putAll(configured);
        env.putAll(tend);
        return env;
    }
}
