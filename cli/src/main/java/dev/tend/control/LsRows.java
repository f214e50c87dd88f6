package dev.tend.control;

import dev.tend.json.Json;
import dev.tend.protocol.ClientText;
import dev.tend.protocol.InstanceRow;
import dev.tend.protocol.InstanceStatus;
import dev.tend.protocol.Protocol;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rows of {@code tend ls} ({@link InstanceRow}) as the JVM client and the command FIFO make them: the uptime
 * of a {@code tend up}, and the FIFO's answer to {@code ls}, the daemon's own row for the launcher to put in its
 * table (the cells, one a line) or its JSON array (the row's object).
 */
public final class LsRows {
    private LsRows() {}

    /** How long process {@code pid} has run, as the JDK reads its start time; 0 when it is gone. */
    public static long uptimeMillis(long pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().startInstant())
                .map(start -> Math.max(0, Duration.between(start, Instant.now()).toMillis())).orElse(0L);
    }

    /**
     * The FIFO's text for {@code last}, the final message of this tend's {@code ps}; null (the launcher then asks
     * through the JVM client) when it is not a status, or when a cell is not printable ASCII or ends with a space:
     * the launcher counts bytes for the column widths, the JVM client encodes its output in the locale's
     * character set, and the table's lines lose their trailing spaces.
     */
    static ClientText text(Map<String, Object> last, boolean json) {
        if (!Boolean.TRUE.equals(last.get(Protocol.OK))) {
            return null;
        }
        InstanceStatus status = InstanceStatus.fromJson(last);
        InstanceRow row = InstanceRow.answered(status.instance(), status.pid(), uptimeMillis(status.pid()), status);
        List<String> cells = row.cells();
        for (String cell : cells) {
            if (!plain(cell)) {
                return null;
            }
        }
        return ClientText.ok(json ? List.of(Json.write(row.toJson())) : new ArrayList<>(cells));
    }

    private static boolean plain(String cell) {
        if (cell.isEmpty() || cell.endsWith(" ")) {
            return false;
        }
        for (int i = 0; i < cell.length(); i++) {
            char c = cell.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }
}
