package dev.tend.worker;

import dev.tend.client.ControlClient;
import dev.tend.client.NotRunningException;
import dev.tend.protocol.ActionResult;
import dev.tend.protocol.ExitCode;
import dev.tend.protocol.FailureReport;
import dev.tend.protocol.Request;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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
        private final transient List<FailureReport> failures;

        RequireException(ExitCode exitCode, String message, List<FailureReport> failures) {
            super(message);
            this.exitCode = exitCode;
            this.failures = List.copyOf(failures);
        }

        public ExitCode exitCode() {
            return exitCode;
        }

        /** The reports of the workers that failed or were not ready in time; {@link FailureReport#lines()} prints one. */
        public List<FailureReport> failures() {
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
        Request request = new Request.Require(List.of(names), timeout);
        ActionResult result = ActionResult.fromJson(ControlClient.request(socket, request.toJson(), event -> { }));
        if (!result.ok()) {
            throw new RequireException(result.code(), result.message(), result.failures());
        }
    }
}
