package dev.tend.config;

import dev.tend.config.ConfigDraft.Worker;
import dev.tend.os.Signal;
import dev.tend.state.StateFileLayout;
import dev.tend.text.Human;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.tomlj.TomlArray;
import org.tomlj.TomlTable;

/**
 * The first stage of loading: the text of a {@code tend.toml} to a {@link ConfigDraft}. It checks the
 * TOML syntax, the keys (unknown ones get the nearest known one as a suggestion), the type of every value,
 * and each value on its own: a duration, signal, policy, count, name or size that is malformed or out of
 * range is reported at its key and left out of the draft. Rules that involve more than one value, and
 * required keys, are {@link ConfigValidator}'s. No I/O.
 */
final class ConfigParser {
    /** Keys every pool or lazy table takes, which may also be written at the top level as defaults. */
    private static final Set<String> DEFAULTABLE =
            Set.of("restart", "backoff_min", "backoff_max", "max_failures", "grace", "stop_signal", "ready",
                    "start_window", "stop_signal_after");
    private static final Set<String> TOP_KEYS = union(union(DEFAULTABLE,
            Set.of("name", "fail_fast", "env", "env_file", "pool", "lazy", "state", LogKeys.TIMESTAMPS)), LogKeys.KEYS,
            ResourceLimitKeys.KEYS);
    private static final Set<String> POOL_KEYS = union(union(DEFAULTABLE,
            Set.of("command", "count", "cwd", "env", "env_file", DependsOn.KEY, "health")), LogKeys.KEYS,
            union(ResourceLimitKeys.KEYS, WatchKeys.KEYS, JobKeys.KEYS));
    private static final Set<String> LAZY_KEYS = union(union(DEFAULTABLE,
            Set.of("pattern", "command", "max", "cwd", "env", "env_file", DependsOn.KEY, "health")), LogKeys.KEYS,
            ResourceLimitKeys.KEYS);
    private static final Set<String> STATE_KEYS = Set.of("max_snapshot");
    private static final Pattern LAZY_PATTERN = Pattern.compile("[A-Za-z0-9_*?][A-Za-z0-9_.*?-]{0,62}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    static final int MAX_FAILURES_LIMIT = 1_000_000;
    static final int LAZY_MAX_LIMIT = 1024;
    /**
     * The smallest {@code max_snapshot} the file may set. The state file could hold snapshots as small as
     * {@link StateFileLayout#MIN_MAX_SNAPSHOT} bytes, but a limit that low only makes publishing fail.
     */
    private static final long SMALLEST_MAX_SNAPSHOT = 1024;

    private ConfigParser() {}

    /**
     * Parses {@code text}, the contents of {@code problems.file()}.
     *
     * @throws ConfigException on a TOML syntax error, alone: the rest of the file cannot be trusted.
     */
    static ConfigDraft parse(String text, Problems problems) throws ConfigException {
        Path file = problems.file();
        Section top = Section.root(TomlSyntax.parse(file, text), problems);
        top.rejectUnknown(TOP_KEYS);
        Optional<String> name = name(top, text);
        Optional<Boolean> failFast = Optional.ofNullable(top.bool("fail_fast"));
        // The top level sets no command or cwd for everyone: those keys are unknown there, reported above.
        Worker defaults = worker(top, Optional.empty(), Optional.empty(), List.of());

        List<ConfigDraft.Pool> pools = new ArrayList<>();
        Section poolTables = top.table("pool");
        if (poolTables != null) {
            poolTables.tables().forEach((poolName, section) -> {
                if (!Names.POOL.isValid(poolName)) {
                    section.error("", Names.POOL.invalid(poolName));
                }
                section.rejectUnknown(withDottedNames(section, "pool", poolName, POOL_KEYS));
                pools.add(new ConfigDraft.Pool(poolName, count(section),
                        worker(section, command(section), cwd(section), DependsOn.parse(section))));
            });
        }
        List<ConfigDraft.Lazy> lazy = new ArrayList<>();
        Section lazyTables = top.table("lazy");
        if (lazyTables != null) {
            lazyTables.tables().forEach((lazyName, section) -> {
                if (Names.RESERVED.contains(lazyName)) {
                    section.error("", Names.reserved("lazy declaration name", lazyName));
                }
                section.rejectUnknown(withDottedNames(section, "lazy", lazyName, LAZY_KEYS));
                Optional<String> pattern = Optional.ofNullable(section.string("pattern"));
                if (pattern.isPresent() && !LAZY_PATTERN.matcher(pattern.get()).matches()) {
                    section.error("pattern", "invalid pattern \"" + pattern.get()
                            + "\": letters, digits, '.', '_', '-' and the wildcards '*' and '?'");
                    pattern = Optional.empty();
                }
                Optional<Integer> max = Optional.ofNullable(section.integer("max", 1, LAZY_MAX_LIMIT)).map(Long::intValue);
                lazy.add(new ConfigDraft.Lazy(lazyName, pattern, max,
                        worker(section, command(section), cwd(section), DependsOn.parse(section))));
            });
        }
        return new ConfigDraft(file, top, name, failFast, defaults, pools, lazy, maxSnapshot(top));
    }

    /**
     * {@code known} and the tables inside {@code [KIND.NAME]} that are unknown keys: {@code [pool.my.web]} is
     * table {@code web} inside pool {@code my}, most likely meant as a pool named {@code my.web}, which is said
     * here rather than as an unknown key.
     */
    private static Set<String> withDottedNames(Section section, String kind, String name, Set<String> known) {
        Set<String> reported = new HashSet<>(known);
        for (String key : section.keys()) {
            if (!known.contains(key) && section.raw(key) instanceof TomlTable) {
                section.error(key, "[" + kind + "." + name + "." + key + "] is read as a table inside [" + kind + "."
                        + name + "]: " + kind + " names cannot contain dots" + (kind.equals("pool")
                        ? " (workers are named POOL.1, POOL.2, …)" : "") + "; write ["
                        + kind + "." + name + "-" + key + "]");
                reported.add(key);
            }
        }
        return reported;
    }

    /** The {@code name} key, which must also be where client commands look for it ({@link DeclaredName}). */
    private static Optional<String> name(Section top, String text) {
        Optional<DeclaredName.Found> seen = DeclaredName.in(text);
        String name = top.string("name");
        if (name == null) {
            if (!top.has("name") && seen.isPresent()) {
                top.errorAt(seen.get().line(), "", "this line reads as name = \"" + seen.get().name() + "\" to client"
                        + " commands (tend ps, tend stop, …), which find the name without parsing the file, but it is"
                        + " part of another value; reword the line, or declare the name before it");
            }
            return Optional.empty();
        }
        if (!Names.INSTANCE.isValid(name)) {
            top.error("name", Names.INSTANCE.invalid(name));
            return Optional.empty();
        }
        if (seen.isEmpty() || !seen.get().name().equals(name)) {
            top.error("name", "write it as name = \"" + name + "\" on a line of its own, before the first table:"
                    + " client commands (tend ps, tend stop, …) read it from there without parsing the file");
            return Optional.empty();
        }
        return Optional.of(name);
    }

    /** The settings any table may write (the top level, a pool, a lazy declaration). */
    private static Worker worker(Section s, Optional<Command> command, Optional<String> cwd,
                                 List<DependsOn.Entry> dependsOn) {
        Duration backoffMin = s.duration("backoff_min");
        if (backoffMin != null && backoffMin.isZero()) {
            s.error("backoff_min", "must be longer than 0 (a crashing worker would be restarted in a busy loop)");
            backoffMin = null;
        }
        return new Worker(s, command, cwd, env(s), Optional.ofNullable(restart(s)), Optional.ofNullable(backoffMin),
                Optional.ofNullable(s.duration("backoff_max")),
                Optional.ofNullable(s.integer("max_failures", 1, MAX_FAILURES_LIMIT)).map(Long::intValue),
                Optional.ofNullable(s.duration("grace")), stopSignal(s), Optional.ofNullable(ready(s)),
                Optional.ofNullable(s.duration("start_window")), dependsOn, HealthParser.parse(s),
                Optional.ofNullable(s.duration("stop_signal_after")));
    }

    private static Optional<Command> command(Section s) {
        return command(s, "command");
    }

    /** A command written at {@code key}: an array of strings run directly, or a string run by the shell. */
    static Optional<Command> command(Section s, String key) {
        Object raw = s.raw(key);
        if (raw == null) {
            return Optional.empty();
        }
        if (raw instanceof String script) {
            if (script.isBlank()) {
                s.error(key, "empty command");
                return Optional.empty();
            }
            if (script.indexOf('\0') >= 0) {
                s.error(key, nul("the command"));
                return Optional.empty();
            }
            return Optional.of(new Command.Shell(script));
        }
        if (raw instanceof TomlArray array) {
            List<String> argv = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) {
                Object element = array.get(i);
                if (!(element instanceof String)) {
                    s.error(key, "every element of the command array must be a string, not "
                            + Section.typeName(element));
                    return Optional.empty();
                }
                if (((String) element).indexOf('\0') >= 0) {
                    s.error(key, nul("argument " + (i + 1) + " of the command"));
                    return Optional.empty();
                }
                argv.add((String) element);
            }
            if (argv.isEmpty() || argv.get(0).isEmpty()) {
                s.error(key, "empty command: give at least the program, e.g. [\"./worker.sh\"]");
                return Optional.empty();
            }
            return Optional.of(new Command.Exec(argv));
        }
        s.error(key, "must be an array of strings or a string, not " + Section.typeName(raw));
        return Optional.empty();
    }

