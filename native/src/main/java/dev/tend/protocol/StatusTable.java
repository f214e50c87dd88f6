package dev.tend.protocol;

import dev.tend.text.Human;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The table {@code tend ps} prints: a header, then one line per worker (name, pid, state, ready, uptime,
 * restarts, last exit, CPU and memory at tend's last sample, and the version and age of its published state), columns
 * padded to their widest cell.
 * A worker with a health probe has the probe's status after its state: {@code running [failing 2/3]}; a scheduled
 * job its timing: {@code scheduled (next in 7s, last run 1s)}.
 * tend renders it when a {@code ps} request asks for {@code table}, so that a client, a short process that runs
 * interpreted, prints lines instead of decoding and formatting a status of thousands of workers.
 */
public final class StatusTable {
    private static final String[] HEADER =
            {"NAME", "PID", "STATE", "READY", "UPTIME", "RESTARTS", "LAST EXIT", "CPU%", "RSS", "STATE VER", "AGE"};

    private StatusTable() {}

    /**
     * The lines of a {@code ps} reply that asked for the table; empty when the reply has none (a tend started
     * before the table was in the protocol ignores the request's {@code table} and sends the workers).
     */
    public static Optional<List<String>> fromJson(Map<String, ?> reply) {
        return reply.containsKey(Protocol.TABLE) ? Optional.of(Members.texts(reply, Protocol.TABLE)) : Optional.empty();
    }

    /**
     * The width of the table's first column, the longest worker name (at least that of the header, NAME): the
     * columns are two spaces apart, so it ends two characters before the header's PID.
     */
    public static int nameWidth(List<String> lines) {
        String header = lines.isEmpty() ? "" : lines.get(0);
        int pid = header.indexOf(HEADER[1]);
        return pid > 2 ? pid - 2 : HEADER[0].length();
    }

    /** The table's lines, without line ends and without trailing spaces. */
    public static List<String> lines(List<WorkerEntry> workers) {
        List<String[]> rows = new ArrayList<>(workers.size() + 1);
        rows.add(HEADER);
        for (WorkerEntry w : workers) {
            long version = w.published().map(WorkerEntry.PublishedState::version).orElse(0L);
            rows.add(new String[] {
                w.name(),
                w.pid() == 0 ? "-" : Integer.toString(w.pid()),
                w.state() + (w.status().isEmpty() ? "" : " (" + w.status() + ")")
                        + w.job().map(j -> " (" + j.summary() + ")").orElse("")
                        + w.health().map(h -> " [" + h.summary() + "]").orElse(""),
                w.ready() ? "yes" : "no",
                w.pid() == 0 ? "-" : Human.elapsed(Duration.ofMillis(w.uptimeMillis())),
                Integer.toString(w.restarts()),
                w.lastExit().isEmpty() ? "-" : w.lastExit(),
                w.usage().map(u -> String.format(Locale.ROOT, "%.1f", u.cpuPercent())).orElse("-"),
                w.usage().map(u -> Human.bytes(u.rssBytes())).orElse("-"),
                version > 0 ? "v" + version : "-",
                version > 0 ? Human.elapsed(Duration.ofMillis(w.published().orElseThrow().ageMillis())) : "-",
            });
        }
        int[] widths = new int[HEADER.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        List<String> lines = new ArrayList<>(rows.size());
        StringBuilder line = new StringBuilder();
        for (String[] row : rows) {
            line.setLength(0);
            for (int i = 0; i < row.length; i++) {
                line.append(row[i]);
                if (i < row.length - 1) {
                    line.append(" ".repeat(widths[i] - row[i].length() + 2));
                }
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }
}
