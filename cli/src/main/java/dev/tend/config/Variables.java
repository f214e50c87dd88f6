package dev.tend.config;

import dev.tend.config.ConfigDraft.Worker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tomlj.TomlArray;
import org.tomlj.TomlTable;

/**
 * The stage between parsing and defaults: each table's variables, layered and expanded. From the lowest
 * precedence to the highest: tend's environment, the top-level {@code env_file}s, the top-level {@code [env]},
 * a pool's (or lazy declaration's) {@code env_file}s, its {@code env}. Each layer's values may refer to the
 * layers below it ({@code PATH = "${PATH}:/opt/bin"}); a value in an env file also to the values before it in
 * the same file and the files before it. The array form of {@code command} and {@code cwd} are then expanded
 * against the whole merged environment; a command string is left to its shell ({@code /bin/sh -c}), which
 * expands it against the same environment when the worker starts.
 *
 * <p>A table's {@code env} in the result holds every configured layer (all but tend's own environment), so
 * {@link Defaults} has nothing left to merge. Reads the env files (the only I/O); every problem is reported
 * with its file, line and key. Another string key of a table opts into expansion in {@link #table}, as
 * {@code cwd} does: {@link Interpolation#expandKey} with {@link #lookup} of the table's merged variables.
 */
final class Variables {
    private static final Set<String> FILE_ENTRY_KEYS = Set.of("path", "required");

    /** tend's environment, without the {@code TEND_*} variables an enclosing tend gave it. */
    private final Map<String, String> environment;
    private final Path directory;
    private final Problems problems;
    private final Map<Path, Optional<DotEnv.Parsed>> read = new HashMap<>();
    private final Map<Path, String> readProblems = new HashMap<>();
    private final Set<String> reported = new HashSet<>();

    private Variables(Map<String, String> environment, Path directory, Problems problems) {
        Map<String, String> base = new HashMap<>();
        environment.forEach((k, v) -> {
            if (!k.startsWith("TEND_")) {
                base.put(k, v);
            }
        });
        this.environment = base;
        this.directory = directory;
        this.problems = problems;
    }

    static ConfigDraft apply(ConfigDraft draft, Map<String, String> environment, Problems problems) {
        Variables v = new Variables(environment, draft.directory(), problems);
        Worker top = draft.defaults();
        Map<String, String> topVariables = v.layers(top, Map.of());
        Worker topDone = top.withVariables(top.command(), top.cwd(), topVariables);
        List<ConfigDraft.Pool> pools = new ArrayList<>();
        for (ConfigDraft.Pool pool : draft.pools()) {
            pools.add(new ConfigDraft.Pool(pool.name(), pool.count(), v.table(pool.worker(), topVariables)));
        }
        List<ConfigDraft.Lazy> lazy = new ArrayList<>();
        for (ConfigDraft.Lazy l : draft.lazy()) {
            lazy.add(new ConfigDraft.Lazy(l.name(), l.pattern(), l.max(), v.table(l.worker(), topVariables)));
        }
        return new ConfigDraft(draft.file(), draft.top(), draft.name(), draft.failFast(), topDone, pools, lazy,
                draft.maxSnapshotBytes());
    }

    /** A variable's value as a table sees it: its merged variables over tend's environment. */
    static String lookup(Map<String, String> environment, Map<String, String> merged, String name) {
        return merged.containsKey(name) ? merged.get(name) : name.startsWith("TEND_") ? null : environment.get(name);
    }

    private Worker table(Worker w, Map<String, String> topVariables) {
        Section where = w.where();
        Map<String, String> merged = layers(w, topVariables);
        Optional<Command> command = w.command();
        if (command.isPresent() && command.get() instanceof Command.Exec exec) {
            List<String> argv = new ArrayList<>();
            for (String arg : exec.argv()) {
                Optional<String> expanded = Interpolation.expandKey(where, "command", arg,
                        name -> lookup(environment, merged, name));
                if (expanded.isEmpty()) {
                    command = Optional.empty();
                    break;
                }
                argv.add(expanded.get());
            }
            if (command.isPresent()) {
                command = Optional.of(new Command.Exec(argv));
            }
        }
        Optional<String> cwd = w.cwd().flatMap(text -> Interpolation.expandKey(where, "cwd", text,
                name -> lookup(environment, merged, name)));
        return w.withVariables(command, cwd, merged);
    }

    /** {@code below}, then the table's env files, then its {@code env} table, each expanded over what is below. */
    private Map<String, String> layers(Worker w, Map<String, String> below) {
        Map<String, String> merged = new LinkedHashMap<>(below);
        merged.putAll(envFiles(w.where(), below));
        Map<String, String> underEnv = Map.copyOf(merged);
        // A value of env that is not a table was reported by the parser, which then gave no variables.
        Section env = w.where().raw("env") instanceof TomlTable ? w.where().table("env") : null;
        w.env().forEach((key, value) -> {
            Section at = env == null ? w.where() : env;
            Interpolation.expandKey(at, env == null ? "env" : key, value, name -> lookup(environment, underEnv, name))
                    .ifPresent(expanded -> merged.put(key, expanded));
        });
        return merged;
    }

