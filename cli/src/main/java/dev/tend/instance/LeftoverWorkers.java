package dev.tend.instance;

import dev.tend.engine.LogLine;
import dev.tend.engine.Supervisor;
import dev.tend.os.Fds;
import dev.tend.os.Interest;
import dev.tend.os.NativeException;
import dev.tend.os.ProcessInfo;
import dev.tend.os.Processes;
import dev.tend.os.Reactor;
import dev.tend.os.Signal;
import dev.tend.text.Human;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * Stops the workers a previous {@code tend up} of the same instance left running when it was killed, before
 * any new worker starts. Their stdin reached end of file when that tend died, so those still running ignore
 * it: each gets its stop signal (if it has one), then SIGKILL to its process group once its grace has passed.
 * Only processes whose pid and start time both match the record are touched.
 */
final class LeftoverWorkers {
    private final Supervisor supervisor;
    private final Reactor reactor;
    private int pending;
    private Runnable then;

    private LeftoverWorkers(Supervisor supervisor, Reactor reactor) {
        this.supervisor = supervisor;
        this.reactor = reactor;
    }

    /** Stops what the record lists, then runs {@code then} (on the loop thread). */
    static void stopThen(Path record, Supervisor supervisor, Reactor reactor, Runnable then) {
        List<WorkerRecord.Entry> entries;
        try {
            entries = WorkerRecord.read(record);
        } catch (IOException e) {
            supervisor.announce(LogLine.Channel.WARNING, "cannot read " + record + ": " + e.getMessage());
            entries = List.of();
        }
        new LeftoverWorkers(supervisor, reactor).stopAll(entries, then);
    }

    private void stopAll(List<WorkerRecord.Entry> entries, Runnable then) {
        this.then = then;
        for (WorkerRecord.Entry e : entries) {
            if (!ProcessInfo.exists(e.pid(), e.startTime()) || !ProcessInfo.isLive(e.pid())) {
                continue;
            }
            OptionalInt pidfd = ProcessInfo.pidfdOpen(e.pid());
            if (pidfd.isEmpty() || !ProcessInfo.exists(e.pid(), e.startTime())) {
                // Gone between the two checks; or, if the pid was reused in that instant, the pidfd is not theirs.
                pidfd.ifPresent(Fds::close);
                continue;
            }
            supervisor.announce(LogLine.Channel.WARNING, e.worker() + " (pid " + e.pid() + ") is still running from a"
                    + " previous tend that ended abruptly; stopping it"
                    + e.stopSignal().map(s -> " with SIG" + s).orElse("") + ", killing it after "
                    + Human.duration(e.grace()));
            e.stopSignal().ifPresent(s -> signalGroup(e.pid(), s));
            pending++;
            int fd = pidfd.getAsInt();
            Reactor.Timer kill = reactor.schedule(e.grace().toNanos(), TimeUnit.NANOSECONDS,
                    () -> signalGroup(e.pid(), Signal.KILL));
            Reactor.Registration[] watch = new Reactor.Registration[1];
            watch[0] = reactor.register(fd, Interest.READ, events -> {
                kill.cancel();
                // The leader is gone (it is not our child: its new parent reaps it); whatever is left of its group
                // goes too, as with any worker. A group with members keeps its id, so this reaches no one else
                // (short of the pid space wrapping around in the meantime).
                signalGroup(e.pid(), Signal.KILL);
                watch[0].cancel();
                Fds.close(fd);
                if (--pending == 0) {
                    done();
                }
            });
        }
        if (pending == 0) {
            done();
        }
    }

    private void done() {
        reactor.execute(then);
    }

    private static void signalGroup(int group, Signal signal) {
        try {
            Processes.signalGroup(group, signal);
        } catch (NativeException e) {
            // EPERM: a member made itself another user's. Nothing more can be done for it from here; its exit,
            // which the pidfd reports, still ends the wait.
        }
    }
}
