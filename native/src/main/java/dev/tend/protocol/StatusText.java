package dev.tend.protocol;

import dev.tend.json.Json;
import java.util.List;
import java.util.Map;

/**
 * What {@code tend ps} prints for the final message of a {@code ps} request: one rendering for the JVM client and
 * for the daemon answering the launcher through its command FIFO ({@link ClientText}).
 */
public final class StatusText {
    /** Which of {@code tend ps}'s outputs. */
    public enum View {
        /** The instance line, then one row per worker (the table tend rendered, when the request asked for it). */
        TABLE,
        /** The reply itself, as one line of JSON ({@code --json}). */
        JSON,
        /** The one-line readiness summary, exit 0 only when every worker is ready ({@code --ready}). */
        READY
    }

    private StatusText() {}

    /** The text of {@code reply} (as the client decoded it from JSON) in {@code view}. */
    public static ClientText of(Map<String, Object> reply, View view) {
        if (!Boolean.TRUE.equals(reply.get(Protocol.OK))) {
            return ClientText.action(ActionResult.fromJson(reply));
        }
        switch (view) {
            case JSON:
                return ClientText.ok(List.of(Json.write(reply)));
            case READY:
                ReadinessSummary summary = ReadinessSummary.of(InstanceStatus.fromJson(reply).workers());
                return new ClientText(summary.line() + "\n", "", summary.exitCode());
            default:
                List<String> lines = StatusTable.fromJson(reply)
                        .orElseGet(() -> StatusTable.lines(InstanceStatus.fromJson(reply).workers()));
                StringBuilder out = new StringBuilder(header(reply)).append('\n');
                for (String line : lines) {
                    out.append(line).append('\n');
                }
                return new ClientText(out.toString(), "", ExitCode.OK);
        }
    }

    /** The line above the table: which instance this is, so that two of the same name are told apart. */
    public static String header(Map<String, ?> reply) {
        return "instance " + reply.get(Protocol.INSTANCE) + " (pid " + reply.get(Protocol.PID) + ") from "
                + reply.get(Protocol.CONFIG) + (Boolean.TRUE.equals(reply.get(Protocol.STOPPING)) ? ", stopping" : "");
    }
}
