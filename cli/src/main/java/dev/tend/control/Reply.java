package dev.tend.control;

import dev.tend.protocol.ExitCode;
import dev.tend.protocol.Protocol;
import java.util.Map;

/**
 * The answering side of one control connection. Every method is called on the event loop's thread and
 * never blocks: messages are queued and written as the socket accepts them.
 *
 * <p>Protocol: each message is one JSON object on one line. A reply ends with exactly one final message
 * holding {@code "ok": true} or {@code "ok": false, "error": TEXT, "code": EXIT_CODE}; messages before it
 * (streamed log lines, progress) hold an {@code "event"} key instead. See docs/control-protocol.md.
 */
public interface Reply {
    /** Queues an intermediate message (an {@code event}). Ignored once the connection is closed. */
    void send(Map<String, Object> message);

    /** Queues the final message, then closes the connection once everything queued was written. */
    void end(Map<String, Object> last);

    /** Ends with {@code {"ok": false, "error": message, "code": code}}. */
    default void fail(ExitCode code, String message) {
        end(failure(code, message));
    }

    /** The final message of a failure, its members in the documented order. */
    static Map<String, Object> failure(ExitCode code, String message) {
        return Protocol.failure(code, message);
    }

    /** Whether the client is still connected and no final message was queued. */
    boolean open();

    /** Runs {@code action} (once, on the loop thread) when the connection closes for any reason. */
    void onClose(Runnable action);
}
