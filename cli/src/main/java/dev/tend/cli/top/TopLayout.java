package dev.tend.cli.top;

import dev.tend.protocol.InstanceStatus;
import dev.tend.protocol.ResourceUsage;
import dev.tend.protocol.WorkerEntry;
import dev.tend.text.Human;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Lays {@link TopModel} out on a screen of a given size: two header lines (the instance, then the workers per
 * state), the table of pools and workers, the output pane when open, the last failure report, and a status
 * line. Columns that do not fit are dropped from the right, whole, and no line is longer than the width, so the
 * terminal never wraps. Pure: the same model, size and time give the same lines.
 */
final class TopLayout {
    static final String[] COLUMNS =
            {"NAME", "PID", "STATE", "READY", "UPTIME", "RESTARTS", "LAST EXIT", "CPU%", "RSS", "STATE VER", "AGE"};
    static final String HINTS = "j/k select  Enter output  r restart  s stop/start  +/- scale  / filter  ? help  q quit";
    static final List<String> HELP = List.of(
            "Keys",
            "",
            "  Up Down j k  select a pool or a worker",
            "  Enter  l     show the selected worker's or pool's output below the table (again: hide it)",
            "  r            restart the selected worker or pool",
            "  s            stop it, or start it when it is not running",
            "  + -          add a worker to, or remove one from, the selected pool",
            "  /            filter by name (Enter keeps the filter, Esc clears it)",
            "  Esc          close the output pane and the failure report",
            "  ?            this help (any key closes it)",
            "  q  Ctrl-C    quit",
            "",
            "CPU% and RSS are refreshed once a second; they show - until tend samples them.");

    private TopLayout() {}

    /** The screen's lines: at most {@code height}, each at most {@code width} characters. */
    static List<Line> lines(TopModel model, int width, int height, long nowMillis) {
        List<Line> out = new ArrayList<>();
        Optional<InstanceStatus> status = model.status();
        if (status.isEmpty()) {
            out.add(new Line("tend top: waiting for the first status...", Line.Style.TITLE));
            return fit(out, width, height);
        }
        out.add(new Line(title(status.get(), model, nowMillis), Line.Style.TITLE));
        out.add(new Line(counts(status.get()), status.get().stopping() ? Line.Style.WARNING : Line.Style.PLAIN));
        if (model.help()) {
            HELP.forEach(h -> out.add(Line.plain(h)));
            return fit(out, width, height);
        }
        List<Line> bottom = bottom(model);
        int available = Math.max(2, height - out.size() - bottom.size());
        int paneHeight = model.paneTarget().isPresent() ? Math.max(2, available / 2) : 0;
        int tableArea = Math.max(2, available - paneHeight);
        List<Row> rows = model.rows();
        List<String[]> cells = new ArrayList<>();
        long sinceReceived = Math.max(0, nowMillis - model.receivedMillis());
        for (Row row : rows) {
            cells.add(cells(row, sinceReceived));
        }
        int[] widths = widths(rows, cells);
        int columns = columnsThatFit(widths, width);
        out.add(new Line(join(COLUMNS, widths, columns), Line.Style.HEADING));
        int visible = tableArea - 1;
        int selected = model.selectedIndex();
        int first = selected < visible ? 0 : selected - visible + 1;
        for (int i = first; i < rows.size() && i < first + visible; i++) {
            out.add(new Line(join(cells.get(i), widths, columns), style(rows.get(i), i == selected)));
        }
        if (rows.isEmpty()) {
            out.add(Line.plain(model.filter().isEmpty() ? "(no workers)"
                    : "(no worker or pool matches \"" + model.filter() + "\")"));
        }
        pad(out, height - bottom.size() - paneHeight);
        if (paneHeight > 0) {
            out.add(new Line(rule("output of " + model.paneTarget().get() + " (Esc closes)", width), Line.Style.DIM));
            List<String> pane = model.paneLines();
            pane.subList(Math.max(0, pane.size() - (paneHeight - 1)), pane.size()).forEach(l -> out.add(Line.plain(l)));
        }
        pad(out, height - bottom.size());
        out.addAll(bottom);
        return fit(out, width, height);
    }

    /** The first line: which instance, from which file, and tend's own pid, uptime, CPU and memory. */
    private static String title(InstanceStatus s, TopModel model, long nowMillis) {
        StringBuilder b = new StringBuilder("tend top: instance ").append(s.instance()).append(" (pid ").append(s.pid());
        if (model.tendStartMillis() > 0) {
            b.append(", up ").append(Human.elapsed(Duration.ofMillis(Math.max(0, nowMillis - model.tendStartMillis()))));
        }
        b.append(", CPU ").append(cpu(s.usage())).append(", RSS ").append(rss(s.usage())).append(") from ").append(s.config());
        return b.toString();
    }

    /** The second line: how many workers, and how many in each state. */
    static String counts(InstanceStatus s) {
        Map<String, Integer> states = new LinkedHashMap<>();
        int ready = 0;
        for (WorkerEntry w : s.workers()) {
            states.merge(w.state(), 1, Integer::sum);
            ready += w.ready() ? 1 : 0;
        }
        StringBuilder b = new StringBuilder().append(s.workers().size())
                .append(s.workers().size() == 1 ? " worker" : " workers").append(", ").append(ready).append(" ready");
        states.forEach((state, n) -> b.append(", ").append(n).append(' ').append(state));
        if (s.stopping()) {
            b.append("; tend is stopping");
        }
        return b.toString();
    }

