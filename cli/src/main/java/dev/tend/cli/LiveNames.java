package dev.tend.cli;

import java.util.Collections;
import java.util.Iterator;

/**
 * The mark, in the command-line model, of an option or parameter that takes the names of a running tend (its
 * workers, pools, lazy declarations) or of the running instances: its {@code completionCandidates}. They are known
 * only when Tab is pressed, so there are none here; the generators of the shell completions
 * ({@code dev.tend.cli.docs}) have the scripts ask the launcher for them ({@code tend __complete}, a shell script
 * that reads the names file the instance keeps, so no JVM starts on a Tab).
 */
public abstract class LiveNames implements Iterable<String> {
    private final String query;

    private LiveNames(String query) {
        this.query = query;
    }

    /**
     * What to ask the launcher for: {@code instances}, or kinds of the names file (comma-separated: {@code pool},
     * {@code lazy}, {@code worker}; {@code all} and {@code tend}: those words).
     */
    public String query() {
        return query;
    }

    @Override
    public Iterator<String> iterator() {
        return Collections.emptyIterator();
    }

    /** What start, stop and restart act on. */
    public static final class Targets extends LiveNames {
        public Targets() {
            super("pool,lazy,worker,all");
        }
    }

    /** Whose output tend logs prints: tend's own lines too. */
    public static final class Sources extends LiveNames {
        public Sources() {
            super("pool,lazy,worker,tend");
        }
    }

    /** Pools, for tend scale. */
    public static final class Pools extends LiveNames {
        public Pools() {
            super("pool");
        }
    }

    /** Workers, for tend get. */
    public static final class Workers extends LiveNames {
        public Workers() {
            super("worker");
        }
    }

    /** What tend require takes that exists already: workers and pools (of one); a new lazy name is the user's. */
    public static final class Required extends LiveNames {
        public Required() {
            super("worker,pool");
        }
    }

    /** The running instances, for {@code --name}. */
    public static final class Instances extends LiveNames {
        public Instances() {
            super("instances");
        }
    }
}
