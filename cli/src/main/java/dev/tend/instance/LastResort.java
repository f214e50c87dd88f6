package dev.tend.instance;

import dev.tend.engine.SupervisorListener;
import dev.tend.engine.WorkerStatus;
import dev.tend.os.NativeException;
import dev.tend.os.Processes;
import dev.tend.os.Signal;
import dev.tend.protocol.ExitCode;
import dev.tend.text.Human;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The second SIGTERM or SIGINT ends tend even when its event loop cannot. The loop handles both signals as usual
 * (the second SIGKILLs every worker's group and ends the loop within a second); this is for a loop that is stuck
 * and never hears of them. From the signal's own thread, the second one arms a deadline: if tend has not ended
 * its run by then, every worker's process group gets SIGKILL from here and the JVM halts with exit code 1.
 *
 * <p>Signalling groups off the loop is safe only because a stuck loop reaps nobody: a group id stays taken while
 * its leader is unreaped. The pids come from the workers' transitions, into a map other threads can read.
 */
final class LastResort implements SupervisorListener {
    private final Duration deadline;
    private final IntConsumer halt;
    private final Map<String, Integer> groups = new ConcurrentHashMap<>();
    private final AtomicInteger stops = new AtomicInteger();
    private final CountDownLatch ended = new CountDownLatch(1);

    /**
     * @param deadline how long after the second signal tend may still take to end its run.
     * @param halt     ends the process with the exit code it is given ({@code Runtime.halt}).
     */
    LastResort(Duration deadline, IntConsumer halt) {
        this.deadline = deadline;
        this.halt = halt;
    }

    @Override
    public void workerChanged(WorkerStatus status) {
        if (status.state().hasProcess() && status.pid() > 0) {
            groups.put(status.name(), status.pid());
        } else {
            groups.remove(status.name());
        }
    }

    @Override
    public void workerRemoved(String name) {
        groups.remove(name);
    }

    /** A signal arrived; called on the signal's own thread, before the loop hears of it. */
    void arrived(Signal signal) {
        if ((signal == Signal.TERM || signal == Signal.INT) && stops.incrementAndGet() == 2) {
            Thread watch = new Thread(this::watch, "tend-last-resort");
            watch.setDaemon(true);
            watch.start();
        }
    }

    /** tend has ended its run: its workers are collected, and it only has to return. */
    void ended() {
        ended.countDown();
    }

    private void watch() {
        try {
            if (ended.await(deadline.toNanos(), TimeUnit.NANOSECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        for (int group : groups.values()) {
            try {
                Processes.signalGroup(group, Signal.KILL);
            } catch (NativeException e) {
                // EPERM: the group is no longer tend's to kill.
            }
        }
        System.err.println("tend: still running " + Human.duration(deadline) + " after the second signal (its event"
                + " loop is stuck); killed every worker's process group; exiting with " + ExitCode.FAILURE.code());
        halt.accept(ExitCode.FAILURE.code());
    }
}
