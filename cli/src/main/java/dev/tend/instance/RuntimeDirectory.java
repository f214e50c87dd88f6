package dev.tend.instance;

import dev.tend.os.UserId;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Where an instance keeps its files: the control socket, the state file, the lock, the record of its
 * workers. One directory per instance, {@code <base>/<instance>/}, mode 0700 and owned by the user running
 * tend, so no other user can reach anything in it. The base directory is, in order of preference:
 * <ul>
 *   <li>{@code TEND_RUNTIME_DIR}, when set;</li>
 *   <li>{@code /run/tend} for root, whatever the session: a root login shell and a system service must find
 *       the same instances;</li>
 *   <li>{@code $XDG_RUNTIME_DIR/tend} when {@code XDG_RUNTIME_DIR} is set (a per-user tmpfs under systemd);</li>
 *   <li>otherwise {@code <java.io.tmpdir>/tend-<uid>}, which must belong to the user (anyone can create
 *       entries in the temporary directory, so one planted by someone else is refused).</li>
 * </ul>
 * A base directory that already exists is used as it is (never re-moded: it may be shared, such as /tmp);
 * only the instance directory tend creates inside it is made private. Clients look for a running instance
 * in every base a tend of the same user could have chosen (a service without {@code XDG_RUNTIME_DIR} and a
 * login shell with it disagree otherwise).
 */
public final class RuntimeDirectory {
    private static final String LOCK = "lock";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private final Path dir;
    private final boolean privateBase;

    private RuntimeDirectory(Path dir, boolean privateBase) {
        this.dir = dir;
        this.privateBase = privateBase;
    }

    /** The directory {@code tend up} uses for an instance; nothing is created. */
    public static RuntimeDirectory of(String instance, Map<String, String> env) {
        Path base = candidateBases(env).get(0);
        return new RuntimeDirectory(base.resolve(instance), base.equals(temporaryBase()));
    }

    /**
     * The directory of a running instance for a client: the first candidate base holding the instance's
     * control socket, else the preferred one (so that "not running" names the path {@code tend up} would use).
     */
    public static RuntimeDirectory locate(String instance, Map<String, String> env) {
        for (Path base : candidateBases(env)) {
            RuntimeDirectory candidate = new RuntimeDirectory(base.resolve(instance), false);
            if (Files.exists(candidate.controlSocket(), LinkOption.NOFOLLOW_LINKS)) {
                return candidate;
            }
        }
        return of(instance, env);
    }

    /** The directory of an instance found in one of the {@link #candidateBases}, for a client. */
    static RuntimeDirectory existing(Path dir) {
        return new RuntimeDirectory(dir, false);
    }

