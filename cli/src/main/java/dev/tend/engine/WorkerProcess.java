package dev.tend.engine;

import dev.tend.os.ChildProcess;
import dev.tend.os.ExitStatus;
import dev.tend.os.Interest;
import dev.tend.os.Reactor;
import dev.tend.os.Signal;
import java.util.function.IntSupplier;

/**
 * One running process of a worker, wired into the event loop: its stdout and stderr are read into lines,
 * its fd-3 pipe (the state protocol) into protocol lines, and its pidfd reports the exit.
 *
 * <p>At exit ({@link #collect()}), whatever is left in the worker's process group is killed before the
 * leader is reaped: the not-yet-reaped leader keeps the group id from being reused, so the signal can only
 * reach the worker's own processes. Then the pipes are drained of what is already in them (without waiting
 * for end of file, which a process that left the group could hold off forever) and closed.
 *
 * <p>What a handler of this process throws stays with this process: the listener hears of it through
 * {@link Listener#failed}, the pipe that failed is no longer read, and the loop goes on.
 */
final class WorkerProcess {
    /** What the process produces. All calls happen on the loop thread. */
    interface Listener {
        void line(LogLine.Channel channel, byte[] bytes);

        void protocolLine(byte[] bytes);

        /** A line on fd 3 was longer than the limit: its {@code length} bytes were discarded. */
        void protocolLineRefused(long length);

        void exited();

        /** Handling the process's output or exit threw: the process can no longer be looked after. */
        void failed(Throwable failure);
    }

    /** The parent's end of one output pipe of the child. */
    private final class Pipe {
        private final IntSupplier fd;
        private final Runnable close;
        private final LineAssembler lines;
        private Reactor.Registration watch;

        Pipe(IntSupplier fd, Runnable close, LineAssembler lines) {
            this.fd = fd;
            this.close = close;
            this.lines = lines;
        }

        boolean open() {
            return fd.getAsInt() >= 0;
        }

        void watch() {
            if (open() && watch == null) {
                watch = reactor.register(fd.getAsInt(), Interest.READ, events -> {
                    try {
                        readOnce();
                    } catch (RuntimeException | Error e) {
                        // Level-triggered: a pipe left watched would fail again at once, for ever.
                        unwatch();
                        listener.failed(e);
                    }
                });
            }
        }

        void unwatch() {
            if (watch != null) {
                watch.cancel();
                watch = null;
            }
        }

        /**
         * A single read per readiness event, so one chatty worker cannot starve the others: epoll is
         * level-triggered and reports the rest on the next round.
         */
        private void readOnce() {
            int n = buffer.read(fd.getAsInt());
            if (n > 0) {
                lines.feed(buffer.bytes(), 0, n);
            } else if (n == 0) {
                end();
            }
        }

        /** Reads what the pipe already holds, without waiting for more, then closes it, whatever happens. */
        void drainAndClose() {
            try {
                while (open()) {
                    int n = buffer.read(fd.getAsInt());
                    if (n > 0) {
                        lines.feed(buffer.bytes(), 0, n);
                    } else {
                        end();
                    }
                }
            } catch (RuntimeException | Error e) {
                listener.failed(e);
            } finally {
                if (open()) {
                    close.run();
                }
            }
        }

        private void end() {
            lines.finish();
            unwatch();
            close.run();
        }
    }

    private final ChildProcess child;
    private final Reactor reactor;
    private final ReadBuffer buffer;
    private final Pipe stdout;
    private final Pipe stderr;
    private final Pipe protocol;
    private final Reactor.Registration exitWatch;
    private final Listener listener;
    private boolean paused;

    /** {@code protocolLimit}: the longest line accepted on fd 3, in bytes; longer ones are refused whole. */
    WorkerProcess(ChildProcess child, Reactor reactor, ReadBuffer buffer, int protocolLimit, Listener listener) {
        this.child = child;
        this.listener = listener;
        this.reactor = reactor;
        this.buffer = buffer;
        this.stdout = new Pipe(child::stdout, child::closeStdout, LineAssembler.splitting(LineAssembler.MAX_OUTPUT_LINE,
                bytes -> listener.line(LogLine.Channel.STDOUT, bytes)));
        this.stderr = new Pipe(child::stderr, child::closeStderr, LineAssembler.splitting(LineAssembler.MAX_OUTPUT_LINE,
                bytes -> listener.line(LogLine.Channel.STDERR, bytes)));
        this.protocol = child.extraOutputCount() > 0
                ? new Pipe(() -> child.extraOutput(0), () -> child.closeExtraOutput(0),
                        LineAssembler.refusing(protocolLimit, listener::protocolLine, listener::protocolLineRefused))
                : null;
        stdout.watch();
        stderr.watch();
        if (protocol != null) {
            protocol.watch();
        }
        this.exitWatch = reactor.register(child.pidfd(), Interest.READ, events -> {
            try {
                listener.exited();
            } catch (RuntimeException | Error e) {
                listener.failed(e);
            }
        });
    }

    int pid() {
        return child.pid();
    }

    /** Closes stdin: the worker reads end of file, its request to stop. */
    void closeStdin() {
        child.closeStdin();
    }

    /** Sends a signal to the worker's process group; false when no process is left in it. */
    boolean signalGroup(Signal signal) {
        return child.signalGroup(signal);
    }

    /**
     * Stops reading stdout and stderr (the output sink is full); the pipes fill and the worker blocks.
     * The descriptors leave epoll rather than get an empty interest: a hung-up pipe would still report
     * EPOLLHUP on every wait and spin the loop.
     */
    void pauseOutput() {
        paused = true;
        stdout.unwatch();
        stderr.unwatch();
    }

    /** Reads stdout and stderr again. */
    void resumeOutput() {
        paused = false;
        stdout.watch();
        stderr.watch();
    }

    boolean paused() {
        return paused;
    }

    /**
     * Called once the pidfd reported the exit: kills what is left of the group, reaps, drains and closes. The
     * descriptors are released even when something on the way throws, so that the exit is never reported again.
     */
    ExitStatus collect() {
        try {
            child.signalGroup(Signal.KILL);
            return child.tryReap().orElseThrow(
                    () -> new IllegalStateException("pidfd of " + child.pid() + " was ready but waitid found no exit"));
        } finally {
            exitWatch.cancel();
            stdout.unwatch();
            stderr.unwatch();
            stdout.drainAndClose();
            stderr.drainAndClose();
            if (protocol != null) {
                protocol.unwatch();
                protocol.drainAndClose();
            }
            child.close();
        }
    }
}