    /** The variables of a table's {@code env_file} key, later files over earlier ones. */
    private Map<String, String> envFiles(Section where, Map<String, String> below) {
        Map<String, String> values = new LinkedHashMap<>();
        for (EnvFile file : declared(where)) {
            Path path = directory.resolve(file.path()).normalize();
            Optional<DotEnv.Parsed> parsed = read(where, file, path);
            if (parsed.isEmpty()) {
                continue;
            }
            for (DotEnv.Entry entry : parsed.get().entries()) {
                String value = entry.value();
                if (entry.expand()) {
                    try {
                        value = Interpolation.expand(value, name -> values.containsKey(name) ? values.get(name)
                                : lookup(environment, below, name));
                    } catch (Interpolation.Failure e) {
                        reportOnce(path, entry.line(), entry.key(), e.getMessage());
                        continue;
                    }
                }
                values.put(entry.key(), value);
            }
        }
        return values;
    }

    private record EnvFile(String path, boolean required) {}

    /** The files {@code env_file} names: a path, or a list of paths and {@code { path = …, required = false }}. */
    private static List<EnvFile> declared(Section where) {
        Object raw = where.raw("env_file");
        List<EnvFile> files = new ArrayList<>();
        if (raw == null) {
            return files;
        }
        if (raw instanceof String path) {
            files.add(new EnvFile(path, true));
            return files;
        }
        if (raw instanceof TomlArray array) {
            for (int i = 0; i < array.size(); i++) {
                Object element = array.get(i);
                if (element instanceof String path) {
                    files.add(new EnvFile(path, true));
                } else if (element instanceof TomlTable table && table.get("path") instanceof String path
                        && FILE_ENTRY_KEYS.containsAll(table.keySet())
                        && (table.get("required") == null || table.get("required") instanceof Boolean)) {
                    files.add(new EnvFile(path, !Boolean.FALSE.equals(table.get("required"))));
                } else {
                    where.error("env_file", "element " + (i + 1) + " must be a path (\".env\") or { path = \".env.local\","
                            + " required = false }, not " + Section.typeName(element) + (element instanceof TomlTable
                            ? " with the keys " + String.join(", ", ((TomlTable) element).keySet()) : ""));
                }
            }
            return files;
        }
        where.error("env_file", "must be a path (\".env\") or a list of them ([\".env\", { path = \".env.local\","
                + " required = false }]), not " + Section.typeName(raw));
        return files;
    }

    /** A file's entries; empty (reported, unless it is optional and missing) when it cannot be read. */
    private Optional<DotEnv.Parsed> read(Section where, EnvFile file, Path path) {
        if (!read.containsKey(path)) {
            read.put(path, load(path));
        }
        Optional<DotEnv.Parsed> parsed = read.get(path);
        if (parsed.isEmpty()) {
            String why = readProblem(path);
            if (file.required() || !why.startsWith("no such file")) {
                where.error("env_file", why + (why.startsWith("no such file") ? "; create it, or mark it optional: {"
                        + " path = \"" + file.path() + "\", required = false }" : ""));
            }
        }
        return parsed;
    }

    private String readProblem(Path path) {
        return readProblems.getOrDefault(path, "cannot read " + path);
    }

    private Optional<DotEnv.Parsed> load(Path path) {
        String text;
        try (InputStream in = Files.newInputStream(path)) {
            byte[] bytes = InputLimit.readAll(in, ConfigLoader.MAX_FILE_BYTES);
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            readProblems.put(path, "no such file: " + path);
            return Optional.empty();
        } catch (InputLimit.TooLarge e) {
            readProblems.put(path, path + " is larger than 1 MiB, the most an env file may hold");
            return Optional.empty();
        } catch (CharacterCodingException e) {
            readProblems.put(path, path + " is not valid UTF-8 text");
            return Optional.empty();
        } catch (IOException e) {
            readProblems.put(path, "cannot read " + path + ": " + e.getMessage());
            return Optional.empty();
        }
        DotEnv.Parsed parsed = DotEnv.parse(text);
        for (DotEnv.Problem p : parsed.problems()) {
            reportOnce(path, p.line(), p.key(), p.message());
        }
        return Optional.of(parsed);
    }

    /** An env file shared by several tables is read for each: its problems are said once. */
    private void reportOnce(Path file, int line, String key, String message) {
        if (reported.add(file + ":" + line + ":" + key + ":" + message)) {
            problems.addIn(file, line, key, message);
        }
    }
}
