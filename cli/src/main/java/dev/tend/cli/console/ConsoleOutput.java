package dev.tend.cli.console;

import dev.tend.engine.LogLine;
import dev.tend.engine.OutputSink;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes output lines to tend's stdout from a thread of its own, so that a slow terminal or a full pipe
 * never blocks the event loop. Each line is written whole, prefixed with its source ({@code queue.2 | …}),
 * so lines of different workers never mix.
 *
 * <p>The queue is bounded in bytes: above {@link #HIGH_WATER} it reports {@link #congested()} and the
 * engine stops reading workers' pipes; below {@link #LOW_WATER} the drained callbacks run and reading
 * resumes. Nothing is dropped.
 */
public final class ConsoleOutput implements OutputSink, AutoCloseable {
    // Small: what waits here outlives a young collection and would be promoted, and the old generation of
    // the daemon's heap grows by what is promoted (a 400 MB flood grew it by 450 MiB with a 1 MiB queue).
    static final long HIGH_WATER = 256 << 10;
    static final long LOW_WATER = 64 << 10;
    // One write(2) for many lines while a flood lasts; flushed whenever the queue is empty.
    private static final int WRITE_BUFFER = 64 << 10;
    private static final byte[] END = new byte[0];

    private final LinePrinter printer;
    private final OutputStream out;
    private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final List<Runnable> drainedCallbacks = new ArrayList<>();
    private final Thread writer;

    /** Writes to the process's stdout. */
    public ConsoleOutput(LinePrinter printer) {
        this(printer, new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), WRITE_BUFFER));
    }

    ConsoleOutput(LinePrinter printer, OutputStream out) {
        this.printer = printer;
        this.out = out;
        this.writer = new Thread(this::writeLoop, "tend-output");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void accept(LogLine line) {
        printer.widen(line.source().length());
        byte[] bytes = printer.format(line);
        queuedBytes.addAndGet(bytes.length);
        queue.add(bytes);
    }

    @Override
    public boolean congested() {
        return queuedBytes.get() > HIGH_WATER;
    }

    @Override
    public void whenDrained(Runnable resume) {
        boolean now;
        synchronized (drainedCallbacks) {
            now = queuedBytes.get() <= LOW_WATER;
            if (!now) {
                drainedCallbacks.add(resume);
            }
        }
        if (now) {
            resume.run();
        }
    }

    private void writeLoop() {
        try {
            while (true) {
                byte[] bytes = queue.take();
                if (bytes == END) {
                    out.flush();
                    return;
                }
                write(bytes);
                if (queue.isEmpty()) {
                    out.flush();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // stdout is gone (closed pipe): keep consuming so the engine is never held back.
            discardForever();
        }
    }

    private void write(byte[] bytes) throws IOException {
        out.write(bytes);
        consumed(bytes);
    }

    private void consumed(byte[] bytes) {
        if (queuedBytes.addAndGet(-bytes.length) > LOW_WATER) {
            return;
        }
        List<Runnable> ready;
        synchronized (drainedCallbacks) {
            ready = new ArrayList<>(drainedCallbacks);
            drainedCallbacks.clear();
        }
        ready.forEach(Runnable::run);
    }

    private void discardForever() {
        try {
            while (true) {
                byte[] bytes = queue.take();
                if (bytes == END) {
                    return;
                }
                consumed(bytes);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes everything queued, then stops the writer thread. */
    @Override
    public void close() {
        queue.add(END);
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
