package dev.tend.cli.top;

import dev.tend.client.ConnectionLostException;
import dev.tend.client.ControlClient;
import dev.tend.protocol.ActionResult;
import dev.tend.protocol.ClientText;
import dev.tend.protocol.ExitCode;
import dev.tend.protocol.InstanceStatus;
import dev.tend.protocol.LogEvent;
import dev.tend.protocol.Op;
import dev.tend.protocol.Protocol;
import dev.tend.protocol.Request;
import dev.tend.protocol.WorkerEntry;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Size;

/**
 * {@code tend top}: runs the view of one instance until {@code q}, Ctrl-C, or tend stopping. Four threads, none
 * of them polling tend: this one reads keys; one holds the {@code subscribe} connection and takes each status
 * tend pushes; one draws, at most every {@link #MIN_REDRAW} and once a second for the clocks (uptimes, ages);
 * one runs the actions the keys ask for, one at a time, each on a connection of its own. The output pane follows
 * a {@code logs} stream on a thread of its own while it is open. They share {@link TopModel} under its lock.
 */
public final class TopView {
    /** The shortest time between two redraws: changes that come faster are drawn together. */
    static final Duration MIN_REDRAW = Duration.ofMillis(100);
    /** The silence after which an action's connection counts tend as not answering (heartbeats keep it alive). */
    private static final Duration ACTION_TIMEOUT = Duration.ofSeconds(30);
    private static final Set<String> ACTIVE = Set.of("waiting", "starting", "running", "backoff");

    private final Path socket;
    private final String description;
    private final TopModel model = new TopModel();
    private final ScheduledExecutorService painter = Executors.newSingleThreadScheduledExecutor(
            runnable -> daemon(runnable, "tend-top-draw"));
    private final ExecutorService actions = Executors.newSingleThreadExecutor(
            runnable -> daemon(runnable, "tend-top-action"));
    private TopTerminal terminal;
    private boolean drawPending;
    private long lastDrawNanos;
    private Thread follower;
    private volatile boolean running = true;
    private volatile int exitCode = ExitCode.OK.code();
    private volatile String farewell;

    private TopView(Path socket, String description) {
        this.socket = socket;
        this.description = description;
    }

    /** The outcome of the view: its exit code, and a line to print once the terminal is back (or null). */
    public record Outcome(int exitCode, String message) {}

    /**
     * Shows the instance behind {@code socket} until the user quits or tend stops; empty when stdin or stdout is
     * not a terminal. {@code color}: whether colours may be used ({@code NO_COLOR} is not set).
     */
    public static Optional<Outcome> run(Path socket, String description, boolean color) throws IOException {
        TopView view = new TopView(socket, description);
        try (TopTerminal terminal = TopTerminal.open(color, view::interrupted, view::resized)) {
            if (terminal == null) {
                return Optional.empty();
            }
            view.terminal = terminal;
            view.runIn();
        } finally {
            view.shutdown();
        }
        return Optional.of(new Outcome(view.exitCode, view.farewell));
    }

    private void runIn() throws IOException {
        Thread subscriber = daemon(this::subscribe, "tend-top-subscribe");
        subscriber.start();
        painter.scheduleAtFixedRate(this::redraw, 1, 1, TimeUnit.SECONDS);
        redraw();
        try {
            while (running) {
                TopTerminal.Press press = terminal.read(500);
                if (press.key() == TopTerminal.Key.END) {
                    break;
                }
                if (press.key() != TopTerminal.Key.NONE) {
                    key(press);
                    redraw();
                }
            }
        } finally {
            subscriber.interrupt();
        }
    }

