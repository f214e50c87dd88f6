package dev.tend.instance;

import dev.tend.os.Reactor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A small file of the runtime directory that the launcher (a shell script) reads in place of asking the daemon:
 * rewritten whole (renamed over the old one, {@link PrivateFiles#replace}) after the loop has handled a batch of
 * changes, at most every {@link #MIN_INTERVAL_MS} ms, so that a reader lags the daemon by at most that and a burst
 * of changes costs one write; and only when its text changed.
 */
final class ThrottledFile {
    static final long MIN_INTERVAL_MS = 100;

    private final Path file;
    private final Reactor reactor;
    private final Supplier<String> text;
    private final Consumer<IOException> failed;
    private String written = "";
    private long lastWriteNanos;
    private boolean writePending;
    private boolean failureReported;

    /**
     * @param text   the file's whole text now, built on the loop thread.
     * @param failed told of the first failure to write only: a full or read-only disk would repeat it forever.
     */
    ThrottledFile(Path file, Reactor reactor, Supplier<String> text, Consumer<IOException> failed) {
        this.file = file;
        this.reactor = reactor;
        this.text = text;
        this.failed = failed;
        this.lastWriteNanos = reactor.nanoTime() - TimeUnit.MILLISECONDS.toNanos(MIN_INTERVAL_MS);
    }

    /** Something the text is made of changed: write it soon. */
    void changed() {
        if (writePending) {
            return;
        }
        writePending = true;
        long wait = lastWriteNanos + TimeUnit.MILLISECONDS.toNanos(MIN_INTERVAL_MS) - reactor.nanoTime();
        if (wait <= 0) {
            reactor.execute(this::write);
        } else {
            reactor.schedule(wait, TimeUnit.NANOSECONDS, this::write);
        }
    }

    /** Writes the file now if its text changed. */
    void write() {
        writePending = false;
        lastWriteNanos = reactor.nanoTime();
        String now = text.get();
        if (now.equals(written)) {
            return;
        }
        try {
            PrivateFiles.replace(file, now);
            written = now;
        } catch (IOException e) {
            if (!failureReported) {
                failureReported = true;
                failed.accept(e);
            }
        }
    }

    /** Removes the file: tend is ending, and nothing is left to say. */
    void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a reader checks the pid in the file anyway
        }
    }
}
