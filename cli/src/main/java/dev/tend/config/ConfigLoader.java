package dev.tend.config;

import dev.tend.os.Executables;
import dev.tend.os.Signal;
import dev.tend.state.StateFileLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.tomlj.TomlArray;

/**
 * Reads and validates {@code tend.toml} (TOML 1.0, read by tomlj) into a {@link Config}.
 *
 * <p>Validation collects every problem before failing: unknown keys (with the nearest valid key),
 * wrong types, bad durations, empty commands, counts out of range, unknown signals, missing programs
 * or directories. Each error names the file, the key path and the line.
 */
public final class ConfigLoader {
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);
    public static final Duration DEFAULT_BACKOFF_MIN = Duration.ofMillis(100);
    public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_FAILURES = 6;
    public static final int DEFAULT_LAZY_MAX = 16;
    /**
     * The smallest {@code max_snapshot} the file may set. The state file could hold snapshots as small as
     * {@link StateFileLayout#MIN_MAX_SNAPSHOT} bytes, but a limit that low only makes publishing fail.
     */
    private static final long SMALLEST_MAX_SNAPSHOT = 1024;

    /** Keys every pool or lazy table takes, which may also be written at the top level as defaults. */
    private static final Set<String> DEFAULTABLE =
            Set.of("restart", "backoff_min", "backoff_max", "max_failures", "grace", "stop_signal", "ready");
    private static final Set<String> TOP_KEYS = union(DEFAULTABLE,
            Set.of("name", "fail_fast", "env", "pool", "lazy", "state"));
    private static final Set<String> POOL_KEYS = union(DEFAULTABLE, Set.of("command", "count", "cwd", "env"));
    private static final Set<String> LAZY_KEYS = union(DEFAULTABLE, Set.of("pattern", "command", "max", "cwd", "env"));
    private static final Set<String> STATE_KEYS = Set.of("max_snapshot");
    private static final Pattern LAZY_PATTERN = Pattern.compile("[A-Za-z0-9_*?][A-Za-z0-9_.*?-]{0,62}");

    private final Map<String, String> environment;

    /** @param environment the supervisor's environment, the base of every worker's (used to find programs). */
    public ConfigLoader(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /**
     * The instance name a file declares, read leniently and cheaply for client commands that only need to
     * find the running instance: the {@code name = "…"} line if there is a valid one, else the directory's
     * name. No TOML parser is loaded; {@link DeclaredName} says why the two readings agree.
     */
    public static String instanceName(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        try {
            String name = DeclaredName.in(Files.readString(absolute)).map(DeclaredName.Found::name).orElse("");
            if (Names.INSTANCE.isValid(name)) {
                return name;
            }
        } catch (IOException e) {
            // fall back to the directory name, as tend up would for a file without a name
        }
        return Names.instanceFromDirectory(absolute.getParent());
    }

    /** Loads and validates a file. */
    public Config load(Path path) throws ConfigException {
        Path file = path.toAbsolutePath().normalize();
        String text = read(file);
        Problems problems = new Problems(file);
        Config config = interpret(file, text, Section.root(TomlSyntax.parse(file, text), problems));
        problems.throwIfAny();
        return config;
    }

    private static String read(Path file) throws ConfigException {
        try {
            byte[] bytes = Files.readAllBytes(file);
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            throw new ConfigException(List.of(new ConfigError(file, 0, "",
                    "no such file; create it (see docs/configuration.md) or pass -c FILE")));
        } catch (CharacterCodingException e) {
            throw new ConfigException(List.of(new ConfigError(file, 0, "", "not valid UTF-8 text")));
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigError(file, 0, "", "cannot read: " + e.getMessage())));
        }
    }

    private Config interpret(Path file, String text, Section top) {
        top.rejectUnknown(TOP_KEYS);
        Path baseDir = file.getParent();
        String name = name(top, text);
        Boolean failFast = top.bool("fail_fast");
        Map<String, String> topEnv = env(top);
        Defaults defaults = defaults(top, new Defaults(DEFAULT_GRACE, RestartPolicy.ON_FAILURE, DEFAULT_BACKOFF_MIN,
                DEFAULT_BACKOFF_MAX, DEFAULT_MAX_FAILURES, Optional.empty(), ReadyMode.SPAWNED));
        long maxSnapshot = stateSettings(top);

        Map<String, PoolConfig> pools = new LinkedHashMap<>();
        Section poolTable = top.table("pool");
        if (poolTable != null) {
            poolTable.tables().forEach((poolName, section) -> {
                if (!Names.POOL.isValid(poolName)) {
                    section.error("", Names.POOL.invalid(poolName));
                }
                section.rejectUnknown(POOL_KEYS);
                WorkerSettings settings = worker(section, baseDir, topEnv, defaults, false);
                Count count = count(section);
                if (settings != null && count != null) {
                    pools.put(poolName, new PoolConfig(poolName, count, settings));
                }
            });
        }
        Map<String, LazyConfig> lazy = new LinkedHashMap<>();
        Section lazyTable = top.table("lazy");
        if (lazyTable != null) {
            lazyTable.tables().forEach((lazyName, section) -> {
                section.rejectUnknown(LAZY_KEYS);
                String pattern = section.string("pattern");
                if (pattern == null && !section.has("pattern")) {
                    section.error("pattern", "missing: the names this declaration starts, as a glob like \"redis-*\"");
                } else if (pattern != null && !LAZY_PATTERN.matcher(pattern).matches()) {
                    section.error("pattern", "invalid pattern \"" + pattern
                            + "\": letters, digits, '.', '_', '-' and the wildcards '*' and '?'");
                }
                Long max = section.integer("max", 1, 1024);
                WorkerSettings settings = worker(section, baseDir, topEnv, defaults, true);
                if (settings != null && pattern != null) {
                    lazy.put(lazyName, new LazyConfig(lazyName, pattern,
                            max == null ? DEFAULT_LAZY_MAX : max.intValue(), settings));
                }
            });
        }
        if (!top.has("pool") && !top.has("lazy")) {
            top.error("pool", "no pools defined; add a table such as [pool.web] with a command");
        }
        return new Config(file, Optional.ofNullable(name), failFast != null && failFast, pools, lazy, maxSnapshot);
    }

    /**
     * The {@code name} key, or null. It must also be where client commands look for it
     * ({@link DeclaredName}), so that they find the instance this file starts.
     */
    private static String name(Section top, String text) {
        Optional<DeclaredName.Found> seen = DeclaredName.in(text);
        String name = top.string("name");
        if (name == null) {
            if (!top.has("name") && seen.isPresent()) {
                top.errorAt(seen.get().line(), "", "this line reads as name = \"" + seen.get().name() + "\" to client"
                        + " commands (tend ps, tend stop, …), which find the name without parsing the file, but it is"
                        + " part of another value; reword the line, or declare the name before it");
            }
            return null;
        }
        if (!Names.INSTANCE.isValid(name)) {
            top.error("name", Names.INSTANCE.invalid(name));
            return null;
        }
        if (seen.isEmpty() || !seen.get().name().equals(name)) {
            top.error("name", "write it as name = \"" + name + "\" on a line of its own, before the first table:"
                    + " client commands (tend ps, tend stop, …) read it from there without parsing the file");
            return null;
        }
        return name;
    }

    private long stateSettings(Section top) {
        Section state = top.table("state");
        if (state == null) {
            return StateFileLayout.DEFAULT_MAX_SNAPSHOT;
        }
        state.rejectUnknown(STATE_KEYS);
        String text = state.string("max_snapshot");
        if (text == null) {
            return StateFileLayout.DEFAULT_MAX_SNAPSHOT;
        }
        try {
            long size = ByteSizes.parse(text);
            if (size < SMALLEST_MAX_SNAPSHOT || size > StateFileLayout.MAX_MAX_SNAPSHOT) {
                state.error("max_snapshot", "must be between " + ByteSizes.format(SMALLEST_MAX_SNAPSHOT) + " and "
                        + ByteSizes.format(StateFileLayout.MAX_MAX_SNAPSHOT)
                        + " (got " + ByteSizes.format(size) + ")");
                return StateFileLayout.DEFAULT_MAX_SNAPSHOT;
            }
            return size;
        } catch (IllegalArgumentException | ArithmeticException e) {
            state.error("max_snapshot", e.getMessage());
            return StateFileLayout.DEFAULT_MAX_SNAPSHOT;
        }
    }

    /** The top-level values every pool inherits unless it sets its own. */
    private record Defaults(Duration grace, RestartPolicy restart, Duration backoffMin, Duration backoffMax,
                            int maxFailures, Optional<Signal> stopSignal, ReadyMode ready) {}

    private static Defaults defaults(Section s, Defaults base) {
        Duration grace = s.duration("grace");
        RestartPolicy restart = restart(s);
        Duration min = s.duration("backoff_min");
        Duration max = s.duration("backoff_max");
        Long failures = s.integer("max_failures", 1, 1_000_000);
        Optional<Signal> stop = stopSignal(s);
        ReadyMode ready = ready(s);
        return new Defaults(grace != null ? grace : base.grace, restart != null ? restart : base.restart,
                min != null ? min : base.backoffMin, max != null ? max : base.backoffMax,
                failures != null ? failures.intValue() : base.maxFailures,
                stop != null ? stop : base.stopSignal, ready != null ? ready : base.ready);
    }

    private WorkerSettings worker(Section s, Path baseDir, Map<String, String> topEnv, Defaults top, boolean lazy) {
        Defaults d = defaults(s, top);
        if (d.backoffMin.compareTo(d.backoffMax) > 0) {
            s.error(s.has("backoff_min") ? "backoff_min" : "backoff_max", "backoff_min ("
                    + Durations.format(d.backoffMin) + ") is longer than backoff_max (" + Durations.format(d.backoffMax) + ")");
        }
        if (d.backoffMin.isZero()) {
            s.error("backoff_min", "must be longer than 0 (a crashing worker would be restarted in a busy loop)");
        }
        Path cwd = cwd(s, baseDir);
        Map<String, String> env = new HashMap<>(topEnv);
        env.putAll(env(s));
        Command command = command(s, lazy);
        if (command == null || cwd == null) {
            return null;
        }
        if (command instanceof Command.Exec exec && !exec.argv().get(0).contains("{name}")) {
            Map<String, String> merged = new HashMap<>(environment);
            merged.putAll(env);
            try {
                Executables.resolve(exec.argv().get(0), merged.get("PATH"), cwd);
            } catch (Executables.NotExecutableException e) {
                s.error("command", e.getMessage());
            }
        }
        return new WorkerSettings(command, cwd, env, d.restart, d.backoffMin, d.backoffMax, d.maxFailures, d.grace,
                d.stopSignal, d.ready);
    }

    private static Command command(Section s, boolean lazy) {
        Object raw = s.raw("command");
        if (raw == null) {
            if (!s.has("command")) {
                s.error("command", "missing: the program to run, as [\"program\", \"arg\"] or a shell command string");
            }
            return null;
        }
        if (raw instanceof String script) {
            if (script.isBlank()) {
                s.error("command", "empty command");
                return null;
            }
            return new Command.Shell(script);
        }
        if (raw instanceof TomlArray array) {
            List<String> argv = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) {
                Object element = array.get(i);
                if (!(element instanceof String)) {
                    s.error("command", "every element of the command array must be a string, not "
                            + Section.typeName(element));
                    return null;
                }
                argv.add((String) element);
            }
            if (argv.isEmpty() || argv.get(0).isEmpty()) {
                s.error("command", "empty command: give at least the program, e.g. [\"./worker.sh\"]");
                return null;
            }
            return new Command.Exec(argv);
        }
        s.error("command", "must be an array of strings or a string, not " + Section.typeName(raw));
        return null;
    }

    private static Count count(Section s) {
        Object raw = s.raw("count");
        if (raw == null) {
            return new Count.Fixed(1);
        }
        try {
            if (raw instanceof Long n) {
                return Count.workers(n, Count.FEWEST_DECLARED);
            }
            if (raw instanceof String text) {
                Count count = Count.parse(text, Count.FEWEST_DECLARED);
                if (count instanceof Count.Fixed) {
                    s.error("count", "a number of workers is an integer: write count = " + count + " (no quotes)");
                    return null;
                }
                return count;
            }
        } catch (Count.Invalid e) {
            if (!e.malformed()) {
                s.error("count", e.getMessage());
                return null;
            }
        }
        s.error("count", "must be a number of workers (4) or a share of the available processors (\"50%\"), not "
                + (raw instanceof String ? "\"" + raw + "\"" : Section.typeName(raw)));
        return null;
    }

    private static Path cwd(Section s, Path baseDir) {
        String text = s.string("cwd");
        if (text == null) {
            return s.has("cwd") ? null : baseDir;
        }
        Path dir = baseDir.resolve(text).normalize();
        if (!Files.isDirectory(dir)) {
            s.error("cwd", "no such directory: " + dir + (text.equals(dir.toString()) ? "" : " (relative paths start"
                    + " at the configuration file's directory)"));
            return null;
        }
        return dir;
    }

    private static Map<String, String> env(Section s) {
        Section table = s.table("env");
        Map<String, String> env = new LinkedHashMap<>();
        if (table == null) {
            return env;
        }
        for (String key : table.keys()) {
            Object v = table.raw(key);
            if (!key.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                table.error(key, "invalid environment variable name");
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
            s.error("ready", "unknown ready mode \"" + text + "\"; use \"spawned\", \"publish\" or \"notify\"");
        }
        return mode;
    }

    private static Optional<Signal> stopSignal(Section s) {
        String text = s.string("stop_signal");
        if (text == null) {
            return null;
        }
        Optional<Signal> signal = Signal.parse(text);
        if (signal.isEmpty()) {
            s.error("stop_signal", "unknown signal \"" + text + "\"; use a name such as \"TERM\", \"INT\", \"QUIT\" or \"USR1\"");
        } else if (signal.get() == Signal.KILL || signal.get() == Signal.STOP) {
            s.error("stop_signal", "SIG" + signal.get() + " cannot be a stop signal: it gives the worker no"
                    + " chance to finish; lower grace instead");
            return null;
        }
        return signal;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new HashSet<>(a);
        u.addAll(b);
        return Set.copyOf(u);
    }
}
