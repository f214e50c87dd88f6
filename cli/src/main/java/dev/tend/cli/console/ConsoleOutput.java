package dev.tend.cli.console;

import dev.tend.config.Config;
import dev.tend.engine.LogLine;
import dev.tend.engine.OutputSink;
import dev.tend.logfile.LinePrinter;
import dev.tend.logfile.LogFileLine;
import dev.tend.logfile.LogFileSet;
import dev.tend.logfile.LogRouting;
import dev.tend.logfile.LogTarget;
import dev.tend.logfile.LogTime;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes output lines to tend's stdout, or to the workers' log files, from a thread of its own, so that a
 * slow terminal, a full pipe or a slow disk never blocks the event loop. Each line is written whole,
 * prefixed with its source ({@code queue.2 | …}), so lines of different workers never mix. Which file a
 * line goes to is decided, and the line formatted, on the loop ({@link LogRouting}); opening, writing and
 * rotating files is done here ({@link LogFileSet}), and a line whose file cannot be written is printed on
 * stdout instead.
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
    private static final byte[] NEWLINE = {'\n'};
    private static final Entry END = new Entry(new byte[0], null, false);
    private static final Entry REOPEN = new Entry(new byte[0], null, false);

    private final LinePrinter printer;
    private final OutputStream out;
    private final LinkedBlockingQueue<Entry> queue = new LinkedBlockingQueue<>();
    private final LogRouting routing = new LogRouting();
    private final LogFileSet files;
    /** Time stamps of file lines: lines are formatted on the loop, so that the writer only writes. */
    private final LogTime fileTime = new LogTime();
    private boolean stdoutGone;
    /** Whether the last byte written to stdout ended a line (writer thread). */
    private boolean atLineStart = true;
    private boolean internalErrorReported;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final List<Runnable> drainedCallbacks = new ArrayList<>();
    private final Thread writer;

    /** Writes to the process's stdout. */
    public ConsoleOutput(LinePrinter printer) {
        this(printer, new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), WRITE_BUFFER));
    }

    /** A formatted line and the file it goes to (none: stdout), or bytes passed through as they are. */
    private record Entry(byte[] bytes, LogTarget target, boolean raw) {}

    ConsoleOutput(LinePrinter printer, OutputStream out) {
        this.printer = printer;
        this.out = out;
        this.files = new LogFileSet(this::reportFromWriter, this::printLine);
        this.writer = new Thread(this::writeLoop, "tend-output");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void accept(LogLine line) {
        LogTarget target = routing.target(line).orElse(null);
        byte[] bytes;
        if (target == null) {
            printer.widen(line.source().length());
            bytes = printer.format(line);
        } else {
            bytes = LogFileLine.format(line, fileTime);
        }
        queuedBytes.addAndGet(bytes.length);
        queue.add(new Entry(bytes, target, false));
    }

    @Override
    public boolean passesThrough() {
        return true;
    }

    @Override
    public void passThrough(byte[] bytes) {
        queuedBytes.addAndGet(bytes.length);
        queue.add(new Entry(bytes, null, true));
    }

    @Override
    public void configure(Config config) {
        routing.configure(config);
    }

    @Override
    public void reopen() {
        queue.add(REOPEN);
    }

    @Override
    public Optional<Path> file(String source, LogLine.Channel channel) {
        return routing.target(source, channel).map(LogTarget::path);
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
                Entry entry = queue.take();
                if (entry == END) {
                    files.close();
                    flushStdout();
                    return;
                }
                if (entry == REOPEN) {
                    files.reopen();
                    continue;
                }
                if (entry.raw()) {
                    print(entry.bytes());
                } else if (entry.target() == null) {
                    printLine(entry.bytes());
                } else {
                    writeToFile(entry);
                }
                consumed(entry.bytes().length);
                if (queue.isEmpty()) {
                    files.flush();
                    flushStdout();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A line whose file failed is printed as it is, in the file's format: time, worker and stream. */
    private void writeToFile(Entry entry) {
        try {
            files.write(entry.target(), entry.bytes());
        } catch (RuntimeException e) {
            // This thread must go on draining the queue whatever happens, or the engine would stop reading output.
            printLine(entry.bytes());
            if (!internalErrorReported) {
                internalErrorReported = true;
                reportFromWriter("internal error while writing log file " + entry.target().path() + " (" + e
                        + "); its lines go to tend's stdout");
            }
        }
    }

    /** A formatted line, on a line of its own even after bytes passed through without a final newline. */
    private void printLine(byte[] bytes) {
        if (!atLineStart) {
            print(NEWLINE);
        }
        print(bytes);
    }

    private void print(byte[] bytes) {
        if (stdoutGone || bytes.length == 0) {
            return;
        }
        atLineStart = bytes[bytes.length - 1] == '\n';
        try {
            out.write(bytes);
        } catch (IOException e) {
            // stdout is gone (closed pipe): lines for it are dropped, the engine is never held back.
            stdoutGone = true;
        }
    }

    private void flushStdout() {
        if (stdoutGone) {
            return;
        }
        try {
            out.flush();
        } catch (IOException e) {
            stdoutGone = true;
        }
    }

    /** A log file failed: said on stdout, where its lines now go, as one of tend's errors. */
    private void reportFromWriter(String text) {
        printLine(printer.format(LogLine.ofText(0, System.currentTimeMillis(), "tend", LogLine.Channel.ERROR, text)));
        flushStdout();
    }

    private void consumed(long bytes) {
        if (queuedBytes.addAndGet(-bytes) > LOW_WATER) {
            return;
        }
        List<Runnable> ready;
        synchronized (drainedCallbacks) {
            ready = new ArrayList<>(drainedCallbacks);
            drainedCallbacks.clear();
        }
        ready.forEach(Runnable::run);
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
