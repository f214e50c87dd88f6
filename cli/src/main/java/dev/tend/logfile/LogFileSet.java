package dev.tend.logfile;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The open log files, written by the output writer's thread (never the loop): appends lines, rotates a file
 * when the next line would take it past its size, and gives up on a file that cannot be written.
 *
 * <p>Rotation renames {@code web.log} to {@code web.log.1} (and each {@code .N} to {@code .N+1}, the last one
 * dropped). Before rotating it looks at the file on disk: if it is no longer the file tend has open (moved or
 * deleted by logrotate) tend opens a new one, and if it is smaller than tend counted (emptied by logrotate's
 * {@code copytruncate}) tend goes on counting from its real size. Files are opened for appending, so writes
 * after a truncation land at its new end.
 *
 * <p>A file that cannot be opened or written is reported once, through {@code report}, and the lines meant
 * for it go to {@code spill} (tend's stdout) until {@link #reopen()}: those of the failed write and those
 * still in the file's buffer too, so that no line is lost (one may be printed on stdout after part of it
 * reached the file).
 */
public final class LogFileSet implements AutoCloseable {
    // Small: a thousand workers with a file each would hold a thousand buffers.
    private static final int BUFFER = 16 << 10;
    /**
     * The most files open at once; the one written least recently is closed beyond it (and opened again at its
     * next line), so that files of workers long gone (lazy ones, one file each) do not hold descriptors.
     */
    static final int MOST_OPEN = 256;

    // In access order: the eldest is the file written least recently.
    private final LinkedHashMap<Path, Open> open = new LinkedHashMap<>(16, 0.75f, true);
    private final Set<Path> failed = new HashSet<>();
    private final Consumer<String> report;
    private final Consumer<byte[]> spill;

    /** An open file and the lines not yet written to it, whole lines only. */
    private static final class Open {
        final FileOutputStream out;
        final Object identity;
        final byte[] buffer = new byte[BUFFER];
        int buffered;
        /** The file's size with what is buffered. */
        long size;

        Open(FileOutputStream out, Object identity, long size) {
            this.out = out;
            this.identity = identity;
            this.size = size;
        }

        void flush() throws IOException {
            if (buffered > 0) {
                out.write(buffer, 0, buffered);
                buffered = 0;
            }
        }

        /** What was meant for the file and is not known to be in it. */
        byte[] unwritten() {
            byte[] rest = Arrays.copyOf(buffer, buffered);
            buffered = 0;
            return rest;
        }
    }

    /**
     * @param report receives one sentence per file that fails.
     * @param spill  receives the lines a failed file could not take.
     */
    public LogFileSet(Consumer<String> report, Consumer<byte[]> spill) {
        this.report = report;
        this.spill = spill;
    }

    /** Appends a line ({@link LogFileLine#format}) to its file, or spills it if the file failed (reported once). */
    public void write(LogTarget target, byte[] bytes) {
        Path path = target.path();
        if (failed.contains(path)) {
            spill.accept(bytes);
            return;
        }
        Open file = open.get(path);
        try {
            if (file == null) {
                file = open(path, false);
            }
            if (target.maxSize() > 0 && file.size > 0 && file.size + bytes.length > target.maxSize()) {
                file = rotate(target, file, bytes.length);
            }
            if (file.buffered + bytes.length > BUFFER) {
                file.flush();
            }
            if (bytes.length > BUFFER) {
                file.out.write(bytes);
            } else {
                System.arraycopy(bytes, 0, file.buffer, file.buffered, bytes.length);
                file.buffered += bytes.length;
            }
            file.size += bytes.length;
        } catch (IOException e) {
            fail(path, e);
            spill.accept(bytes);
        }
    }

    /** Writes out what the files' buffers hold (the writer's queue is empty). */
    public void flush() {
        for (Map.Entry<Path, Open> e : new ArrayList<>(open.entrySet())) {
            try {
                e.getValue().flush();
            } catch (IOException x) {
                fail(e.getKey(), x);
            }
        }
    }

    /** Closes every file, to be opened again at its next line; files that failed are tried again. */
    public void reopen() {
        closeAll();
        failed.clear();
    }

    @Override
    public void close() {
        closeAll();
    }

    private void closeAll() {
        for (Map.Entry<Path, Open> e : new ArrayList<>(open.entrySet())) {
            close(e.getKey(), e.getValue());
        }
        open.clear();
    }

    private void close(Path path, Open file) {
        try {
            file.flush();
            open.remove(path);
            file.out.close();
        } catch (IOException e) {
            fail(path, e);
        }
    }

    private Open open(Path path, boolean truncate) throws IOException {
        Path parent = path.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            Files.createDirectories(parent);
        }
        FileOutputStream stream = new FileOutputStream(path.toFile(), !truncate);
        Open file;
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            file = new Open(stream, attributes.fileKey(), stream.getChannel().size());
        } catch (IOException e) {
            stream.close();
            throw e;
        }
        if (open.size() >= MOST_OPEN) {
            Map.Entry<Path, Open> eldest = open.entrySet().iterator().next();
            close(eldest.getKey(), eldest.getValue());
        }
        open.put(path, file);
        return file;
    }

    private Open rotate(LogTarget target, Open file, int incoming) throws IOException {
        Path path = target.path();
        file.flush();
        BasicFileAttributes now = attributesOrNull(path);
        if (now == null || !Objects.equals(now.fileKey(), file.identity)) {
            // Moved or deleted behind tend's back: a new file, whatever the old one's size.
            open.remove(path);
            file.out.close();
            return open(path, false);
        }
        file.size = now.size();
        if (file.size == 0 || file.size + incoming <= target.maxSize()) {
            return file;
        }
        open.remove(path);
        file.out.close();
        if (target.keep() == 0) {
            return open(path, true);
        }
        Files.deleteIfExists(numbered(path, target.keep()));
        for (int n = target.keep() - 1; n >= 1; n--) {
            Path from = numbered(path, n);
            if (Files.exists(from)) {
                Files.move(from, numbered(path, n + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(path, numbered(path, 1), StandardCopyOption.REPLACE_EXISTING);
        return open(path, false);
    }

    /** {@code web.log.N}. */
    public static Path numbered(Path path, int n) {
        return path.resolveSibling(path.getFileName() + "." + n);
    }

    private static BasicFileAttributes attributesOrNull(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private void fail(Path path, IOException e) {
        Open file = open.remove(path);
        if (file != null) {
            byte[] rest = file.unwritten();
            if (rest.length > 0) {
                spill.accept(rest);
            }
            try {
                file.out.close();
            } catch (IOException ignored) {
                // The file failed already; that is what is reported.
            }
        }
        if (failed.add(path)) {
            report.accept("cannot write log file " + path + ": " + reason(e) + "; its lines go to tend's stdout until"
                    + " `tend reload` (or SIGHUP) opens it again");
        }
    }

    /** What went wrong, without the path the message already gives. */
    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof FileAlreadyExistsException f) {
            // From creating the file's directories: something on the way is a file.
            return f.getFile() + " is not a directory";
        }
        if (e instanceof FileSystemException f) {
            return f.getReason() != null ? f.getReason() : e.getClass().getSimpleName();
        }
        String message = e.getMessage();
        if (message == null) {
            return e.getClass().getSimpleName();
        }
        // FileOutputStream says "PATH (Permission denied)".
        int open = message.lastIndexOf(" (");
        return open >= 0 && message.endsWith(")") ? message.substring(open + 2, message.length() - 1) : message;
    }
}
