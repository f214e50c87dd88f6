package dev.tend.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tend.config.Command;
import dev.tend.config.JobSettings;
import dev.tend.config.LogSettings;
import dev.tend.config.ReadyMode;
import dev.tend.config.ResourceLimits;
import dev.tend.config.RestartPolicy;
import dev.tend.config.StartRules;
import dev.tend.config.WatchSettings;
import dev.tend.config.WorkerSettings;
import dev.tend.os.ExitStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The transition table, the drawing of it that people read, and the notions defined on top of the states. */
class WorkerStateTest {
    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path SOURCE = MODULE.resolve("src/main/java/dev/tend/engine/WorkerState.java");
    private static final Path ARCHITECTURE = MODULE.getParent().resolve("docs/architecture.md");
    /** {@code ── event ──▶}: an event is words, never a line or an arrowhead. */
    private static final Pattern ARROW = Pattern.compile("──\\s+[^─▶]+?\\s+─+▶");

    private static final WorkerSettings SETTINGS = new WorkerSettings(new Command.Exec(List.of("cat")), Path.of("/"),
            Map.of(), RestartPolicy.ON_FAILURE, Duration.ofMillis(100), Duration.ofSeconds(1), 4,
            Duration.ofSeconds(5), Optional.empty(), ReadyMode.SPAWNED,
            new StartRules(Duration.ZERO, List.of()), Optional.empty(), Duration.ZERO, LogSettings.NONE,
            ResourceLimits.NONE, WatchSettings.NONE, Optional.empty());

    // ---- the drawing ----

    @Test
    void shouldDrawExactlyTheTransitionTable() throws IOException {
        Map<WorkerState, Set<WorkerState>> drawn = edges(javadocDrawing());
        for (WorkerState state : WorkerState.values()) {
            assertEquals(state.next(), drawn.get(state), "the arrows drawn from " + state
                    + " in WorkerState's Javadoc against WorkerState.next()");
        }
    }

    @Test
    void shouldShowTheSameDrawingInTheArchitecturePage() throws IOException {
        assertEquals(String.join("\n", javadocDrawing()), String.join("\n", architectureDrawing()),
                "the state machine in docs/architecture.md is a copy of the drawing in WorkerState's Javadoc");
    }

    @Test
    void shouldReadHeadingsContinuationsAndChains() {
        Map<WorkerState, Set<WorkerState>> edges = edges(List.of(
                "CREATED ── spawned ──▶ STARTING ── ready ──▶ RUNNING",
                "",
                "STOPPED, EXITED (at rest)",
                "    ── start ────▶ STARTING",
                "BACKOFF",
                "    ── stop ─────▶ STOPPED"));
        assertEquals(EnumSet.of(WorkerState.STARTING), edges.get(WorkerState.CREATED));
        assertEquals(EnumSet.of(WorkerState.RUNNING), edges.get(WorkerState.STARTING));
        assertEquals(EnumSet.of(WorkerState.STARTING), edges.get(WorkerState.STOPPED));
        assertEquals(EnumSet.of(WorkerState.STARTING), edges.get(WorkerState.EXITED));
        assertEquals(EnumSet.of(WorkerState.STOPPED), edges.get(WorkerState.BACKOFF));
        assertEquals(EnumSet.noneOf(WorkerState.class), edges.get(WorkerState.RUNNING));
        assertThrows(AssertionError.class, () -> edges(List.of("    ── start ──▶ STARTING")), "no heading");
        assertThrows(AssertionError.class, () -> edges(List.of("STOPPED ──▶ STARTING")), "no event");
        assertThrows(AssertionError.class, () -> edges(List.of("STOPPED ── start ──▶ STARTED")), "no such state");
    }

