package dev.tend.worker;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Tells a Java worker that its standard input reached end of file: tend's request to stop. tend never writes
 * to a worker's stdin; it closes it when the worker should shut down.
 *
 * <p>The first call starts one daemon thread that reads and discards {@link System#in} until end of file
 * (or a read error, which means the same: nobody can ask anything any more). So a worker that uses this
 * class must not read stdin itself.
 *
 * <pre>{@code
 * Stdin.onEof(server::shutdown);
 * }</pre>
 */
public final class Stdin {
    private static final CountDownLatch EOF = new CountDownLatch(1);
    private static final List<Runnable> CALLBACKS = new ArrayList<>();
    private static boolean started;

    private Stdin() {}

    /**
     * Runs {@code callback} once stdin reaches end of file, on the watcher thread; at once, on the calling
     * thread, if it already has. Callbacks run in registration order; an exception in one does not stop the
     * others.
     */
    public static void onEof(Runnable callback) {
        synchronized (CALLBACKS) {
            if (EOF.getCount() > 0) {
                CALLBACKS.add(callback);
                startWatcher();
                return;
            }
        }
        callback.run();
    }

    /**
     * Waits up to {@code timeout} for end of file.
     *
     * @return whether stdin reached end of file.
     * @throws InterruptedException if the waiting thread is interrupted.
     */
    public static boolean awaitEof(Duration timeout) throws InterruptedException {
        synchronized (CALLBACKS) {
            startWatcher();
        }
        return EOF.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Whether stdin has reached end of file; starts watching if nobody did yet. */
    public static boolean isEof() {
        synchronized (CALLBACKS) {
            startWatcher();
        }
        return EOF.getCount() == 0;
    }

    private static void startWatcher() {
        if (!started) {
            started = true;
            Thread watcher = new Thread(Stdin::drain, "tend-stdin-eof");
            watcher.setDaemon(true);
            watcher.start();
        }
    }

    private static void drain() {
        InputStream in = System.in;
        byte[] discard = new byte[4096];
        try {
            while (in.read(discard) >= 0) {
                // Input carries no meaning in tend's worker protocol; only its end does.
            }
        } catch (IOException e) {
            // A stdin that cannot be read can no longer deliver a stop request either: treat it as closed.
        }
        List<Runnable> callbacks;
        synchronized (CALLBACKS) {
            EOF.countDown();
            callbacks = new ArrayList<>(CALLBACKS);
            CALLBACKS.clear();
        }
        for (Runnable callback : callbacks) {
            try {
                callback.run();
            } catch (RuntimeException e) {
                Thread t = Thread.currentThread();
                t.getUncaughtExceptionHandler().uncaughtException(t, e);
            }
        }
    }
}
