package dev.tend.os;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One event-loop thread over epoll: readiness of file descriptors (pipes, pidfds, sockets), timers, and
 * tasks handed over from other threads. Nothing polls: the thread sleeps in {@code epoll_wait} until a
 * descriptor is ready, the earliest timer is due, or {@link #execute} wakes it through an eventfd.
 *
 * <h2>Threading</h2>
 * {@link #run()} must be called on the thread that owns the loop. Only {@link #execute}, {@link #stop()}
 * and {@link #inLoop()} may be called from other threads; everything else belongs to the loop thread
 * (handlers and tasks already run there).
 *
 * <h2>Tokens</h2>
 * Each registration is identified in epoll by a 64-bit token: its slot index in the high half and a
 * generation in the low half. A stale event for a descriptor that was unregistered in the same batch
 * carries an old generation and is dropped, so a reused fd number never reaches the wrong handler.
 *
 * <h2>Errors</h2>
 * An exception thrown by a handler, timer or task goes to the error handler given at construction and
 * the loop goes on: one faulty worker must not stop the supervisor.
 */
public final class Reactor implements AutoCloseable {
    /** Is told what a ready descriptor is ready for. */
    @FunctionalInterface
    public interface Handler {
        /** Called on the loop thread each time epoll reports the descriptor (level-triggered). */
        void onReady(Readiness ready);
    }

    private static final boolean PACKED_EVENTS = Platform.isIntel() && Platform.is64Bit();
    /** {@code struct epoll_event} is packed (12 bytes) on x86_64 and naturally aligned (16 bytes) elsewhere. */
    static final int EVENT_SIZE = PACKED_EVENTS ? 12 : 16;
    private static final int EVENT_DATA_OFFSET = PACKED_EVENTS ? 4 : 8;
    private static final int MAX_EVENTS = 256;
    private static final int IO_BUFFER_SIZE = 64 * 1024;

    private final int epfd;
    private final int wakeFd;
    private final Memory events = new Memory((long) EVENT_SIZE * MAX_EVENTS);
    private final ByteBuffer eventView = events.getByteBuffer(0, events.size()).order(ByteOrder.nativeOrder());
    private final Memory ctlEvent = new Memory(16);
    /** Guarded by {@code this}: other threads write it to wake the loop, which must never happen after close. */
    private final Memory wakeBuffer = new Memory(8);
    private boolean closed;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final List<Registration> slots = new ArrayList<>();
    private final List<Integer> freeSlots = new ArrayList<>();
    private final Consumer<Throwable> errorHandler;
    private final LongSupplier nanoClock;
    private volatile Thread loopThread;
    private volatile boolean stopped;
    private long sequence;
    private ByteBuffer ioBuffer;

    /**
     * @param errorHandler receives what a handler, timer or task throws; must not throw itself.
     */
    public Reactor(Consumer<Throwable> errorHandler) {
        this(errorHandler, System::nanoTime);
    }

    /**
     * @param errorHandler receives what a handler, timer or task throws; must not throw itself.
     * @param nanoClock    the monotonic clock timers are measured against.
     */
    public Reactor(Consumer<Throwable> errorHandler, LongSupplier nanoClock) {
        this.errorHandler = errorHandler;
        this.nanoClock = nanoClock;
        this.epfd = LibC.epoll_create1(LibC.EPOLL_CLOEXEC);
        if (epfd < 0) {
            throw NativeException.last("epoll_create1", null);
        }
        int fd = LibC.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
        if (fd < 0) {
            Fds.close(epfd);
            throw NativeException.last("eventfd", null);
        }
        this.wakeFd = fd;
        register(wakeFd, Interest.READ, ignored -> drainWakeups());
    }

    /** A descriptor watched by the loop. */
    public final class Registration {
        private final int fd;
        private final int slot;
        private final int generation;
        private final Handler handler;
        private boolean cancelled;

        private Registration(int fd, int slot, int generation, Handler handler) {
            this.fd = fd;
            this.slot = slot;
            this.generation = generation;
            this.handler = handler;
        }

        /** The watched descriptor. */
        public int fd() {
            return fd;
        }

        /** Changes the events of interest; {@link Interest#NONE} pauses the registration without removing it. */
        public void modify(Interest interest) {
            if (!cancelled) {
                ctl(LibC.EPOLL_CTL_MOD, fd, interest.epollEvents(), token(slot, generation));
            }
        }

        /** Stops watching the descriptor (which the caller still owns and closes). Idempotent. */
        public void cancel() {
            if (cancelled) {
                return;
            }
            cancelled = true;
            ctl(LibC.EPOLL_CTL_DEL, fd, 0, 0);
            slots.set(slot, null);
            freeSlots.add(slot);
        }
    }

    /** A task due at a moment of the loop's clock. */
    public final class Timer implements Comparable<Timer> {
        private final long deadline;
        private final long sequence;
        private final Runnable task;
        private boolean cancelled;

        private Timer(long deadline, long sequence, Runnable task) {
            this.deadline = deadline;
            this.sequence = sequence;
            this.task = task;
        }

        /** Prevents the task from running; no effect once it ran. */
        public void cancel() {
            cancelled = true;
        }

        /** The loop-clock time (ns) it is due at. */
        public long deadline() {
            return deadline;
        }

        @Override
        public int compareTo(Timer other) {
            int c = Long.compare(deadline, other.deadline);
            return c != 0 ? c : Long.compare(sequence, other.sequence);
        }
    }

    /** Watches {@code fd} for {@code interest}, level-triggered. */
    public Registration register(int fd, Interest interest, Handler handler) {
        int slot;
        if (freeSlots.isEmpty()) {
            slot = slots.size();
            slots.add(null);
        } else {
            slot = freeSlots.remove(freeSlots.size() - 1);
        }
        int generation = (int) ++sequence;
        Registration registration = new Registration(fd, slot, generation, handler);
        slots.set(slot, registration);
        try {
            ctl(LibC.EPOLL_CTL_ADD, fd, interest.epollEvents(), token(slot, generation));
        } catch (NativeException e) {
            slots.set(slot, null);
            freeSlots.add(slot);
            throw e;
        }
        return registration;
    }

    /** Runs {@code task} on the loop thread once {@code delay} has passed. */
    public Timer schedule(long delay, TimeUnit unit, Runnable task) {
        Timer timer = new Timer(nanoClock.getAsLong() + unit.toNanos(delay), ++sequence, task);
        timers.add(timer);
        return timer;
    }

    /**
     * Runs {@code task} on the loop thread as soon as possible. Callable from any thread, including signal
     * handlers, even after {@link #close()} (the task is then dropped).
     */
    public void execute(Runnable task) {
        tasks.add(task);
        if (Thread.currentThread() != loopThread && wakePending.compareAndSet(false, true)) {
            wake();
        }
    }

    /** The loop's monotonic clock, in nanoseconds. */
    public long nanoTime() {
        return nanoClock.getAsLong();
    }

    /** Whether the caller runs on the loop thread. */
    public boolean inLoop() {
        return Thread.currentThread() == loopThread;
    }

    /** Makes {@link #run()} return after the current iteration. Callable from any thread. */
    public void stop() {
        stopped = true;
        if (Thread.currentThread() != loopThread) {
            wake();
        }
    }

    /** Runs the loop on the calling thread until {@link #stop()}. */
    public void run() {
        loopThread = Thread.currentThread();
        try {
            while (!stopped) {
                runTasks();
                runDueTimers();
                if (stopped) {
                    break;
                }
                // What the timers queued runs before the loop waits (and, say, handles an exit that ends it).
                runTasks();
                int n = LibC.epoll_wait(epfd, events, MAX_EVENTS, waitTimeoutMillis());
                if (n < 0) {
                    int errno = Native.getLastError();
                    if (errno == Errno.EINTR) {
                        continue;
                    }
                    throw new NativeException("epoll_wait", null, errno);
                }
                dispatch(n);
            }
        } finally {
            loopThread = null;
        }
    }

    private void dispatch(int n) {
        for (int i = 0; i < n; i++) {
            int base = i * EVENT_SIZE;
            int mask = eventView.getInt(base);
            long token = eventView.getLong(base + EVENT_DATA_OFFSET);
            int slot = (int) (token >>> 32);
            Registration registration = slot < slots.size() ? slots.get(slot) : null;
            if (registration == null || registration.generation != (int) token) {
                continue;
            }
            if (i > 0) {
                // A timer that came due while earlier handlers of this batch ran goes first: the kill at the end of a
                // grace must not wait behind the exits of workers killed just before it.
                runDueTimers();
                if (slots.get(slot) != registration) {
                    continue;
                }
            }
            try {
                registration.handler.onReady(Readiness.ofEpollEvents(mask));
            } catch (RuntimeException | Error e) {
                errorHandler.accept(e);
            }
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                errorHandler.accept(e);
            }
        }
    }

    private void runDueTimers() {
        long now = nanoClock.getAsLong();
        while (!timers.isEmpty()) {
            Timer head = timers.peek();
            if (head.cancelled) {
                timers.poll();
                continue;
            }
            if (head.deadline > now) {
                return;
            }
            timers.poll();
            try {
                head.task.run();
            } catch (RuntimeException | Error e) {
                errorHandler.accept(e);
            }
        }
    }

    private int waitTimeoutMillis() {
        if (!tasks.isEmpty()) {
            return 0;
        }
        while (!timers.isEmpty() && timers.peek().cancelled) {
            timers.poll();
        }
        if (timers.isEmpty()) {
            return -1;
        }
        long remaining = timers.peek().deadline - nanoClock.getAsLong();
        if (remaining <= 0) {
            return 0;
        }
        // Round up: waking a little late is fine, waking early would spin until the deadline.
        long millis = (remaining + 999_999) / 1_000_000;
        return (int) Math.min(millis, Integer.MAX_VALUE);
    }

    /**
     * A 64 KiB direct buffer for the reads and writes that classes of this package do on the loop thread
     * ({@link NonBlockingConnection}): the loop is single-threaded and no call keeps the buffer, so one serves
     * every descriptor, and no connection holds native memory of its own. Loop thread only.
     */
    ByteBuffer ioBuffer() {
        if (ioBuffer == null) {
            ioBuffer = ByteBuffer.allocateDirect(IO_BUFFER_SIZE);
        }
        return ioBuffer.clear();
    }

    private synchronized void wake() {
        // A signal handler may still run after the loop ended: a closed eventfd's number may already belong to
        // another file, and the buffer is freed.
        if (closed) {
            return;
        }
        wakeBuffer.setLong(0, 1);
        LibC.write(wakeFd, wakeBuffer, 8);
    }

    private synchronized void drainWakeups() {
        wakePending.set(false);
        LibC.read(wakeFd, wakeBuffer, 8);
    }

    private void ctl(int op, int fd, int interest, long token) {
        ctlEvent.clear();
        ctlEvent.setInt(0, interest);
        ctlEvent.setLong(EVENT_DATA_OFFSET, token);
        if (LibC.epoll_ctl(epfd, op, fd, ctlEvent) != 0) {
            throw NativeException.last("epoll_ctl", "fd " + fd);
        }
    }

    private static long token(int slot, int generation) {
        return ((long) slot << 32) | (generation & 0xFFFFFFFFL);
    }

    /** Closes epoll and the wakeup eventfd. Registered descriptors belong to their owners. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Fds.close(wakeFd);
        Fds.close(epfd);
        events.close();
        ctlEvent.close();
        wakeBuffer.close();
    }
}