    /**
     * The transitions a drawing shows. A line with arrows is a chain, {@code A ── event ──▶ B ── event ──▶ C};
     * one that starts with an arrow continues from the states of the last heading, a line without arrows
     * that names states (a comment may follow in parentheses).
     */
    private static Map<WorkerState, Set<WorkerState>> edges(List<String> drawing) {
        Map<WorkerState, Set<WorkerState>> edges = new EnumMap<>(WorkerState.class);
        for (WorkerState state : WorkerState.values()) {
            edges.put(state, EnumSet.noneOf(WorkerState.class));
        }
        List<WorkerState> heading = List.of();
        for (String line : drawing) {
            if (line.isBlank()) {
                continue;
            }
            if (!line.contains("▶")) {
                heading = Arrays.stream(line.split("\\(", 2)[0].split(",")).map(name -> state(name, line))
                        .collect(Collectors.toList());
                continue;
            }
            String[] parts = ARROW.split(line, -1);
            List<WorkerState> from = parts[0].isBlank() ? heading : List.of(state(parts[0], line));
            if (from.isEmpty()) {
                fail("an arrow from no state: " + line);
            }
            for (int i = 1; i < parts.length; i++) {
                WorkerState to = state(parts[i], line);
                from.forEach(f -> edges.get(f).add(to));
                from = List.of(to);
            }
        }
        return edges;
    }

    private static WorkerState state(String name, String line) {
        try {
            return WorkerState.valueOf(name.trim());
        } catch (IllegalArgumentException e) {
            throw new AssertionError("\"" + name.trim() + "\" is not a state (or an arrow lacks its event): " + line);
        }
    }

    /** The lines of the {@code <pre>} block of WorkerState's Javadoc, without the leading {@code " * "}. */
    private static List<String> javadocDrawing() throws IOException {
        List<String> source = Files.readAllLines(SOURCE, StandardCharsets.UTF_8);
        int start = source.indexOf(" * <pre>");
        int end = source.indexOf(" * </pre>");
        assertTrue(start >= 0 && end > start, "no <pre> block in " + SOURCE);
        return source.subList(start + 1, end).stream().map(l -> l.replaceFirst("^ \\*( |$)", ""))
                .collect(Collectors.toList());
    }

    /** The first fenced block of the section "The worker state machine" of docs/architecture.md. */
    private static List<String> architectureDrawing() throws IOException {
        List<String> page = Files.readAllLines(ARCHITECTURE, StandardCharsets.UTF_8);
        int section = page.indexOf("## The worker state machine");
        assertTrue(section >= 0, "no section \"The worker state machine\" in " + ARCHITECTURE);
        int start = page.subList(section, page.size()).indexOf("```") + section;
        int end = page.subList(start + 1, page.size()).indexOf("```") + start + 1;
        assertTrue(start > section && end > start, "no drawing in the section \"The worker state machine\"");
        return page.subList(start + 1, end);
    }

    // ---- the transition table ----

    @Test
    void shouldStartCreated() {
        assertEquals(WorkerState.CREATED, worker().state());
    }

    @Test
    void shouldAcceptEveryTransitionOfTheTableAndRefuseEveryOther() {
        for (WorkerState from : WorkerState.values()) {
            for (WorkerState to : WorkerState.values()) {
                Worker w = workerIn(from);
                if (from.next().contains(to)) {
                    w.moveTo(to);
                    assertEquals(to, w.state());
                } else {
                    assertThrows(IllegalStateException.class, () -> w.moveTo(to), from + " → " + to);
                    assertEquals(from, w.state(), "a refused transition changes nothing");
                }
            }
        }
    }

    @Test
    void shouldEnterCreatedOnlyAtFirst() {
        for (WorkerState state : WorkerState.values()) {
            assertFalse(state.next().contains(WorkerState.CREATED), state + " leads back to CREATED");
        }
    }

    @Test
    void shouldReachEveryStateFromCreatedAndRestFromEveryState() {
        for (WorkerState state : WorkerState.values()) {
            workerIn(state);
            assertTrue(reachable(state).stream().anyMatch(WorkerState::atRest), state + " can never come to rest");
        }
    }

    // ---- the notions on states ----

