package dev.tend.cli.top;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.protocol.InstanceStatus;
import dev.tend.protocol.ResourceUsage;
import dev.tend.protocol.WorkerEntry;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the view shows for a status, without a terminal: rows, selection, filter, narrow screens, the pane. */
class TopLayoutTest {
    private static final long NOW = 1_800_000_000_000L;

    private static WorkerEntry worker(String name, String state, int pid, Optional<ResourceUsage> usage) {
        String pool = name.substring(0, name.indexOf('.'));
        return new WorkerEntry(name, pool, 1, state, pid, state.equals("running"), false, pid == 0 ? 0 : 65_000,
                NOW, 2, 0, 3, "exit status 1", "", "", Optional.of(new WorkerEntry.PublishedState(pid == 0 ? 0 : 7, 1500)),
                Optional.empty(), usage, Optional.empty());
    }

    private static TopModel model() {
        TopModel model = new TopModel();
        model.update(new InstanceStatus("shop", 4242, "/srv/shop/tend.toml", false, List.of(
                worker("web.1", "running", 101, Optional.of(new ResourceUsage(12.5, 50L * 1024 * 1024))),
                worker("web.2", "backoff", 0, Optional.empty()),
                worker("queue.1", "running", 103, Optional.empty())), Optional.empty()), NOW);
        model.tendStarted(NOW - 3_600_000);
        return model;
    }

    private static List<String> texts(TopModel model, int width, int height, long now) {
        return TopLayout.lines(model, width, height, now).stream().map(Line::text).toList();
    }

    @Test
    void groupsWorkersUnderTheirPoolsWithEveryColumn() {
        List<String> lines = texts(model(), 120, 20, NOW + 2000);
        assertEquals(20, lines.size());
        assertEquals("tend top: instance shop (pid 4242, up 1h, CPU -, RSS -) from /srv/shop/tend.toml", lines.get(0));
        assertEquals("3 workers, 2 ready, 2 running, 1 backoff", lines.get(1));
        assertEquals("NAME       PID  STATE    READY  UPTIME  RESTARTS  LAST EXIT      CPU%  RSS     STATE VER  AGE",
                lines.get(2));
        assertEquals("web (1/2 ready)", lines.get(3));
        // Uptime and age count on from when the status came: 65 s + 2 s, 1.5 s + 2 s.
        assertEquals("  web.1    101  running  yes    1m7s    2         exit status 1  12.5  50 MiB  v7         3s",
                lines.get(4));
        assertEquals("  web.2    -    backoff  no     -       2         exit status 1  -     -       -          -",
                lines.get(5));
        assertEquals("queue (1/1 ready)", lines.get(6));
        assertTrue(lines.get(19).startsWith("j/k select  Enter output"), lines.get(19));
    }

    @Test
    void dropsColumnsFromTheRightOnANarrowScreen() {
        List<String> lines = texts(model(), 40, 12, NOW);
        assertEquals("NAME       PID  STATE    READY  UPTIME", lines.get(2));
        assertEquals("  web.1    101  running  yes    1m5s", lines.get(4));
        lines.forEach(l -> assertTrue(l.length() <= 40, l));
        assertEquals(12, lines.size());
    }

    @Test
    void selectionMovesOverPoolsAndWorkersAndStaysOnItsRowAcrossUpdates() {
        TopModel model = model();
        assertEquals("web", model.selected().orElseThrow().target());
        model.move(2);
        assertEquals("web.2", model.selected().orElseThrow().target());
        model.move(10);
        assertEquals("queue.1", model.selected().orElseThrow().target());
        model.move(-2);
        assertEquals("web.2", model.selected().orElseThrow().target());
        // web.1 goes away: the selection stays on web.2, now one row higher.
        model.update(new InstanceStatus("shop", 4242, "/srv/shop/tend.toml", false, List.of(
                worker("web.2", "running", 105, Optional.empty()),
                worker("queue.1", "running", 103, Optional.empty())), Optional.empty()), NOW);
        assertEquals("web.2", model.selected().orElseThrow().target());
        assertEquals(1, model.selectedIndex());
        List<Line> lines = TopLayout.lines(model, 120, 20, NOW);
        assertEquals(Line.Style.SELECTED, lines.get(4).style());
        assertTrue(lines.get(4).text().startsWith("  web.2"));
    }

    @Test
    void filtersByNameAndSaysWhenNothingMatches() {
        TopModel model = model();
        model.beginFilter();
        model.editFilter("queue");
        List<String> lines = texts(model, 120, 12, NOW);
        assertEquals("queue (1/1 ready)", lines.get(3));
        assertTrue(lines.get(4).startsWith("  queue.1"));
        assertFalse(lines.stream().anyMatch(l -> l.contains("web")));
        assertTrue(lines.get(11).startsWith("filter: queue_"), lines.get(11));
        model.endFilter();
        model.editFilter("nope");
        model.endFilter();
        assertTrue(texts(model, 120, 12, NOW).contains("(no worker or pool matches \"nope\")"));
        assertTrue(texts(model, 120, 12, NOW).get(11).endsWith("filter: nope"));
    }

    @Test
    void theOutputPaneShowsTheLatestLinesBelowTheTable() {
        TopModel model = model();
        model.openPane("web.1");
        for (int i = 1; i <= 50; i++) {
            model.paneLine("web.1 | line " + i);
        }
        List<String> lines = texts(model, 80, 20, NOW);
        int rule = lines.indexOf(lines.stream().filter(l -> l.startsWith("-- output of web.1 (Esc closes) ---"))
                .findFirst().orElseThrow());
        assertEquals("web.1 | line 50", lines.get(18));
        assertEquals("web.1 | line " + (50 - (18 - rule) + 1), lines.get(rule + 1));
        assertTrue(lines.get(3).startsWith("web (1/2 ready)"), "the table stays above it");
    }

    @Test
    void aFailureReportStaysAboveTheStatusLine() {
        TopModel model = model();
        model.tell("failed: web.2 ended before it was ready", List.of("tend: error: web.2 ended", "  stderr: boom"));
        List<Line> lines = TopLayout.lines(model, 80, 15, NOW);
        assertEquals("tend: error: web.2 ended", lines.get(12).text());
        assertEquals(Line.Style.FAILED, lines.get(13).style());
        assertEquals("failed: web.2 ended before it was ready", lines.get(14).text());
    }
}
