package dev.tend.protocol;

import dev.tend.text.Human;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code tend ls} lists of one running instance, and its table: one rendering for the JVM client and for the
 * daemon answering the launcher through its command FIFO with its own row, which the launcher puts in the table
 * (the same column rule as {@link #table}) or the JSON array.
 *
 * @param name         the instance name.
 * @param pid          the pid of its {@code tend up}.
 * @param config       the configuration file it was started from; empty when unknown.
 * @param uptimeMillis how long its {@code tend up} has run.
 * @param ready        how many of its workers are ready (or finished cleanly); -1 when it did not answer.
 * @param workers      how many workers it has; -1 when it did not answer.
 */
public record InstanceRow(String name, long pid, String config, long uptimeMillis, int ready, int workers) {
    /** The table's heading, one cell per column. */
    public static final List<String> HEADING = List.of("NAME", "PID", "UPTIME", "READY", "CONFIG");

    /** The row of an instance that answered {@code ps} with {@code status}. */
    public static InstanceRow answered(String name, long pid, long uptimeMillis, InstanceStatus status) {
        int ready = (int) status.workers().stream().filter(WorkerEntry::readyOrFinished).count();
        return new InstanceRow(name, pid, status.config(), uptimeMillis, ready, status.workers().size());
    }

    /** The row as an element of {@code tend ls --json}'s {@code instances}. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(Protocol.NAME, name);
        m.put(Protocol.PID, pid);
        m.put(Protocol.CONFIG, config);
        m.put(Protocol.UPTIME_MS, uptimeMillis);
        m.put(Protocol.READY, ready < 0 ? null : (long) ready);
        m.put(Protocol.WORKERS, workers < 0 ? null : (long) workers);
        return m;
    }

    /** The row's cells in the table, one per column of {@link #HEADING}. */
    public List<String> cells() {
        return List.of(name, Long.toString(pid), Human.elapsed(Duration.ofMillis(uptimeMillis)),
                workers < 0 ? "?" : ready + "/" + workers, config.isEmpty() ? "-" : config);
    }

    /**
     * The table of {@code tend ls}: the heading and a line per row, each column as wide as its widest cell plus
     * two spaces, the last one unpadded; trailing white space removed.
     */
    public static String table(List<InstanceRow> rows) {
        List<List<String>> cells = new ArrayList<>();
        cells.add(HEADING);
        for (InstanceRow r : rows) {
            cells.add(r.cells());
        }
        int[] widths = new int[HEADING.size()];
        for (List<String> row : cells) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : cells) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(i == row.size() - 1 ? row.get(i) : String.format("%-" + (widths[i] + 2) + "s", row.get(i)));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }
}
