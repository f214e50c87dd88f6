package dev.tend.logfile;

import dev.tend.engine.LogLine;
import dev.tend.protocol.LogFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
    /** How much of a file is read at a time, from its end. */
    private static final int BLOCK = 64 << 10;

    private final Predicate<String> wanted;
    private final long since;
    private final int limit;
    private final Consumer<String> warning;
    private final long maxBytes;
    /** Bytes of the files read so far. */
    private long bytesRead;
    private final List<LogLine> memory = new ArrayList<>();
    private final Map<String, Path> routes = new HashMap<>();
    /** Per file, per worker: the span of its lines in the file and its rotated copies. */
    private final Map<Path, Map<String, Span>> spans = new HashMap<>();

    /** A worker's first and last millisecond in a file, its lines at the last, and how many tend sent at it. */
    private static final class Span {
        long first;
        final long last;
        int atLast = 1;
        /** Whether the lines met so far (newest first) are all at {@link #last}. */
        boolean counting = true;
        int sentAtLast;

        Span(long last) {
            this.first = last;
            this.last = last;
        }
    }

    /** Thrown by {@link #read} when the history needs more of the files than the most it may read. */
    public static final class TooLong extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLong(long maxBytes) {
            super("the history needs more than " + maxBytes + " bytes of log files");
        }
    }

    /**
     * @param wanted  whether a file's line belongs to the targets, by its worker.
     * @param since   the oldest time printed, epoch milliseconds ({@link Long#MIN_VALUE}: any).
     * @param limit   the most lines printed.
     * @param warning receives a sentence about a file that cannot be read.
     */
    public LogHistory(Predicate<String> wanted, long since, int limit, Consumer<String> warning) {
        this(wanted, since, limit, warning, Long.MAX_VALUE);
    }

    /**
     * As above; {@code maxBytes}: the most {@link #read} reads of the files, beyond which it throws
     * {@link TooLong} (tend answering the launcher, on its event loop, reads no more than that).
     */
    public LogHistory(Predicate<String> wanted, long since, int limit, Consumer<String> warning, long maxBytes) {
        this.wanted = wanted;
        this.since = since;
        this.limit = limit;
        this.warning = warning;
        this.maxBytes = maxBytes;
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
     * does not change what is read. They are read from their ends backwards, and only as far back as the
     * history needs (tend writes a file's lines in the order of their times).
     */
    private Deque<LogLine> readChain(Path path) {
        Deque<LogLine> kept = new ArrayDeque<>();
        Map<String, Span> inFile = new HashMap<>();
        List<FileChannel> chain = new ArrayList<>();
        Path file = path;
        try {
            Set<Object> seen = new HashSet<>();
            for (int n = 0; n == 0 || Files.exists(file); file = LogFileSet.numbered(path, ++n)) {
                FileChannel in;
                try {
                    in = FileChannel.open(file, StandardOpenOption.READ);
                } catch (NoSuchFileException e) {
                    // The current file, not written yet (or just moved): its lines are in memory, or in .1.
                    continue;
                }
                chain.add(in);
                Object identity = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
                if (identity != null && !seen.add(identity)) {
                    chain.remove(chain.size() - 1).close();
                }
            }
            Backwards reader = new Backwards(kept, inFile);
            for (FileChannel in : chain) {
                if (!reader.read(in)) {
                    break;
                }
            }
        } catch (IOException e) {
            warning.accept("cannot read " + file + " (" + LogFileSet.reason(e) + "): its lines come from what tend"
                    + " keeps in memory");
            return new ArrayDeque<>();
        } finally {
            for (FileChannel in : chain) {
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

    /**
     * Reads the lines of a chain of files from the newest backwards, keeping the wanted ones and the spans, and
     * stops once older lines can change nothing: {@code limit} lines are kept and the line met is older than the
     * oldest of them, or the line met is older than {@code since}. A line read up to there that tend also sent
     * from memory is dropped from memory's by its span; one of memory's that is older is older than every line
     * kept, so the limit leaves it out, as it would if every line had been read.
     */
    private final class Backwards {
        private final Deque<LogLine> kept;
        private final Map<String, Span> inFile;
        private final LogTime.Reader time = new LogTime.Reader();
        private boolean done;

        Backwards(Deque<LogLine> kept, Map<String, Span> inFile) {
            this.kept = kept;
            this.inFile = inFile;
            done = limit == 0;
        }

        /** Reads one file from its end; false once no older line is needed. */
        boolean read(FileChannel in) throws IOException {
            long position = in.size();
            // The start of the part not yet cut into lines (it has no newline); a line longer than a block grows it.
            byte[] carry = new byte[0];
            // Whether the file's last newline was met: what follows it is a line being written (tend sends it too).
            boolean ended = false;
            while (position > 0 && !done) {
                int n = (int) Math.min(BLOCK, position);
                position -= n;
                count(n);
                byte[] block = new byte[n + carry.length];
                ByteBuffer into = ByteBuffer.wrap(block, 0, n);
                while (into.hasRemaining()) {
                    if (in.read(into, position + into.position()) < 0) {
                        // Emptied under us (log_keep = 0): what it had is gone.
                        return !done;
                    }
                }
                System.arraycopy(carry, 0, block, n, carry.length);
                int end = block.length;
                for (int i = n - 1; i >= 0 && !done; i--) {
                    if (block[i] == '\n') {
                        if (ended) {
                            take(block, i + 1, end);
                        }
                        ended = true;
                        end = i;
                    }
                }
                carry = Arrays.copyOf(block, end);
            }
            if (ended && !done) {
                take(carry, 0, carry.length);
            }
            return !done;
        }

        private void take(byte[] bytes, int from, int to) {
            LogFileLine.parse(bytes, from, to, time).ifPresent(this::keep);
        }

        private void keep(LogLine l) {
            long t = l.epochMillis();
            if (t < since || (kept.size() >= limit && t < kept.peekFirst().epochMillis())) {
                done = true;
                return;
            }
            Span span = inFile.get(l.source());
            if (span == null) {
                inFile.put(l.source(), new Span(t));
            } else {
                // Met newest first: the last millisecond's lines are the first ones met, up to another time.
                if (span.counting && t == span.last) {
                    span.atLast++;
                } else {
                    span.counting = false;
                }
                span.first = t;
            }
            if (kept.size() < limit && wanted.test(l.source())) {
                kept.addFirst(l);
            }
        }
    }

    private void count(int bytes) {
        bytesRead += bytes;
        if (bytesRead > maxBytes) {
            throw new TooLong(maxBytes);
        }
    }
}
