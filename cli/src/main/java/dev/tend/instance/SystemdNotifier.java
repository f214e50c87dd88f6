package dev.tend.instance;

import dev.tend.engine.LogLine;
import dev.tend.engine.Supervisor;
import dev.tend.engine.SupervisorListener;
import dev.tend.engine.WorkerState;
import dev.tend.engine.WorkerStatus;
import dev.tend.os.Reactor;
import dev.tend.os.SdNotify;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Speaks the sd_notify protocol to systemd when {@code NOTIFY_SOCKET} is set (a {@code Type=notify} unit):
 * <ul>
 *   <li>{@code READY=1} once every worker is ready (or finished its job cleanly), and again after a reload;</li>
 *   <li>{@code STATUS=} with a one-line summary whenever it changes ({@code 12/12 ready},
 *       {@code 11/12 ready; queue.3 backing off});</li>
 *   <li>{@code RELOADING=1} with {@code MONOTONIC_USEC=} when a reload begins;</li>
 *   <li>{@code STOPPING=1} when tend begins to stop everything;</li>
 *   <li>{@code WATCHDOG=1} every half {@code WATCHDOG_USEC}, from a timer of the event loop itself: if the
 *       loop is stuck, the pings stop and systemd notices.</li>
 * </ul>
 */
final class SystemdNotifier implements SupervisorListener {
    private final SdNotify notify;
    private final Supervisor supervisor;
    private final Reactor reactor;
    private boolean updatePending;
    private boolean readySent;
    /** From RELOADING=1 until that reload has ended, applied or refused: READY=1 waits for the end. */
    private boolean reloading;
    private String lastStatus = "";
    private boolean warned;

    private SystemdNotifier(SdNotify notify, Supervisor supervisor, Reactor reactor) {
        this.notify = notify;
        this.supervisor = supervisor;
        this.reactor = reactor;
    }

    /** Attaches to the supervisor when tend runs under systemd; does nothing otherwise. */
    static Optional<SystemdNotifier> attach(Supervisor supervisor, Reactor reactor, Map<String, String> env, int pid) {
        Optional<SdNotify> notify;
        try {
            notify = SdNotify.fromEnvironment(env);
        } catch (IllegalArgumentException e) {
            supervisor.announce(LogLine.Channel.WARNING, "NOTIFY_SOCKET ignored: " + e.getMessage());
            return Optional.empty();
        }
        if (notify.isEmpty()) {
            return Optional.empty();
        }
        SystemdNotifier notifier = new SystemdNotifier(notify.get(), supervisor, reactor);
        supervisor.addListener(notifier);
        SdNotify.watchdogInterval(env, pid).ifPresent(interval -> notifier.pingEvery(reactor, interval));
        return Optional.of(notifier);
    }

    private void pingEvery(Reactor reactor, Duration interval) {
        reactor.schedule(interval.toNanos(), TimeUnit.NANOSECONDS, () -> {
            send("WATCHDOG=1");
            pingEvery(reactor, interval);
        });
    }

    @Override
    public void workerChanged(WorkerStatus status) {
        updateSoon();
    }

    @Override
    public void workerRemoved(String name) {
        updateSoon();
    }

    /** One datagram for all the changes the loop handles in one go (a pool starting is N changes). */
    private void updateSoon() {
        if (!updatePending) {
            updatePending = true;
            reactor.execute(() -> {
                updatePending = false;
                update();
            });
        }
    }

    @Override
    public void reloading() {
        reloading = true;
        readySent = false;
        send("RELOADING=1\nMONOTONIC_USEC=" + System.nanoTime() / 1000);
    }

    @Override
    public void reloaded() {
        reloading = false;
        updateSoon();
    }

    @Override
    public void stopping() {
        send("STOPPING=1\nSTATUS=stopping");
    }

    /** Everything was started: a configuration without pools is ready at once. */
    void started() {
        update();
    }

    private void update() {
        if (supervisor.stopping()) {
            return;
        }
        List<WorkerStatus> workers = supervisor.status();
        int ready = 0;
        List<String> trouble = new ArrayList<>();
        for (WorkerStatus w : workers) {
            if (w.readyOrFinished()) {
                ready++;
            } else if (w.state() == WorkerState.BACKOFF) {
                trouble.add(w.name() + " backing off");
            } else if (w.state() == WorkerState.FAILED) {
                trouble.add(w.name() + " failed");
            } else if (w.state() == WorkerState.WAITING) {
                trouble.add(w.name() + " waiting " + w.status());
            }
        }
        String status = ready + "/" + workers.size() + " ready" + (trouble.isEmpty() ? ""
                : "; " + String.join(", ", trouble.subList(0, Math.min(3, trouble.size())))
                + (trouble.size() > 3 ? " and " + (trouble.size() - 3) + " more" : ""));
        boolean allReady = ready == workers.size() && !workers.isEmpty() || supervisor.config().pools().isEmpty();
        StringBuilder message = new StringBuilder();
        if (allReady && !readySent && !reloading) {
            readySent = true;
            message.append("READY=1\n");
        }
        if (!status.equals(lastStatus)) {
            lastStatus = status;
            message.append("STATUS=").append(status).append('\n');
        }
        if (message.length() > 0) {
            send(message.toString());
        }
    }

    private void send(String message) {
        if (!notify.send(message) && !warned) {
            warned = true;
            supervisor.announce(LogLine.Channel.WARNING, "cannot notify systemd at "
                    + notify.address() + ": " + notify.lastError().orElse("unknown error") + " (further failures"
                    + " are not reported)");
        }
    }
}