    @Test
    void shouldHaveAProcessOrRestOrWaitOutABackoff() {
        for (WorkerState state : WorkerState.values()) {
            assertFalse(state.hasProcess() && state.atRest(), state + ": at rest with a process");
            assertEquals(state == WorkerState.BACKOFF || state == WorkerState.SCHEDULED || state == WorkerState.WAITING,
                    !state.hasProcess() && !state.atRest(), state + ": only BACKOFF and SCHEDULED (a timer) and WAITING"
                            + " (its dependencies) have neither a process nor rest");
        }
        assertEquals(EnumSet.of(WorkerState.STARTING, WorkerState.RUNNING, WorkerState.STOPPING),
                matching(WorkerState::hasProcess));
        assertEquals(EnumSet.of(WorkerState.CREATED, WorkerState.STOPPED, WorkerState.EXITED, WorkerState.FAILED),
                matching(WorkerState::atRest));
    }

    @Test
    void shouldBeReadyOnlyWhenRunning() {
        assertEquals(EnumSet.of(WorkerState.RUNNING), matching(WorkerState::ready));
    }

    @Test
    void shouldFailBeforeReadyInEveryStateWithoutAProcessButWaiting() {
        assertEquals(EnumSet.of(WorkerState.CREATED, WorkerState.STOPPED, WorkerState.EXITED, WorkerState.BACKOFF,
                WorkerState.FAILED), matching(WorkerState::failedBeforeReady));
    }

    @Test
    void shouldCountAJobReadyWhileItsScheduleGoesOn() {
        JobSettings every = new JobSettings(new JobSettings.Every(Duration.ofSeconds(10)), JobSettings.Overlap.SKIP);
        Map<WorkerState, Boolean> ready = new EnumMap<>(WorkerState.class);
        for (WorkerState state : WorkerState.values()) {
            Worker job = workerIn(state);
            job.spec = new WorkerSpec("w.1", "w", 1, new WorkerSettings(SETTINGS.command(), SETTINGS.cwd(), Map.of(),
                    SETTINGS.restart(), SETTINGS.backoffMin(), SETTINGS.backoffMax(), SETTINGS.maxFailures(),
                    SETTINGS.grace(), SETTINGS.stopSignal(), SETTINGS.ready(), SETTINGS.start(), SETTINGS.health(),
                    SETTINGS.stopSignalAfter(), SETTINGS.log(), SETTINGS.limits(), SETTINGS.watch(), Optional.of(every)));
            job.job = new JobTimer(every, null, () -> 0, late -> { });
            ready.put(state, job.ready());
            assertEquals(job.ready(), job.status().ready(), state + ": the snapshot says the same");
            assertEquals(job.ready(), job.readyOrFinished(), state + ": a job never finishes");
            if (state == WorkerState.STOPPING) {
                job.held = true;
                assertFalse(job.ready(), "a run someone stopped, with its schedule, is not ready");
            }
        }
        assertEquals(EnumSet.of(WorkerState.SCHEDULED, WorkerState.STARTING, WorkerState.RUNNING, WorkerState.STOPPING),
                EnumSet.copyOf(ready.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList()));
        assertFalse(workerIn(WorkerState.SCHEDULED).ready(), "SCHEDULED alone is no readiness: only a job is ready in it");
    }

    @Test
    void shouldEndForGoodOnlyByItself() {
        assertEquals(EnumSet.of(WorkerState.EXITED, WorkerState.FAILED), matching(WorkerState::endedForGood));
        for (WorkerState state : matching(WorkerState::endedForGood)) {
            assertTrue(state.atRest(), state + " ended for good yet not at rest");
        }
    }

    @Test
    void shouldHaveOneLowerCaseLabelPerState() {
        Set<String> labels = Arrays.stream(WorkerState.values()).map(WorkerState::label).collect(Collectors.toSet());
        assertEquals(WorkerState.values().length, labels.size());
        for (WorkerState state : WorkerState.values()) {
            assertEquals(state.name().toLowerCase(Locale.ROOT), state.label());
        }
    }

    // ---- the notions on workers ----

