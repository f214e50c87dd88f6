package dev.tend.worker;

import dev.tend.client.ControlClient;
import dev.tend.client.NotRunningException;
import dev.tend.protocol.ExitCode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts named workers on demand from inside a Java worker, the Java form of {@code tend require}:
 *
 * <pre>{@code
 * Require.require(Duration.ofSeconds(30), "redis-main");   // started if needed, ready on return
 * }</pre>
 *
 * A name can be a worker ({@code queue.2}), a pool whose count is 1, or a name matching a
 * {@code [lazy.*]} pattern of the configuration. The instance is the one that started this worker
 * ({@code TEND_SOCKET}); concurrent requires of one name start it once.
 */
public final class Require {
    private Require() {}

    /** A worker that did not become ready, with what tend knows about why. */
    public record Failure(String worker, String pool, String command, String reason, String lastExit, int attempts,
                          List<String> stderr) {}

    /**
     * The workers could not be made ready.
     *
     * <p>{@link #exitCode()} tells why, as {@code tend require} would exit: {@link ExitCode#FAILURE} a worker
     * failed before it was ready (its report is in {@link #failures()}), {@link ExitCode#NOT_FOUND} a name
     * matches nothing, {@link ExitCode#TIMEOUT} timed out.
     */
    public static final class RequireException extends Exception {
        private static final long serialVersionUID = 1L;
        private final ExitCode exitCode;
        private final transient List<Failure> failures;

        RequireException(ExitCode exitCode, String message, List<Failure> failures) {
            super(message);
            this.exitCode = exitCode;
            this.failures = List.copyOf(failures);
        }

        public ExitCode exitCode() {
            return exitCode;
        }

        public List<Failure> failures() {
            return failures;
        }
    }

    /** Requires workers of the instance that started this process. */
    public static void require(Duration timeout, String... names) throws RequireException, IOException {
        String socket = System.getenv("TEND_SOCKET");
        if (socket == null || socket.isEmpty()) {
            throw new NotRunningException(Path.of(""), "TEND_SOCKET is not set: this process was not started by tend",
                    null);
        }
        require(Path.of(socket), timeout, names);
    }

    /** Requires workers of the instance listening on {@code socket}. */
    public static void require(Path socket, Duration timeout, String... names) throws RequireException, IOException {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("op", "require");
        request.put("names", List.of(names));
        request.put("timeout_ms", timeout.toMillis());
        Map<String, Object> reply = ControlClient.request(socket, request, event -> { });
        if (Boolean.TRUE.equals(reply.get("ok"))) {
            return;
        }
        Object code = reply.get("code");
        throw new RequireException(code instanceof Long n ? ExitCode.of(n).orElse(ExitCode.FAILURE) : ExitCode.FAILURE,
                String.valueOf(reply.get("error")), failures(reply.get("failures")));
    }

    private static List<Failure> failures(Object raw) {
        List<Failure> out = new ArrayList<>();
        if (raw instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> f) {
                    List<String> stderr = new ArrayList<>();
                    if (f.get("stderr") instanceof List<?> lines) {
                        lines.forEach(l -> stderr.add(String.valueOf(l)));
                    }
                    out.add(new Failure(text(f, "worker"), text(f, "pool"), text(f, "command"), text(f, "reason"),
                            text(f, "last_exit"), f.get("attempts") instanceof Long n ? n.intValue() : 0, stderr));
                }
            }
        }
        return out;
    }

    private static String text(Map<?, ?> m, String key) {
        Object v = m.get(key);
        return v == null ? "" : String.valueOf(v);
    }
}
