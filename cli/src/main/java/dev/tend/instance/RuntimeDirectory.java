package dev.tend.instance;

import dev.tend.os.LibC;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

/**
 * Where an instance keeps its files: the control socket, the state file, the lock, the record of its
 * workers. One directory per instance, mode 0700, so no other user can reach anything in it:
 * <ul>
 *   <li>{@code $XDG_RUNTIME_DIR/tend/<instance>/} when {@code XDG_RUNTIME_DIR} is set (a per-user tmpfs
 *       under systemd);</li>
 *   <li>{@code /run/tend/<instance>/} for root;</li>
 *   <li>otherwise {@code <java.io.tmpdir>/tend-<uid>/<instance>/}, refused if that directory is not owned
 *       by the user or is open to others (another user could have planted it).</li>
 * </ul>
 * {@code TEND_RUNTIME_DIR} overrides the base directory (the part before {@code <instance>}).
 */
public final class RuntimeDirectory {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private final Path dir;

    private RuntimeDirectory(Path dir) {
        this.dir = dir;
    }

    /** The directory of an instance; nothing is created. */
    public static RuntimeDirectory of(String instance, Map<String, String> env) {
        return new RuntimeDirectory(base(env).resolve(instance));
    }

    /** The base directory holding every instance's directory. */
    public static Path base(Map<String, String> env) {
        String override = env.get("TEND_RUNTIME_DIR");
        if (override != null && !override.isEmpty()) {
            return Path.of(override);
        }
        String xdg = env.get("XDG_RUNTIME_DIR");
        if (xdg != null && !xdg.isEmpty() && Files.isDirectory(Path.of(xdg))) {
            return Path.of(xdg, "tend");
        }
        int uid = LibC.getuid();
        if (uid == 0) {
            return Path.of("/run/tend");
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "tend-" + uid);
    }

    /** Creates the directory (and the base) with mode 0700 if needed, and checks they are private. */
    public RuntimeDirectory create() throws IOException {
        ensurePrivate(dir.getParent());
        ensurePrivate(dir);
        return this;
    }

    private static void ensurePrivate(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectories(path.getParent());
            } catch (IOException e) {
                throw cannotCreate(path, e);
            }
            try {
                Files.createDirectory(path, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // another tend created it at the same moment; checked below like any existing directory
            } catch (IOException e) {
                throw cannotCreate(path, e);
            }
        }
        if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(path + " is not a directory (or is a symbolic link); remove it or set TEND_RUNTIME_DIR");
        }
        int owner = (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (owner != LibC.getuid()) {
            throw new IOException(path + " belongs to uid " + owner + ", not to you (uid " + LibC.getuid()
                    + "); remove it or set TEND_RUNTIME_DIR to a directory of your own");
        }
        if (!Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS).equals(OWNER_ONLY)) {
            Files.setPosixFilePermissions(path, OWNER_ONLY);
        }
    }

    private static IOException cannotCreate(Path path, IOException e) {
        return new IOException("cannot create the runtime directory " + path + " (" + describe(e)
                + "); set TEND_RUNTIME_DIR to a directory you can write", e);
    }

    private static String describe(IOException e) {
        if (e instanceof java.nio.file.FileAlreadyExistsException exists) {
            return exists.getFile() + " is in the way and is not a directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "a parent directory does not exist";
        }
        String reason = e instanceof java.nio.file.FileSystemException fse ? fse.getReason() : null;
        return reason != null ? reason : e.toString();
    }

    public Path path() {
        return dir;
    }

    /** The control socket of {@code tend up}. */
    public Path controlSocket() {
        return dir.resolve("control.sock");
    }

    /** The shared state file. */
    public Path stateFile() {
        return dir.resolve("state");
    }

    /** The lock {@code tend up} holds while it runs; it also records the holder's pid. */
    public Path lockFile() {
        return dir.resolve("lock");
    }

    /** The pids and start times of the workers of the running (or last) {@code tend up}. */
    public Path workersFile() {
        return dir.resolve("workers");
    }

    /** Per-worker sd_notify sockets. */
    public Path notifyDirectory() {
        return dir.resolve("notify");
    }
}
