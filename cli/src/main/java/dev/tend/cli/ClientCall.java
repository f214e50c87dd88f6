package dev.tend.cli;

import dev.tend.client.ConnectionLostException;
import dev.tend.client.ControlClient;
import dev.tend.client.NotRunningException;
import dev.tend.instance.RuntimeDirectory;
import dev.tend.protocol.ActionResult;
import dev.tend.protocol.ClientText;
import dev.tend.protocol.ExitCode;
import dev.tend.protocol.Request;
import dev.tend.text.Human;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * One request to a running instance from a client command: connects, sends, passes intermediate events on,
 * and turns the final message into tend's exit code, printing failure reports.
 */
final class ClientCall {
    private ClientCall() {}

    /**
     * Sends {@code request}; returns the final message. No instance running: exit 3 with a clear message; no
     * answer within {@code timeout} (null: no limit): exit 4.
     */
    static Map<String, Object> send(InstanceOptions instance, Duration timeout, Request request,
                                    Consumer<Map<String, Object>> events) {
        return send(instance, timeout, request, events, false);
    }

    /**
     * As {@link #send(InstanceOptions, Duration, Request, Consumer)}; with {@code endIsNormal}, tend closing the
     * connection without a final message (it stopped while a stream was followed) counts as a normal end.
     */
    static Map<String, Object> send(InstanceOptions instance, Duration timeout, Request request,
                                    Consumer<Map<String, Object>> events, boolean endIsNormal) {
        InstanceOptions.Target target = instance.target();
        try {
            return ControlClient.request(target.socket(), request.toJson(), events, timeout);
        } catch (SocketTimeoutException e) {
            OptionalLong pid = RuntimeDirectory.pidBehind(target.socket());
            String who = pid.isPresent() ? "tend (pid " + pid.getAsLong() + ")" : "tend " + target.description();
            throw new UserException(ExitCode.TIMEOUT, who + " is not answering: nothing came back within "
                    + Human.duration(timeout) + " on " + target.socket() + ". Is it stopped (state T in ps)? "
                    + (pid.isPresent() ? "`kill -CONT " + pid.getAsLong() + "` resumes it. " : "")
                    + "To wait longer, pass --timeout or set " + AnswerTimeout.ENV + ".");
        } catch (ConnectionLostException e) {
            if (endIsNormal) {
                return new ActionResult(ExitCode.OK, "tend " + target.description() + " stopped", List.of(),
                        List.of()).toJson();
            }
            throw new UserException(ExitCode.FAILURE, "cannot talk to tend " + target.description() + ": "
                    + e.getMessage());
        } catch (InterruptedIOException e) {
            throw Cancelled.now();
        } catch (NotRunningException e) {
            throw new UserException(ExitCode.NOT_FOUND, "no running tend " + target.description()
                    + " (nothing listens on " + target.socket() + "); start it with `tend up`");
        } catch (IOException e) {
            throw new UserException(ExitCode.FAILURE, "cannot talk to tend " + target.description() + ": "
                    + e.getMessage());
        }
    }

    static Map<String, Object> send(InstanceOptions instance, Duration timeout, Request request) {
        return send(instance, timeout, request, event -> { });
    }

    /** Prints the outcome of an action, failure reports as {@code tend up} logs them, and returns its exit code. */
    static int report(Map<String, Object> reply, PrintStream out, PrintStream err) {
        return ClientText.action(ActionResult.fromJson(reply)).print(out, err);
    }
}