    private static Optional<String> cwd(Section s) {
        String cwd = s.string("cwd");
        if (cwd != null && cwd.indexOf('\0') >= 0) {
            s.error("cwd", nul("the path"));
            return Optional.empty();
        }
        return Optional.ofNullable(cwd);
    }

    /**
     * The message for a NUL in a string handed to the kernel: C strings end at the first NUL, so the program
     * would silently get only what comes before it.
     */
    private static String nul(String what) {
        return what + " contains a NUL character (\\u0000), which a program cannot be given: everything after it"
                + " would be cut off; remove it";
    }

    private static Optional<Count> count(Section s) {
        Object raw = s.raw("count");
        if (raw == null) {
            return Optional.empty();
        }
        try {
            if (raw instanceof Long n) {
                return Optional.of(Count.workers(n, Count.FEWEST_DECLARED));
            }
            if (raw instanceof String text) {
                Count count = Count.parse(text, Count.FEWEST_DECLARED);
                if (count instanceof Count.Fixed) {
                    s.error("count", "a number of workers is an integer: write count = " + count + " (no quotes)");
                    return Optional.empty();
                }
                return Optional.of(count);
            }
        } catch (Count.Invalid e) {
            if (!e.malformed()) {
                s.error("count", e.getMessage());
                return Optional.empty();
            }
        }
        s.error("count", "must be a number of workers (4) or a share of the available processors (\"50%\"), not "
                + (raw instanceof String ? "\"" + raw + "\"" : Section.typeName(raw)));
        return Optional.empty();
    }