    /** A {@code TEND_RUNTIME_DIR} that cannot be used; the message says why and what to write. */
    public static final class BadOverride extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        BadOverride(String message) {
            super(message);
        }
    }

    /**
     * Every entry of every {@link #candidateBases candidate base}, the preferred base's first: the directories
     * of the instances this user may have run, and whatever else a base holds (callers look for an instance's
     * files in each). A base that does not exist or that we may not list has none.
     */
    static List<RuntimeDirectory> entriesOfCandidateBases(Map<String, String> env) {
        List<RuntimeDirectory> entries = new ArrayList<>();
        for (Path base : candidateBases(env)) {
            try (DirectoryStream<Path> instances = Files.newDirectoryStream(base)) {
                for (Path path : instances) {
                    entries.add(existing(path));
                }
            } catch (IOException e) {
                // a base that does not exist (yet) or that we may not list holds no instance of ours
            }
        }
        return entries;
    }

    /**
     * The bases a tend of this user may have chosen, the preferred one first.
     *
     * @throws BadOverride when {@code TEND_RUNTIME_DIR} is not an absolute path.
     */
    static List<Path> candidateBases(Map<String, String> env) {
        String override = env.get("TEND_RUNTIME_DIR");
        if (override != null && !override.isEmpty()) {
            // A relative base would name another directory for every client started elsewhere, so that none
            // would find the instance; and one with a NUL cannot name a directory at all.
            if (override.indexOf('\0') >= 0 || !override.startsWith("/")) {
                throw new BadOverride("TEND_RUNTIME_DIR must be an absolute path (got \"" + override + "\"), so that"
                        + " commands run from any directory find the same instances; write e.g. TEND_RUNTIME_DIR=\"$PWD/"
                        + override.replace("\0", "") + "\"");
            }
            return List.of(Path.of(override));
        }
        List<Path> bases = new ArrayList<>();
        if (UserId.real() == 0) {
            bases.add(Path.of("/run/tend"));
        }
        String xdg = env.get("XDG_RUNTIME_DIR");
        // The XDG specification makes it absolute; a relative one is ignored as it would be by other programs.
        if (xdg != null && xdg.startsWith("/") && Files.isDirectory(Path.of(xdg))) {
            bases.add(Path.of(xdg, "tend"));
        }
        bases.add(temporaryBase());
        return bases;
    }

    private static Path temporaryBase() {
        return Path.of(System.getProperty("java.io.tmpdir"), "tend-" + UserId.real());
    }

    /** The base directory: the value workers get as {@code TEND_RUNTIME_DIR}. */
    public Path base() {
        return dir.getParent();
    }

    /** Creates the directory (and the base if missing), and checks that the directory is private and ours. */
    public RuntimeDirectory create() throws IOException {
        Path base = base();
        if (!Files.exists(base, LinkOption.NOFOLLOW_LINKS)) {
            makeDirectory(base);
        } else if (!Files.isDirectory(base)) {
            throw new IOException("the runtime directory " + base + " is not a directory; remove it or set"
                    + " TEND_RUNTIME_DIR to a directory you can write");
        } else if (privateBase) {
            checkOwned(base);
        }
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            makeDirectory(dir);
        }
        checkOwned(dir);
        if (!Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS).equals(OWNER_ONLY)) {
            Files.setPosixFilePermissions(dir, OWNER_ONLY);
        }
        return this;
    }

    private static void makeDirectory(Path path) throws IOException {
        try {
            Files.createDirectories(path.getParent());
        } catch (IOException e) {
            throw cannotCreate(path, e);
        }
        try {
            Files.createDirectory(path, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (FileAlreadyExistsException raced) {
            // another tend created it at the same moment; checked like any existing directory
        } catch (IOException e) {
            throw cannotCreate(path, e);
        }
    }

    private static void checkOwned(Path path) throws IOException {
        if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(path + " is not a directory (or is a symbolic link); remove it or set"
                    + " TEND_RUNTIME_DIR");
        }
        int owner = (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (owner != UserId.real()) {
            throw new IOException(path + " belongs to uid " + owner + ", not to you (uid " + UserId.real()
                    + "); remove it or set TEND_RUNTIME_DIR to a directory of your own");
        }
    }

    private static IOException cannotCreate(Path path, IOException e) {
        return new IOException("cannot create the runtime directory " + path + " (" + describe(e)
                + "); set TEND_RUNTIME_DIR to a directory you can write", e);
    }

    private static String describe(IOException e) {
        if (e instanceof FileAlreadyExistsException exists) {
            return exists.getFile() + " is in the way and is not a directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "a parent directory does not exist";
        }
        String reason = e instanceof FileSystemException fse ? fse.getReason() : null;
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
        return dir.resolve(LOCK);
    }

    /** The pid recorded in a lock file: the {@code tend up} that holds it, or last held it. Empty if unreadable. */
    public static OptionalLong lockHolder(Path lockFile) {
        try {
            return OptionalLong.of(Long.parseLong(Files.readString(lockFile).trim()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The pid of the {@code tend up} whose control socket is {@code controlSocket}, from the lock file beside it. */
    public static OptionalLong pidBehind(Path controlSocket) {
        return lockHolder(controlSocket.resolveSibling(LOCK));
    }

    /** Which configuration file the running (or last) {@code tend up} was started from: see {@link ConfigRecord}. */
    public Path configRecord() {
        return dir.resolve("config");
    }

    /** The pids and start times of the workers of the running (or last) {@code tend up}. */
    public Path workersFile() {
        return dir.resolve("workers");
    }

    /** What {@code tend ps --ready} would say, kept for the launcher: see {@link StatusFile}. */
    public Path statusFile() {
        return dir.resolve("status");
    }

    /** The names shell completion offers, kept for the launcher: see {@link NamesFile}. */
    public Path namesFile() {
        return dir.resolve("names");
    }

    /** The FIFO through which the launcher asks for actions without a JVM: see {@code CommandFifo}. */
    public Path commandFifo() {
        return dir.resolve("control.fifo");
    }

    /** Per-worker sd_notify sockets. */
    public Path notifyDirectory() {
        return dir.resolve("notify");
    }
}
