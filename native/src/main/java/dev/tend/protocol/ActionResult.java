package dev.tend.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The final message of {@code start}, {@code stop}, {@code restart}, {@code scale}, {@code require},
 * {@code reload} and {@code down} (the action result of docs/control-protocol.md). A client reads any final
 * message as one: what it lacks reads as empty.
 *
 * @param code     {@link ExitCode#OK} when the action succeeded, else why it failed.
 * @param message  on success the line for humans ({@code stopped worker.2}), else the error.
 * @param workers  the workers the action acted on, as they were when the reply was sent.
 * @param failures the workers that failed or were not ready in time.
 */
public record ActionResult(ExitCode code, String message, List<WorkerEntry> workers, List<FailureReport> failures) {
    public ActionResult {
        workers = List.copyOf(workers);
        failures = List.copyOf(failures);
    }

    /** Whether the action succeeded. */
    public boolean ok() {
        return code == ExitCode.OK;
    }

    /** The final message: {@code ok}, then {@code message}, or {@code error} and {@code code}; then the lists. */
    public Map<String, Object> toJson() {
        Map<String, Object> m;
        if (ok()) {
            m = new LinkedHashMap<>();
            m.put(Protocol.OK, true);
            m.put(Protocol.MESSAGE, message);
        } else {
            m = Protocol.failure(code, message);
        }
        List<Object> entries = new ArrayList<>();
        workers.forEach(w -> entries.add(w.toJson()));
        List<Object> reports = new ArrayList<>();
        failures.forEach(f -> reports.add(f.toJson()));
        m.put(Protocol.WORKERS, entries);
        m.put(Protocol.FAILURES, reports);
        return m;
    }

    /**
     * Any final message, read leniently: a failure without a code tend knows counts as
     * {@link ExitCode#FAILURE}.
     */
    public static ActionResult fromJson(Map<String, ?> json) {
        boolean ok = Members.flag(json, Protocol.OK);
        ExitCode code = ok ? ExitCode.OK
                : ExitCode.of(Members.number(json, Protocol.CODE)).filter(c -> c != ExitCode.OK).orElse(ExitCode.FAILURE);
        List<WorkerEntry> workers = new ArrayList<>();
        Members.objects(json, Protocol.WORKERS).forEach(w -> workers.add(WorkerEntry.fromJson(w)));
        List<FailureReport> failures = new ArrayList<>();
        Members.objects(json, Protocol.FAILURES).forEach(f -> failures.add(FailureReport.fromJson(f)));
        return new ActionResult(code, Members.text(json, ok ? Protocol.MESSAGE : Protocol.ERROR), workers, failures);
    }
}
