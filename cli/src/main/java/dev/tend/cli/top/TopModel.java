package dev.tend.cli.top;

import dev.tend.protocol.InstanceStatus;
import dev.tend.protocol.WorkerEntry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code tend top} shows, apart from how: the last status tend sent and when it came, the selected row,
 * the name filter, the output pane, the status line and the last failure report. No terminal, no threads: the
 * view changes it under its own lock, and {@link TopLayout} turns it into lines.
 */
final class TopModel {
    /** Lines of output the pane keeps. */
    static final int PANE_LINES = 500;

    private InstanceStatus status;
    private long receivedMillis;
    private long tendStartMillis;
    private String selectedTarget;
    private int selectedIndex;
    private String filter = "";
    private String filterDraft;
    private boolean help;
    private String paneTarget;
    private final Deque<String> paneLines = new ArrayDeque<>();
    private String message = "";
    private List<String> report = List.of();
    private boolean ended;

    /** A status tend sent, received at {@code nowMillis}; the selection stays on its row. */
    void update(InstanceStatus status, long nowMillis) {
        this.status = status;
        this.receivedMillis = nowMillis;
        reselect();
    }

    /** When tend started (epoch milliseconds), for its uptime; 0 when unknown. */
    void tendStarted(long epochMillis) {
        this.tendStartMillis = epochMillis;
    }

    Optional<InstanceStatus> status() {
        return Optional.ofNullable(status);
    }

    long receivedMillis() {
        return receivedMillis;
    }

    long tendStartMillis() {
        return tendStartMillis;
    }

    /** The table's rows, grouped by pool in the order tend lists the workers, filtered by name. */
    List<Row> rows() {
        if (status == null) {
            return List.of();
        }
        Map<String, List<WorkerEntry>> pools = new LinkedHashMap<>();
        String needle = filter.toLowerCase(Locale.ROOT);
        for (WorkerEntry w : status.workers()) {
            if (needle.isEmpty() || w.name().toLowerCase(Locale.ROOT).contains(needle)
                    || w.pool().toLowerCase(Locale.ROOT).contains(needle)) {
                pools.computeIfAbsent(w.pool(), p -> new ArrayList<>()).add(w);
            }
        }
        List<Row> rows = new ArrayList<>();
        pools.forEach((pool, workers) -> {
            rows.add(new Row.PoolRow(pool, workers));
            workers.forEach(w -> rows.add(new Row.WorkerRow(w)));
        });
        return rows;
    }

    /** The index of the selected row in {@link #rows()}; 0 when there is none. */
    int selectedIndex() {
        return selectedIndex;
    }

    Optional<Row> selected() {
        List<Row> rows = rows();
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(selectedIndex));
    }

    /** Moves the selection by {@code delta} rows, stopping at either end. */
    void move(int delta) {
        List<Row> rows = rows();
        if (rows.isEmpty()) {
            return;
        }
        selectedIndex = Math.max(0, Math.min(rows.size() - 1, selectedIndex + delta));
        selectedTarget = rows.get(selectedIndex).target();
    }

    /** Keeps the selection on the row of the same target, or at the same place when that row went. */
    private void reselect() {
        List<Row> rows = rows();
        if (rows.isEmpty()) {
            selectedIndex = 0;
            return;
        }
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).target().equals(selectedTarget)) {
                selectedIndex = i;
                return;
            }
        }
        selectedIndex = Math.min(selectedIndex, rows.size() - 1);
        selectedTarget = rows.get(selectedIndex).target();
    }

    String filter() {
        return filter;
    }

    /** The filter being typed after {@code /}; empty when none is. */
    Optional<String> filterDraft() {
        return Optional.ofNullable(filterDraft);
    }

    void beginFilter() {
        filterDraft = filter;
    }

    /** The filter as typed so far; it applies at once. */
    void editFilter(String draft) {
        filter = draft;
        filterDraft = draft;
        reselect();
    }

    /** Ends typing: the draft stays the filter. */
    void endFilter() {
        filterDraft = null;
    }

    void applyFilter(String text) {
        filter = text;
        filterDraft = null;
        reselect();
    }

    boolean help() {
        return help;
    }

    void toggleHelp() {
        help = !help;
    }

    /** The worker or pool whose output the pane shows; empty when the pane is closed. */
    Optional<String> paneTarget() {
        return Optional.ofNullable(paneTarget);
    }

    void openPane(String target) {
        paneTarget = target;
        paneLines.clear();
    }

    void closePane() {
        paneTarget = null;
        paneLines.clear();
    }

    void paneLine(String line) {
        if (paneTarget == null) {
            return;
        }
        if (paneLines.size() == PANE_LINES) {
            paneLines.removeFirst();
        }
        paneLines.addLast(line);
    }

    List<String> paneLines() {
        return List.copyOf(paneLines);
    }

    /** The status line: what the last action did. */
    String message() {
        return message;
    }

    /** What an action did, and the failure report it came back with (empty when none). */
    void tell(String message, List<String> report) {
        this.message = message;
        this.report = List.copyOf(report);
    }

    List<String> report() {
        return report;
    }

    void dismissReport() {
        report = List.of();
    }

    /** Whether tend closed the subscription (it stopped). */
    boolean ended() {
        return ended;
    }

    void end(String why) {
        ended = true;
        message = why;
    }
}
