package dev.tend.engine;

import dev.tend.config.WorkerSettings;
import dev.tend.os.Reactor;
import dev.tend.os.Signal;
import dev.tend.text.Human;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * How a running worker is stopped, after its stdin was closed: {@code stop_signal} to its process group
 * {@code stop_signal_after} later (at once when that is zero), then SIGKILL to the group once {@code grace}
 * has passed since the end of input. Each step is one timer on the loop, held in {@link Worker#timer}, so the
 * exit of the worker cancels whatever step is still to come. Loop thread only.
 */
final class StopSequence {
    /** Where the message of a kill sends the reader. */
    static final String CONTRACT = "docs/worker-contract.md, \"How a worker is stopped\"";

    private final Worker worker;
    private final WorkerSettings settings;
    private final Reactor reactor;
    private final Consumer<String> warn;
    private boolean signalled;

    private StopSequence(Worker worker, Reactor reactor, Consumer<String> warn) {
        this.worker = worker;
        this.settings = worker.spec.settings();
        this.reactor = reactor;
        this.warn = warn;
    }

    /** Arms the steps after the end of input; the worker's stdin is already closed. */
    static void begin(Worker worker, Reactor reactor, Consumer<String> warn) {
        new StopSequence(worker, reactor, warn).afterEof();
    }

    private void afterEof() {
        // The listeners told of STOPPING ran just before: whatever they did, only a process still stopping is signalled.
        if (worker.state() != WorkerState.STOPPING || worker.process == null) {
            return;
        }
        Duration after = settings.stopSignalAfter();
        if (settings.stopSignal().isEmpty()) {
            arm(settings.grace(), this::kill);
        } else if (after.isZero()) {
            signal();
            arm(settings.grace(), this::kill);
        } else {
            arm(after, () -> {
                signal();
                arm(settings.grace().minus(after), this::kill);
            });
        }
    }

    private void signal() {
        signalled = true;
        worker.process.signalGroup(settings.stopSignal().get());
    }

    private void arm(Duration delay, Runnable step) {
        worker.timer = reactor.schedule(delay.toNanos(), TimeUnit.NANOSECONDS, () -> {
            worker.timer = null;
            if (worker.state() == WorkerState.STOPPING && worker.process != null) {
                step.run();
            }
        });
    }

    private void kill() {
        worker.killedBy = "killed after its grace of " + Human.duration(settings.grace());
        worker.process.signalGroup(Signal.KILL);
        // Said after the loop's other due timers: the graces of workers stopped together end together, and each
        // kill waiting behind the message of the one before would be that much later.
        String name = worker.name();
        reactor.execute(() -> warn.accept(name + " " + killMessage()));
    }

    /** Why the worker is killed and what to change, by what it was sent. */
    private String killMessage() {
        String grace = Human.duration(settings.grace());
        if (!signalled) {
            return "did not exit within its grace of " + grace + " after its stdin was closed (end of input);"
                    + " killing its process group. A program that does not read stdin needs a stop_signal it stops"
                    + " on (stop_signal = \"TERM\"); one that needs longer to finish its job needs a longer grace"
                    + " (see " + CONTRACT + ")";
        }
        Duration after = settings.stopSignalAfter();
        return "did not exit within its grace of " + grace + " after its stdin was closed (end of input) and SIG"
                + settings.stopSignal().get() + (after.isZero() ? "" : " (sent " + Human.duration(after) + " later)")
                + "; killing its process group. Set the signal it stops on (stop_signal = \"QUIT\", \"INT\", …),"
                + " or a longer grace if it needs longer to finish (see " + CONTRACT + ")";
    }
}