    private static void pad(List<Line> lines, int size) {
        while (lines.size() < size) {
            lines.add(Line.plain(""));
        }
    }

    private static List<Line> bottom(TopModel model) {
        List<Line> lines = new ArrayList<>();
        model.report().forEach(r -> lines.add(new Line(r, Line.Style.FAILED)));
        Optional<String> draft = model.filterDraft();
        if (draft.isPresent()) {
            lines.add(new Line("filter: " + draft.get() + "_  (Enter keeps it, Esc clears it)", Line.Style.MESSAGE));
        } else if (!model.message().isEmpty()) {
            lines.add(new Line(model.message(), Line.Style.MESSAGE));
        } else {
            lines.add(new Line(HINTS + (model.filter().isEmpty() ? "" : "   filter: " + model.filter()), Line.Style.DIM));
        }
        return lines;
    }

    private static String[] cells(Row row, long sinceReceived) {
        if (row instanceof Row.PoolRow p) {
            long ready = p.workers().stream().filter(WorkerEntry::ready).count();
            String[] cells = blank();
            cells[0] = p.pool() + " (" + ready + "/" + p.workers().size() + " ready)";
            return cells;
        }
        WorkerEntry w = ((Row.WorkerRow) row).worker();
        long version = w.published().map(WorkerEntry.PublishedState::version).orElse(0L);
        boolean running = w.pid() != 0;
        return new String[] {
            "  " + w.name(),
            running ? Integer.toString(w.pid()) : "-",
            w.state() + (w.status().isEmpty() ? "" : " (" + w.status() + ")")
                    + w.health().map(h -> " [" + h.summary() + "]").orElse(""),
            w.ready() ? "yes" : "no",
            running ? Human.elapsed(Duration.ofMillis(w.uptimeMillis() + sinceReceived)) : "-",
            Integer.toString(w.restarts()),
            w.lastExit().isEmpty() ? "-" : w.lastExit(),
            running ? cpu(w.usage()) : "-",
            running ? rss(w.usage()) : "-",
            version > 0 ? "v" + version : "-",
            version > 0 ? Human.elapsed(Duration.ofMillis(w.published().orElseThrow().ageMillis() + sinceReceived)) : "-",
        };
    }

    private static String cpu(Optional<ResourceUsage> usage) {
        return usage.map(u -> String.format(Locale.ROOT, "%.1f", u.cpuPercent())).orElse("-");
    }

    private static String rss(Optional<ResourceUsage> usage) {
        return usage.map(u -> Human.bytes(u.rssBytes())).orElse("-");
    }

    private static String[] blank() {
        String[] cells = new String[COLUMNS.length];
        Arrays.fill(cells, "");
        return cells;
    }

    private static int[] widths(List<Row> rows, List<String[]> cells) {
        int[] widths = new int[COLUMNS.length];
        for (int i = 0; i < COLUMNS.length; i++) {
            widths[i] = COLUMNS[i].length();
        }
        for (int r = 0; r < rows.size(); r++) {
            // A pool's line is its name alone, which may run over the columns: it does not widen them.
            if (rows.get(r) instanceof Row.WorkerRow) {
                String[] row = cells.get(r);
                for (int i = 0; i < row.length; i++) {
                    widths[i] = Math.max(widths[i], row[i].length());
                }
            }
        }
        return widths;
    }

    /** How many columns, from the left, fit in {@code width}; at least the name. */
    static int columnsThatFit(int[] widths, int width) {
        int used = widths[0];
        int n = 1;
        while (n < widths.length && used + 2 + widths[n] <= width) {
            used += 2 + widths[n];
            n++;
        }
        return n;
    }

    private static String join(String[] cells, int[] widths, int columns) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < columns; i++) {
            b.append(cells[i]);
            if (i < columns - 1) {
                b.append(" ".repeat(Math.max(0, widths[i] - cells[i].length() + 2)));
            }
        }
        return b.toString().stripTrailing();
    }

    private static Line.Style style(Row row, boolean selected) {
        if (selected) {
            return Line.Style.SELECTED;
        }
        if (row instanceof Row.PoolRow) {
            return Line.Style.POOL;
        }
        return switch (((Row.WorkerRow) row).worker().state()) {
            case "failed" -> Line.Style.FAILED;
            case "backoff", "stopping", "waiting" -> Line.Style.WARNING;
            case "stopped", "exited", "created" -> Line.Style.DIM;
            default -> Line.Style.PLAIN;
        };
    }

    private static String rule(String label, int width) {
        String text = "-- " + label + " ";
        return text + "-".repeat(Math.max(0, width - text.length()));
    }

    /** At most {@code height} lines of at most {@code width} characters: cut, never wrapped. */
    private static List<Line> fit(List<Line> lines, int width, int height) {
        List<Line> out = new ArrayList<>(Math.min(lines.size(), height));
        for (Line line : lines.subList(0, Math.min(lines.size(), height))) {
            String text = line.text();
            out.add(text.length() > width ? new Line(text.substring(0, Math.max(0, width)), line.style()) : line);
        }
        return out;
    }
}
