package dev.tend.protocol;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The health probe of a worker as {@code ps} shows it (the {@code health} member of the worker object in
 * docs/control-protocol.md).
 *
 * @param probe               the probe as configured: {@code http http://127.0.0.1:8080/health}.
 * @param status              {@code starting} (no passing probe yet, failures not counted), {@code healthy},
 *                            {@code failing} (failures counted, under the threshold) or {@code unhealthy} (the
 *                            threshold was reached: the worker is being restarted).
 * @param failures            its consecutive failures that count.
 * @param threshold           the failures that make it unhealthy ({@code failures} in the configuration).
 * @param lastResult          {@code passed}, {@code failed}, or empty before the first probe ended.
 * @param lastCheckEpochMillis when the last probe ended, in milliseconds since the Unix epoch; 0 before.
 * @param message             how the last probe ended: {@code HTTP 503 Service Unavailable},
 *                            {@code connection refused (ECONNREFUSED)}, {@code timed out after 2s}.
 * @param output              what the last probe saw: an exec probe's last lines of output, an HTTP status line.
 */
public record HealthEntry(String probe, String status, int failures, int threshold, String lastResult,
                          long lastCheckEpochMillis, String message, List<String> output) {
    public HealthEntry {
        output = List.copyOf(output);
    }

    /** For the table: {@code healthy}, {@code failing 2/3}, {@code starting}, {@code unhealthy}. */
    public String summary() {
        return status.equals("failing") ? status + " " + failures + "/" + threshold : status;
    }

    /** The health object. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(Protocol.PROBE, probe);
        m.put(Protocol.STATUS, status);
        m.put(Protocol.FAILURES, failures);
        m.put(Protocol.THRESHOLD, threshold);
        m.put(Protocol.LAST_RESULT, lastResult);
        m.put(Protocol.LAST_CHECK_EPOCH_MS, lastCheckEpochMillis);
        m.put(Protocol.MESSAGE, message);
        m.put(Protocol.OUTPUT, output);
        return m;
    }

    /** A health object read from a reply. */
    public static HealthEntry fromJson(Map<String, ?> json) {
        return new HealthEntry(Members.text(json, Protocol.PROBE), Members.text(json, Protocol.STATUS),
                (int) Members.number(json, Protocol.FAILURES), (int) Members.number(json, Protocol.THRESHOLD),
                Members.text(json, Protocol.LAST_RESULT), Members.number(json, Protocol.LAST_CHECK_EPOCH_MS),
                Members.text(json, Protocol.MESSAGE), Members.texts(json, Protocol.OUTPUT));
    }
}
