package dev.tend.protocol;

import dev.tend.json.Json;
import dev.tend.state.SlotReader;
import dev.tend.state.Snapshot;
import dev.tend.state.SnapshotJson;
import dev.tend.state.StateException;
import dev.tend.state.StateReader;

/**
 * What {@code tend get} prints for one look at the state file, and what {@code tend get} and {@code tend set}
 * print when they fail: one rendering for the JVM client and for the daemon answering the launcher through its
 * command FIFO, so that both print the same bytes with the same exit code.
 */
public final class StateText {
    private StateText() {}

    /** What one look at the state file found for {@code tend get}. */
    public sealed interface Lookup permits Line, Raw, Missing {}

    /**
     * One line of JSON to print: the slot ({@code tend get NAME}) or a value ({@code --json}).
     *
     * @param json the line, without its newline.
     */
    public record Line(String json) implements Lookup {
        /** The line as a client prints it. */
        public ClientText text() {
            return new ClientText(json + "\n", "", ExitCode.OK);
        }
    }

    /**
     * A value printed as it is, byte for byte ({@code tend get NAME KEY}), followed by a newline only when
     * standard output is a terminal.
     *
     * @param value the value's bytes (a copy).
     */
    public record Raw(byte[] value) implements Lookup {}

    /**
     * Nothing to print: the error a client reports.
     *
     * @param code      the exit code.
     * @param message   the message, printed as {@code tend: error: MESSAGE}.
     * @param mayAppear whether it may be there later (a slot or key not published yet), so that {@code --wait}
     *                  looks again.
     */
    public record Missing(ExitCode code, String message, boolean mayAppear) implements Lookup {
        /** The error as a client prints it. */
        public ClientText text() {
            return error(code, message);
        }
    }

    /**
     * Looks up {@code name} (a worker, or a pool of one worker) and {@code key} (null: the whole slot) in
     * {@code reader}. {@code waiting}: for {@code --wait}, a slot never published is not printed but missing.
     */
    public static Lookup get(StateReader reader, String name, String key, boolean json, boolean waiting) {
        try {
            SlotReader slot = reader.slot(name);
            Snapshot snapshot = slot.snapshot();
            if (key == null && (snapshot.version() > 0 || !waiting)) {
                return new Line(Json.write(SnapshotJson.slot(slot)));
            }
            if (key != null && snapshot.contains(key)) {
                byte[] value = snapshot.get(key);
                return json ? new Line(Json.write(SnapshotJson.value(value))) : new Raw(value);
            }
            return new Missing(ExitCode.NOT_FOUND, snapshot.version() == 0
                    ? "worker " + slot.name() + " has not published anything yet"
                    : "worker " + slot.name() + " has no key " + key + " (version " + snapshot.version() + ")", true);
        } catch (StateException e) {
            return missing(e);
        }
    }

    /** A failure to read the state file (or to find the slot) as {@code tend get} reports it. */
    public static Missing missing(StateException e) {
        ExitCode code = switch (e.reason()) {
            case NOT_FOUND -> ExitCode.NOT_FOUND;
            case AMBIGUOUS -> ExitCode.USAGE;
            default -> ExitCode.FAILURE;
        };
        return new Missing(code, e.getMessage(), e.reason() == StateException.Reason.NOT_FOUND);
    }

    /** The exit code of {@code tend set} when publishing failed with {@code e}. */
    public static ExitCode publishFailed(StateException e) {
        return e.reason() == StateException.Reason.NOT_FOUND ? ExitCode.NOT_FOUND : ExitCode.FAILURE;
    }

    /** An error as a client prints it: {@code tend: error: MESSAGE} on standard error. */
    public static ClientText error(ExitCode code, String message) {
        return new ClientText("", "tend: error: " + message + "\n", code);
    }
}
