package dev.tend.cli;

import dev.tend.client.ConnectionLostException;
import dev.tend.client.ControlClient;
import dev.tend.client.NotRunningException;
import dev.tend.protocol.ExitCode;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One request to a running instance from a client command: connects, sends, passes intermediate events on,
 * and turns the final message into tend's exit code, printing failure reports.
 */
final class ClientCall {
    private ClientCall() {}

    /** Sends {@code request}; returns the final message. No instance running: exit 3 with a clear message. */
    static Map<String, Object> send(InstanceOptions instance, Map<String, Object> request,
                                    Consumer<Map<String, Object>> events) {
        return send(instance, request, events, false);
    }

    /**
     * As {@link #send(InstanceOptions, Map, Consumer)}; with {@code endIsNormal}, tend closing the connection
     * without a final message (it stopped while a stream was followed) counts as a normal end.
     */
    static Map<String, Object> send(InstanceOptions instance, Map<String, Object> request,
                                    Consumer<Map<String, Object>> events, boolean endIsNormal) {
        InstanceOptions.Target target = instance.target();
        try {
            return ControlClient.request(target.socket(), request, events);
        } catch (ConnectionLostException e) {
            if (endIsNormal) {
                return Map.of("ok", true, "message", "tend " + target.description() + " stopped");
            }
            throw new UserException(ExitCode.FAILURE, "cannot talk to tend " + target.description() + ": "
                    + e.getMessage());
        } catch (NotRunningException e) {
            throw new UserException(ExitCode.NOT_FOUND, "no running tend " + target.description()
                    + " (nothing listens on " + target.socket() + "); start it with `tend up`");
        } catch (IOException e) {
            throw new UserException(ExitCode.FAILURE, "cannot talk to tend " + target.description() + ": "
                    + e.getMessage());
        }
    }

    static Map<String, Object> send(InstanceOptions instance, Map<String, Object> request) {
        return send(instance, request, event -> { });
    }

    /** Prints the outcome of an action and returns its exit code. */
    static int report(Map<String, Object> reply, PrintStream out, PrintStream err) {
        if (Boolean.TRUE.equals(reply.get("ok"))) {
            Object message = reply.get("message");
            if (message != null) {
                out.println(message);
            }
            return ExitCode.OK.code();
        }
        err.println("tend: error: " + reply.get("error"));
        Object failures = reply.get("failures");
        if (failures instanceof List<?> list) {
            for (Object f : list) {
                if (f instanceof Map<?, ?> m) {
                    printFailure(m, err);
                }
            }
        }
        Object code = reply.get("code");
        return (code instanceof Long n ? ExitCode.of(n).orElse(ExitCode.FAILURE) : ExitCode.FAILURE).code();
    }

    /** A failure report, in the same shape {@code tend up} logs it. */
    static void printFailure(Map<?, ?> f, PrintStream err) {
        err.println(f.get("worker") + " " + f.get("reason"));
        err.println("  pool:      " + f.get("pool"));
        err.println("  command:   " + f.get("command"));
        err.println("  last exit: " + f.get("last_exit"));
        err.println("  attempts:  " + f.get("attempts"));
        Object stderr = f.get("stderr");
        if (stderr instanceof List<?> lines && !lines.isEmpty()) {
            err.println("  last lines of stderr:");
            lines.forEach(l -> err.println("    " + l));
        } else {
            err.println("  stderr:    (nothing)");
        }
    }
}
