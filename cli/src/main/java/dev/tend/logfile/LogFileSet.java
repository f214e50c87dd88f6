package dev.tend.logfile;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
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
 * <p>A file that cannot be opened or written is reported once, through {@code report}, and its lines are
 * refused ({@link #write} returns false: the caller prints them on stdout) until {@link #reopen()}.
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

    private static final class Open {
        final OutputStream out;
        final Object identity;
        long size;

        Open(OutputStream out, Object identity, long size) {
            this.out = out;
            this.identity = identity;
            this.size = size;
        }
    }

    /** {@code report} receives one sentence per file that fails. */
    public LogFileSet(Consumer<String> report) {
        this.report = report;
    }

    /** Appends a line ({@link LogFileLine#format}) to its file; false if the file cannot take it (reported once). */
    public boolean write(LogTarget target, byte[] bytes) {
        Path path = target.path();
        if (failed.contains(path)) {
            return false;
        }
        try {
            Open file = open.get(path);
            if (file == null) {
                file = open(path, false);
            }
            if (target.maxSize() > 0 && file.size > 0 && file.size + bytes.length > target.maxSize()) {
                file = rotate(target, file, bytes.length);
            }
            file.out.write(bytes);
            file.size += bytes.length;
            return true;
        } catch (IOException e) {
            fail(path, e);
            return false;
        }
    }

    /** Writes out what the files' buffers hold (the writer's queue is empty). */
    public void flush() {
        for (Map.Entry<Path, Open> e : Map.copyOf(open).entrySet()) {
            try {
                e.getValue().out.flush();
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
        for (Map.Entry<Path, Open> e : Map.copyOf(open).entrySet()) {
            try {
                e.getValue().out.close();
            } catch (IOException x) {
                fail(e.getKey(), x);
            }
        }
        open.clear();
    }

    private Open open(Path path, boolean truncate) throws IOException {
        Path parent = path.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            Files.createDirectories(parent);
        }
        FileOutputStream stream = new FileOutputStream(path.toFile(), !truncate);
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        Open file = new Open(new BufferedOutputStream(stream, BUFFER), attributes.fileKey(), stream.getChannel().size());
        if (open.size() >= MOST_OPEN) {
            Map.Entry<Path, Open> eldest = open.entrySet().iterator().next();
            open.remove(eldest.getKey());
            try {
                eldest.getValue().out.close();
            } catch (IOException e) {
                fail(eldest.getKey(), e);
            }
        }
        open.put(path, file);
        return file;
    }

    private Open rotate(LogTarget target, Open file, int incoming) throws IOException {
        Path path = target.path();
        file.out.flush();
        BasicFileAttributes now = attributesOrNull(path);
        if (now == null || !Objects.equals(now.fileKey(), file.identity)) {
            // Moved or deleted behind tend's back: a new file, whatever the old one's size.
            file.out.close();
            open.remove(path);
            return open(path, false);
        }
        file.size = now.size();
        if (file.size == 0 || file.size + incoming <= target.maxSize()) {
            return file;
        }
        file.out.close();
        open.remove(path);
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
            try {
                file.out.close();
            } catch (IOException ignored) {
                // Already reported: the file failed.
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
