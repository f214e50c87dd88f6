package dev.tend.engine;

import dev.tend.config.Glob;
import dev.tend.config.WatchSettings;
import dev.tend.os.Inotify;
import dev.tend.os.Interest;
import dev.tend.os.NativeException;
import dev.tend.os.Reactor;
import dev.tend.os.WatchLimitException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The directories one pool's {@code watch} patterns can match, watched through one inotify instance registered
 * on the loop: each pattern's fixed prefix, and for patterns that reach below it every directory under it (but
 * the ignored ones). A directory created or moved in under a watched tree is watched in turn and looked through
 * once, for files made before its watch was in place; a directory deleted or moved away is forgotten. Tells
 * {@code changed} of each change the settings say restarts the pool, and of lost events (a queue overflow).
 * Loop thread only; costs nothing while nothing changes.
 */
final class WatchedTree implements AutoCloseable {
    private static final int EVENTS = Inotify.CREATE | Inotify.MODIFY | Inotify.ATTRIB | Inotify.CLOSE_WRITE
            | Inotify.DELETE | Inotify.MOVED_FROM | Inotify.MOVED_TO | Inotify.DELETE_SELF;
    private static final int FLAGS = Inotify.ONLYDIR | Inotify.DONT_FOLLOW;
    /** What {@code changed} is told when the kernel dropped events: anything may have changed. */
    static final String LOST = "events were lost (the inotify queue overflowed)";

    /** A watched directory; {@code recursive}: its new subdirectories are watched too. */
    private record Node(Path path, boolean recursive) {}

    private final WatchSettings settings;
    private final Consumer<String> changed;
    private final Consumer<String> trouble;
    private final Inotify inotify;
    private final Map<Integer, Node> nodes = new HashMap<>();
    private final List<Path> missing = new ArrayList<>();
    /** Paths named without wildcards: watched as a tree once they exist as directories. */
    private final Set<Path> entries = new HashSet<>();
    private Reactor.Registration registration;

    private WatchedTree(WatchSettings settings, Consumer<String> changed, Consumer<String> trouble) {
        this.settings = settings;
        this.changed = changed;
        this.trouble = trouble;
        this.inotify = Inotify.open();
    }

    /**
     * Watches what {@code settings} can match.
     *
     * @param changed told what changed, relative to the pool's directory, or {@link #LOST}.
     * @param trouble told of a directory that could not be watched later on (the kernel's limit reached).
     * @throws WatchLimitException when the kernel's limit on watches or inotify instances is reached.
     */
    static WatchedTree open(Reactor reactor, WatchSettings settings, Consumer<String> changed, Consumer<String> trouble) {
        WatchedTree tree = new WatchedTree(settings, changed, trouble);
        try {
            for (Glob.Root root : settings.roots()) {
                tree.add(root);
            }
            tree.registration = reactor.register(tree.inotify.fd(), Interest.READ, ready -> tree.inotify.read(tree::event));
            return tree;
        } catch (RuntimeException e) {
            tree.inotify.close();
            throw e;
        }
    }

    /** The directories the patterns start from that do not exist, so are not watched. */
    List<Path> missing() {
        return List.copyOf(missing);
    }

    /** How many directories are watched. */
    int size() {
        return nodes.size();
    }

    private void add(Glob.Root root) {
        Path path = root.path();
        switch (root.reach()) {
            case TREE -> {
                if (Files.isDirectory(path)) {
                    walk(path);
                } else {
                    missing.add(path);
                }
            }
            case ENTRY -> {
                entries.add(path);
                // A file is seen through its directory's events: inotify reports the changes of its entries.
                if (Files.isDirectory(path)) {
                    walk(path);
                } else if (!watchDirectory(path.getParent())) {
                    missing.add(path);
                }
            }
            default -> throw new IllegalStateException(root.toString());
        }
    }

    /** Watches one directory, not what is below it; it may be a symbolic link to one. */
    private boolean watchDirectory(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) {
            return false;
        }
        try {
            return watch(dir.toRealPath(), dir, false);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Watches {@code top} and every directory below it that is not ignored.
     *
     * @return the first file found that would restart the pool, or null.
     */
    private Path walk(Path top) {
        Path[] found = {null};
        // The walk does not follow symbolic links, but the pool's own directory may well be one (a deployment's
        // current/): the walk starts from where it points, and what it finds is known by its path under top.
        Path start;
        try {
            start = top.toRealPath();
        } catch (IOException e) {
            return null;
        }
        try {
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    Path shown = top.resolve(start.relativize(dir));
                    if (!dir.equals(start) && settings.ignores(shown)) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return watch(dir, shown, true) ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    Path shown = top.resolve(start.relativize(file));
                    if (found[0] == null && settings.triggers(shown)) {
                        found[0] = shown;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    // Gone since it was listed, or not readable: nothing there to watch.
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // walkFileTree reports failures to the visitor, which goes on; nothing else throws.
        }
        return found[0];
    }

    /**
     * Adds a watch on {@code dir}, whose events are reported under {@code shown}; false when the directory is
     * gone or cannot be read (the kernel's limit throws).
     */
    private boolean watch(Path dir, Path shown, boolean recursive) {
        int wd;
        try {
            wd = inotify.addWatch(dir, EVENTS | FLAGS);
        } catch (WatchLimitException e) {
            throw e;
        } catch (NativeException e) {
            return false;
        }
        Node known = nodes.get(wd);
        nodes.put(wd, new Node(shown, recursive || known != null && known.path().equals(shown) && known.recursive()));
        return true;
    }

    private void event(Inotify.Event e) {
        if (e.overflow()) {
            changed.accept(LOST);
            return;
        }
        Node node = nodes.get(e.wd());
        if (node == null) {
            return;
        }
        if (e.is(Inotify.IGNORED)) {
            nodes.remove(e.wd());
            return;
        }
        if (e.name().isEmpty()) {
            // The directory itself was deleted: the IGNORED that follows forgets it.
            return;
        }
        Path path = node.path().resolve(e.name());
        if (e.isDirectory() && e.is(Inotify.CREATE | Inotify.MOVED_TO) && (node.recursive() || entries.contains(path))
                && !settings.ignores(path)) {
            Path found;
            try {
                found = walk(path);
            } catch (WatchLimitException limit) {
                trouble.accept(limit.getMessage());
                found = null;
            }
            if (found != null) {
                changed.accept(relative(found));
                return;
            }
        } else if (e.isDirectory() && e.is(Inotify.MOVED_FROM)) {
            forgetBelow(path);
        }
        if (settings.triggers(path)) {
            changed.accept(relative(path));
        }
    }

    /** A directory moved away keeps its watches, which would report its entries under their old paths. */
    private void forgetBelow(Path moved) {
        List<Integer> gone = new ArrayList<>();
        nodes.forEach((wd, node) -> {
            if (node.path().startsWith(moved)) {
                gone.add(wd);
            }
        });
        for (int wd : gone) {
            nodes.remove(wd);
            inotify.removeWatch(wd);
        }
    }

    private String relative(Path path) {
        return settings.base().relativize(path).toString();
    }

    /** Stops watching: the kernel drops every watch with the instance. */
    @Override
    public void close() {
        if (registration != null) {
            registration.cancel();
            registration = null;
        }
        inotify.close();
    }
}
