package dev.tend.logfile;

import dev.tend.engine.LogLine;
import dev.tend.protocol.LogFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The history {@code tend logs} prints, read by the client: the lines of the targets' log files (rotated ones
 * included), merged with the lines tend keeps in memory, by time.
 *
 * <p>tend sends the lines it keeps in memory, then the files' names, then (with {@code -f}) each new line.
 * A line of a worker with a file is in memory and, once the output writer got to it, in the file too. The
 * writer writes lines in order, so a line from tend is one already read from the file when its time lies
 * between the worker's first and last line in the files, or at that last millisecond and among as many lines
 * as the files have there. So nothing is printed twice, the lines the writer had not yet written when the
 * file was read still come from memory, and so do lines whose files were rotated away.
 */
public final class LogHistory {
    private final Predicate<String> wanted;
    private final long since;
    private final int limit;
    private final Consumer<String> warning;
    private final List<LogLine> memory = new ArrayList<>();
    private final Map<String, Path> routes = new HashMap<>();
    /** Per file, per worker: the span of its lines in the file and its rotated copies. */
    private final Map<Path, Map<String, Span>> spans = new HashMap<>();

    /** A worker's first and last millisecond in a file, its lines at the last, and how many tend sent at it. */
    private static final class Span {
        final long first;
        long last;
        int atLast;
        int sentAtLast;

        Span(long first) {
            this.first = first;
            this.last = first;
        }
    }

    /**
     * @param wanted  whether a file's line belongs to the targets, by its worker.
     * @param since   the oldest time printed, epoch milliseconds ({@link Long#MIN_VALUE}: any).
     * @param limit   the most lines printed.
     * @param warning receives a sentence about a file that cannot be read.
     */
    public LogHistory(Predicate<String> wanted, long since, int limit, Consumer<String> warning) {
        this.wanted = wanted;
        this.since = since;
        this.limit = limit;
        this.warning = warning;
    }

    /** One of the recent lines tend keeps in memory, sent before the files' names. */
    public void fromMemory(LogLine line) {
        memory.add(line);
    }

    /** Reads the files and returns the history to print, oldest first. */
    public List<LogLine> read(LogFiles files) {
        Set<Path> paths = new LinkedHashSet<>();
        for (LogFiles.Route r : files.routes()) {
            Path path = Path.of(r.path());
            routes.put(key(r.source(), r.channel()), path);
            paths.add(path);
        }
        List<LogLine> lines = new ArrayList<>();
        for (Path path : paths) {
            lines.addAll(readChain(path));
        }
        for (LogLine line : memory) {
            if (admit(line)) {
                lines.add(line);
            }
        }
        memory.clear();
        // Stable: lines of one file, and tend's lines, keep their order within a millisecond.
        lines.sort(Comparator.comparingLong(LogLine::epochMillis));
        List<LogLine> out = new ArrayList<>();
        for (LogLine line : lines) {
            if (line.epochMillis() >= since) {
                out.add(line);
            }
        }
        return out.size() <= limit ? out : new ArrayList<>(out.subList(out.size() - limit, out.size()));
    }

    /** Whether a line sent by tend is new: not one already read from its file. */
    public boolean admit(LogLine line) {
        Path path = routes.get(key(line.source(), LogFileLine.stream(line.channel())));
        Map<String, Span> inFile = path == null ? null : spans.get(path);
        Span span = inFile == null ? null : inFile.get(line.source());
        long t = line.epochMillis();
        if (span == null || t > span.last || t < span.first) {
            return true;
        }
        if (t < span.last) {
            return false;
        }
        return ++span.sentAtLast > span.atLast;
    }

    private static String key(String source, String channel) {
        return source + '\0' + channel;
    }

    /**
     * The wanted lines of a file and its rotated copies, oldest first: at most {@code limit} of them. The files
     * are opened newest first, in the order tend's rotation moves them, and a file met twice (moved by a
     * rotation while they were being opened) is read once: so no file is missed, and once open, a rotation
     * does not change what is read.
     */
    private Deque<LogLine> readChain(Path path) {
        Deque<LogLine> kept = new ArrayDeque<>();
        Map<String, Span> inFile = new HashMap<>();
        List<InputStream> chain = new ArrayList<>();
        Path file = path;
        try {
            Set<Object> seen = new HashSet<>();
            for (int n = 0; n == 0 || Files.exists(file); file = LogFileSet.numbered(path, ++n)) {
                InputStream in;
                try {
                    in = Files.newInputStream(file);
                } catch (NoSuchFileException e) {
                    // The current file, not written yet (or just moved): its lines are in memory, or in .1.
                    continue;
                }
                chain.add(0, in);
                Object identity = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
                if (identity != null && !seen.add(identity)) {
                    chain.remove(0).close();
                }
            }
            for (InputStream in : chain) {
                readLines(in, kept, inFile);
            }
        } catch (IOException e) {
            warning.accept("cannot read " + file + " (" + LogFileSet.reason(e) + "): its lines come from what tend"
                    + " keeps in memory");
            return new ArrayDeque<>();
        } finally {
            for (InputStream in : chain) {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // Read already, or reported above.
                }
            }
        }
        spans.put(path, inFile);
        return kept;
    }

    private void readLines(InputStream in, Deque<LogLine> kept, Map<String, Span> inFile) throws IOException {
        LogTime.Reader time = new LogTime.Reader();
        byte[] buffer = new byte[64 << 10];
        int filled = 0;
        int n;
        while ((n = in.read(buffer, filled, buffer.length - filled)) >= 0) {
            filled += n;
            int start = 0;
            for (int i = 0; i < filled; i++) {
                if (buffer[i] == '\n') {
                    LogFileLine.parse(buffer, start, i, time).ifPresent(l -> keep(l, kept, inFile));
                    start = i + 1;
                }
            }
            System.arraycopy(buffer, start, buffer, 0, filled - start);
            filled -= start;
            if (filled == buffer.length) {
                buffer = Arrays.copyOf(buffer, 2 * buffer.length);
            }
        }
        // A last line without its newline is being written: tend sends it too, from memory.
    }

    private void keep(LogLine l, Deque<LogLine> kept, Map<String, Span> inFile) {
        Span span = inFile.computeIfAbsent(l.source(), s -> new Span(l.epochMillis()));
        if (l.epochMillis() != span.last) {
            span.last = l.epochMillis();
            span.atLast = 0;
        }
        span.atLast++;
        if (wanted.test(l.source()) && l.epochMillis() >= since) {
            kept.addLast(l);
            if (kept.size() > limit) {
                kept.removeFirst();
            }
        }
    }
}
