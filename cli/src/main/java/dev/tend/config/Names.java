package dev.tend.config;

import dev.tend.state.StateFileLayout;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rule for each kind of name tend gives things, in one place: every check of an instance, pool or worker
 * name, and every message that explains one, comes from here.
 */
public enum Names {
    /** An instance: it names the runtime directory that holds the control socket and the state file. */
    INSTANCE("instance name", 63, true, false, ""),
    /**
     * A pool (a {@code [pool.NAME]} table). No dots, so that a worker name {@code POOL.N} says where the pool
     * name ends; 48 characters leave room for {@code .10000} within a worker name.
     */
    POOL("pool name", 48, false, true, " (no dots: workers are named POOL.1, POOL.2, …)"),
    /** A worker: stored in its slot of the state file, whose name field holds this many bytes. */
    WORKER("worker name", StateFileLayout.NAME_CAPACITY, true, true, "");

    /**
     * Names that commands give a meaning of their own where they take a worker, pool or lazy declaration:
     * {@code tend stop all} means every worker, and {@code tend logs tend} tend's own lines.
     */
    public static final Set<String> RESERVED = Set.of("all", "tend");

    private final String what;
    private final int longest;
    private final boolean reservable;
    private final Pattern valid;
    private final String rule;

    Names(String what, int longest, boolean dots, boolean reservable, String note) {
        this.what = what;
        this.longest = longest;
        this.reservable = reservable;
        String others = dots ? "._-" : "_-";
        this.valid = Pattern.compile("[A-Za-z0-9][A-Za-z0-9" + others + "]{0," + (longest - 1) + "}");
        this.rule = "1 to " + longest + " letters, digits, " + (dots ? "'.', " : "")
                + "'_' or '-', starting with a letter or digit" + note;
    }

    /** Whether {@code name} follows this rule. */
    public boolean isValid(String name) {
        return valid.matcher(name).matches() && !(reservable && RESERVED.contains(name));
    }

    /** What such a name must look like, for messages: {@code 1 to 63 letters, digits, …}. */
    public String rule() {
        return rule;
    }

    /** The message for a name that breaks the rule: {@code invalid instance name "my app": 1 to 63 …}. */
    public String invalid(String name) {
        if (reservable && RESERVED.contains(name)) {
            return reserved(what, name);
        }
        return "invalid " + what + " \"" + name + "\": " + rule;
    }

    /** The message for a {@link #RESERVED} name given to a pool, worker or lazy declaration ({@code what}). */
    public static String reserved(String what, String name) {
        return what + " \"" + name + "\" is reserved: commands read \"all\" as every worker (tend stop all) and"
                + " \"tend\" as tend's own log lines (tend logs tend); choose another name";
    }

    /** An instance name derived from a directory name: invalid characters become '-'. */
    public static String instanceFromDirectory(Path dir) {
        Path last = dir == null ? null : dir.getFileName();
        String raw = last == null ? "root" : last.toString();
        String cleaned = raw.replaceAll("[^A-Za-z0-9._-]", "-").replaceFirst("^[._-]+", "");
        if (cleaned.isEmpty()) {
            cleaned = "tend";
        }
        return cleaned.length() > INSTANCE.longest ? cleaned.substring(0, INSTANCE.longest) : cleaned;
    }
}