    private static Map<String, String> env(Section s) {
        Section table = s.table("env");
        Map<String, String> env = new LinkedHashMap<>();
        if (table == null) {
            return env;
        }
        for (String key : table.keys()) {
            Object v = table.raw(key);
            if (!ENV_NAME.matcher(key).matches()) {
                table.error(key, "invalid environment variable name");
            } else if (v instanceof String text && text.indexOf('\0') >= 0) {
                table.error(key, nul("the value"));
            } else if (v instanceof String || v instanceof Long || v instanceof Boolean || v instanceof Double) {
                env.put(key, String.valueOf(v));
            } else {
                table.error(key, "must be a string, number or boolean, not " + Section.typeName(v));
            }
        }
        return env;
    }

    private static RestartPolicy restart(Section s) {
        String text = s.string("restart");
        if (text == null) {
            return null;
        }
        RestartPolicy policy = RestartPolicy.parse(text);
        if (policy == null) {
            s.error("restart", "unknown policy \"" + text + "\"; use \"on-failure\", \"always\" or \"never\"");
        }
        return policy;
    }

    private static ReadyMode ready(Section s) {
        String text = s.string("ready");
        if (text == null) {
            return null;
        }
        ReadyMode mode = ReadyMode.parse(text);
        if (mode == null) {
            s.error("ready", "unknown ready mode \"" + text + "\"; use \"spawned\", \"publish\", \"notify\" or \"healthy\"");
        }
        return mode;
    }

    private static Optional<Signal> stopSignal(Section s) {
        String text = s.string("stop_signal");
        if (text == null) {
            return Optional.empty();
        }
        Optional<Signal> signal = Signal.parse(text);
        if (signal.isEmpty()) {
            s.error("stop_signal", "unknown signal \"" + text + "\"; use a name such as \"TERM\", \"INT\", \"QUIT\" or \"USR1\"");
        } else if (signal.get() == Signal.KILL || signal.get() == Signal.STOP) {
            s.error("stop_signal", "SIG" + signal.get() + " cannot be a stop signal: it gives the worker no"
                    + " chance to finish; lower grace instead");
            return Optional.empty();
        }
        return signal;
    }

    private static Optional<Long> maxSnapshot(Section top) {
        Section state = top.table("state");
        if (state == null) {
            return Optional.empty();
        }
        state.rejectUnknown(STATE_KEYS);
        String text = state.string("max_snapshot");
        if (text == null) {
            return Optional.empty();
        }
        try {
            long size = ByteSizes.parse(text);
            if (size < SMALLEST_MAX_SNAPSHOT || size > StateFileLayout.MAX_MAX_SNAPSHOT) {
                state.error("max_snapshot", "must be between " + Human.bytes(SMALLEST_MAX_SNAPSHOT) + " and "
                        + Human.bytes(StateFileLayout.MAX_MAX_SNAPSHOT) + " (got "
                        + (size == Long.MAX_VALUE ? "\"" + text + "\"" : Human.bytes(size)) + ")");
                return Optional.empty();
            }
            return Optional.of(size);
        } catch (IllegalArgumentException e) {
            state.error("max_snapshot", e.getMessage());
            return Optional.empty();
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new HashSet<>(a);
        u.addAll(b);
        return Set.copyOf(u);
    }

    private static Set<String> union(Set<String> a, Set<String> b, Set<String> c) {
        return union(union(a, b), c);
    }
}