    @Test
    void shouldFinishCleanlyOnlyAfterExitingZeroForGood() {
        assertTrue(exited(new ExitStatus.Exited(0)).finishedCleanly());
        assertFalse(exited(new ExitStatus.Exited(1)).finishedCleanly());
        assertFalse(exited(new ExitStatus.Killed(9, false)).finishedCleanly());
        Worker stopped = workerIn(WorkerState.STOPPED);
        stopped.lastExit = new ExitStatus.Exited(0);
        assertFalse(stopped.finishedCleanly(), "stopped on request: its job was not done");
    }

    @Test
    void shouldCountReadyOrFinishedAndLeftUnfinished() {
        Map<String, Worker> cases = new LinkedHashMap<>();
        for (WorkerState state : WorkerState.values()) {
            cases.put(state.label(), workerIn(state));
        }
        cases.put("exited 0", exited(new ExitStatus.Exited(0)));
        cases.put("exited 1", exited(new ExitStatus.Exited(1)));
        cases.remove("exited");
        List<String> readyOrFinished = new ArrayList<>();
        List<String> leftUnfinished = new ArrayList<>();
        cases.forEach((name, w) -> {
            assertFalse(w.readyOrFinished() && w.leftUnfinished(), name + ": both");
            if (w.readyOrFinished()) {
                readyOrFinished.add(name);
            }
            if (w.leftUnfinished()) {
                leftUnfinished.add(name);
            }
        });
        assertEquals(List.of("running", "exited 0"), readyOrFinished);
        assertEquals(List.of("stopped", "failed", "exited 1"), leftUnfinished,
                "a worker backing off may still get there, and one just created is about to be started");
    }

    @Test
    void shouldSnapshotTheSameNotions() {
        Worker running = workerIn(WorkerState.RUNNING);
        assertTrue(running.status().ready());
        assertTrue(running.status().readyOrFinished());
        Worker done = exited(new ExitStatus.Exited(0));
        assertFalse(done.status().ready());
        assertTrue(done.status().finishedCleanly());
        assertTrue(done.status().readyOrFinished());
        assertFalse(exited(new ExitStatus.Exited(3)).status().readyOrFinished());
    }

    // ---- helpers ----

    private static Worker worker() {
        return new Worker(new WorkerSpec("w.1", "w", 1, SETTINGS));
    }

    private static Worker exited(ExitStatus status) {
        Worker w = workerIn(WorkerState.EXITED);
        w.lastExit = status;
        return w;
    }

    /** A new worker moved along the table to {@code target}, the shortest way. */
    private static Worker workerIn(WorkerState target) {
        Map<WorkerState, WorkerState> cameFrom = new EnumMap<>(WorkerState.class);
        Deque<WorkerState> queue = new ArrayDeque<>(List.of(WorkerState.CREATED));
        while (!queue.isEmpty() && !cameFrom.containsKey(target) && target != WorkerState.CREATED) {
            WorkerState state = queue.poll();
            for (WorkerState next : state.next()) {
                if (next != WorkerState.CREATED && cameFrom.putIfAbsent(next, state) == null) {
                    queue.add(next);
                }
            }
        }
        Deque<WorkerState> path = new ArrayDeque<>();
        for (WorkerState s = target; s != WorkerState.CREATED; s = cameFrom.get(s)) {
            if (s == null) {
                fail(target + " cannot be reached from CREATED");
            }
            path.push(s);
        }
        Worker w = worker();
        path.forEach(w::moveTo);
        return w;
    }

    private static Set<WorkerState> reachable(WorkerState from) {
        Set<WorkerState> seen = EnumSet.of(from);
        Deque<WorkerState> queue = new ArrayDeque<>(seen);
        while (!queue.isEmpty()) {
            for (WorkerState next : queue.poll().next()) {
                if (seen.add(next)) {
                    queue.add(next);
                }
            }
        }
        return seen;
    }

    private static Set<WorkerState> matching(Predicate<WorkerState> notion) {
        return Arrays.stream(WorkerState.values()).filter(notion)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(WorkerState.class)));
    }
}