    private void shutdown() {
        stopFollowing();
        painter.shutdownNow();
        actions.shutdownNow();
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    private void quit(int code, String message) {
        exitCode = code;
        farewell = message;
        running = false;
    }

    private void interrupted() {
        quit(ExitCode.OK.code(), null);
    }

    private void resized() {
        terminal.clear();
        redraw();
    }

    /** Takes every status tend pushes; ends the view when tend closes the stream. */
    private void subscribe() {
        try {
            Map<String, Object> last = ControlClient.request(socket, new Request.Subscribe().toJson(), event -> {
                if (!InstanceStatus.EVENT.equals(event.get(Protocol.EVENT))) {
                    return;
                }
                InstanceStatus status = InstanceStatus.fromJson(event);
                synchronized (model) {
                    if (model.status().isEmpty() || model.status().get().pid() != status.pid()) {
                        model.tendStarted(ProcessHandle.of(status.pid()).flatMap(h -> h.info().startInstant())
                                .map(i -> i.toEpochMilli()).orElse(0L));
                    }
                    model.update(status, System.currentTimeMillis());
                }
                redraw();
            });
            ActionResult result = ActionResult.fromJson(last);
            quit(result.code().code(), result.ok() ? null : "tend: error: " + result.message()
                    + (result.message().contains(Op.SUBSCRIBE.wireName()) ? " (a tend older than this client?)" : ""));
        } catch (ConnectionLostException e) {
            quit(ExitCode.OK.code(), "tend " + description + " stopped");
        } catch (InterruptedIOException e) {
            // The view is closing.
        } catch (IOException e) {
            quit(ExitCode.FAILURE.code(), "tend: error: cannot talk to tend " + description + ": " + e.getMessage());
        }
    }

    /** Asks for a redraw: now if the last was long enough ago, else once {@link #MIN_REDRAW} has passed. */
    private void redraw() {
        synchronized (this) {
            if (drawPending) {
                return;
            }
            drawPending = true;
        }
        long wait = lastDrawNanos + MIN_REDRAW.toNanos() - System.nanoTime();
        try {
            painter.schedule(this::draw, Math.max(0, wait), TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            // Shutting down: nothing more to draw.
        }
    }

    private void draw() {
        synchronized (this) {
            drawPending = false;
            lastDrawNanos = System.nanoTime();
        }
        Size size = terminal.size();
        List<Line> lines;
        synchronized (model) {
            lines = TopLayout.lines(model, size.getColumns(), size.getRows(), System.currentTimeMillis());
        }
        terminal.draw(lines, size);
    }

    private void key(TopTerminal.Press press) {
        synchronized (model) {
            if (model.filterDraft().isPresent()) {
                filterKey(press);
                return;
            }
            if (model.help()) {
                model.toggleHelp();
                return;
            }
            switch (press.key()) {
                case UP -> model.move(-1);
                case DOWN -> model.move(1);
                case PAGE_UP -> model.move(-terminal.size().getRows() / 2);
                case PAGE_DOWN -> model.move(terminal.size().getRows() / 2);
                case ENTER -> togglePane();
                case ESCAPE -> {
                    stopFollowing();
                    model.closePane();
                    model.dismissReport();
                    model.tell("", List.of());
                }
                case INTERRUPT -> quit(ExitCode.OK.code(), null);
                case CHARACTER -> character(press.character());
                default -> { }
            }
        }
    }

    private void filterKey(TopTerminal.Press press) {
        String draft = model.filterDraft().orElse("");
        switch (press.key()) {
            case ENTER -> model.endFilter();
            case ESCAPE -> model.applyFilter("");
            case BACKSPACE -> model.editFilter(draft.isEmpty() ? draft : draft.substring(0, draft.length() - 1));
            case INTERRUPT -> quit(ExitCode.OK.code(), null);
            case CHARACTER -> {
                if (press.character() >= ' ') {
                    model.editFilter(draft + press.character());
                }
            }
            default -> { }
        }
    }

    private void character(char c) {
        Optional<Row> selected = model.selected();
        switch (c) {
            case 'q' -> quit(ExitCode.OK.code(), null);
            case 'k' -> model.move(-1);
            case 'j' -> model.move(1);
            case 'l' -> togglePane();
            case '?' -> model.toggleHelp();
            case '/' -> model.beginFilter();
            case 'r' -> selected.ifPresent(row -> act(new Request.Action(Op.RESTART, List.of(row.target()), true),
                    "restarting " + row.target()));
            case 's' -> selected.ifPresent(this::stopOrStart);
            case '+', '=' -> selected.ifPresent(row -> scale(row.pool(), 1));
            case '-' -> selected.ifPresent(row -> scale(row.pool(), -1));
            default -> { }
        }
    }

    private void stopOrStart(Row row) {
        List<WorkerEntry> workers = row instanceof Row.PoolRow p ? p.workers() : List.of(((Row.WorkerRow) row).worker());
        boolean active = workers.stream().anyMatch(w -> w.pid() != 0 || ACTIVE.contains(w.state()));
        act(new Request.Action(active ? Op.STOP : Op.START, List.of(row.target()), true),
                (active ? "stopping " : "starting ") + row.target());
    }

    private void scale(String pool, int delta) {
        long count = model.status().map(s -> s.workers().stream().filter(w -> w.pool().equals(pool)).count()).orElse(0L);
        if (count + delta < 0) {
            model.tell(pool + " has no worker to remove", List.of());
            return;
        }
        act(new Request.Scale(pool, Long.toString(count + delta), true), "scaling " + pool + " to " + (count + delta));
    }

    /** Sends {@code request} on the action thread; its outcome goes to the status line (and the report). */
    private void act(Request request, String doing) {
        model.tell(doing + "...", List.of());
        actions.execute(() -> {
            String message;
            List<String> report;
            try {
                ActionResult result = ActionResult.fromJson(ControlClient.request(socket, request.toJson(), e -> { },
                        ACTION_TIMEOUT));
                message = result.ok() ? result.message() : "failed: " + result.message();
                report = ClientText.action(result).errLines();
            } catch (IOException e) {
                message = "cannot talk to tend " + description + ": " + e.getMessage();
                report = List.of();
            }
            synchronized (model) {
                model.tell(message, report.size() > 1 ? report : List.of());
            }
            redraw();
        });
    }

    /** Opens the output pane on the selected row, or closes it when it shows that row already. */
    private void togglePane() {
        Optional<Row> selected = model.selected();
        if (selected.isEmpty()) {
            return;
        }
        String target = selected.get().target();
        boolean same = model.paneTarget().filter(target::equals).isPresent();
        stopFollowing();
        if (same) {
            model.closePane();
            return;
        }
        model.openPane(target);
        follower = daemon(() -> follow(target), "tend-top-output");
        follower.start();
    }

    private void stopFollowing() {
        if (follower != null) {
            follower.interrupt();
            follower = null;
        }
    }

    /** Streams the output of {@code target} into the pane until the pane closes. */
    private void follow(String target) {
        try {
            Map<String, Object> last = ControlClient.request(socket,
                    new Request.Logs(List.of(target), TopModel.PANE_LINES, true).toJson(), event -> {
                if (!LogEvent.NAME.equals(event.get(Protocol.EVENT))) {
                    return;
                }
                LogEvent line = LogEvent.fromJson(event);
                synchronized (model) {
                    if (model.paneTarget().filter(target::equals).isPresent()) {
                        model.paneLine(line.source() + " | " + line.text());
                    }
                }
                redraw();
            });
            ActionResult result = ActionResult.fromJson(last);
            if (!result.ok()) {
                synchronized (model) {
                    model.paneLine("(" + result.message() + ")");
                }
                redraw();
            }
        } catch (IOException e) {
            if (!(e instanceof InterruptedIOException)) {
                synchronized (model) {
                    model.paneLine("(output of " + target + " ended: " + e.getMessage() + ")");
                }
                redraw();
            }
        }
    }
}
