package dev.tend.config;

import dev.tend.text.Human;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code tend.toml} (TOML 1.0) into a {@link Config}, in stages:
 *
 * <ol>
 *   <li>{@link ConfigParser#parse parse}: TOML syntax, keys, types, and each value on its own;
 *   <li>{@link Variables#apply variables}: read the {@code env_file}s, layer the environments, expand
 *       {@code ${VAR}} in the values that take it;
 *   <li>{@link Defaults#apply apply defaults}: top-level and built-in values for what a table leaves out;
 *   <li>{@link ConfigValidator#validate validate}: the rules across values, required keys;
 *   <li>{@link FileSystemCheck#check check the file system}: working directories and programs exist.
 * </ol>
 *
 * <p>Only the reading, variables and file-system stages do I/O: reading the file and its env files, and
 * looking at the directories and programs it names. Every problem found by any stage is reported at once (a
 * TOML syntax error alone, since the rest of the file cannot be read), each with the file, the line and the
 * key.
 */
public final class ConfigLoader {
    /**
     * The largest configuration file tend reads: thirty pools take a few KiB, so a file past this is not a
     * configuration (such as {@code -c /dev/zero}), and is refused before it can fill the memory.
     */
    public static final int MAX_FILE_BYTES = 1 << 20;

    private final Map<String, String> environment;

    /** @param environment the supervisor's environment, the base of every worker's (used to find programs). */
    public ConfigLoader(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /**
     * The instance name a file declares, read leniently and cheaply for client commands that only need to
     * find the running instance: the {@code name = "…"} line if there is a valid one, else the directory's
     * name ({@link LogicalPath}: as named, links not resolved). No TOML parser is loaded; {@link DeclaredName}
     * says why the two readings agree.
     */
    public static String instanceName(Path file, Map<String, String> env) {
        Path absolute = LogicalPath.absolute(file, env);
        try {
            String text = new String(readAll(absolute), StandardCharsets.UTF_8);
            String name = DeclaredName.in(text).map(DeclaredName.Found::name).orElse("");
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
        Path file = LogicalPath.absolute(path, environment);
        String text = read(file);
        Problems problems = new Problems(file);
        ConfigDraft written = ConfigParser.parse(text, problems);
        ConfigDraft expanded = Variables.apply(written, environment, problems);
        ConfigDraft complete = Defaults.apply(expanded);
        ConfigValidator.Validated valid = ConfigValidator.validate(complete, environment);
        new FileSystemCheck(environment).check(valid.launches());
        problems.throwIfAny();
        return valid.config();
    }

    private static String read(Path file) throws ConfigException {
        try {
            byte[] bytes = readAll(file);
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (InputLimit.TooLarge e) {
            throw new ConfigException(List.of(new ConfigError(file, 0, "", "larger than " + Human.bytes(MAX_FILE_BYTES)
                    + ", the most a configuration file may hold; is this the right file?")));
        } catch (NoSuchFileException e) {
            throw new ConfigException(List.of(new ConfigError(file, 0, "",
                    "no such file; create it (see docs/configuration.md) or pass -c FILE")));
        } catch (CharacterCodingException e) {
            throw new ConfigException(List.of(new ConfigError(file, 0, "", "not valid UTF-8 text")));
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigError(file, 0, "", "cannot read: " + e.getMessage())));
        }
    }

    private static byte[] readAll(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return InputLimit.readAll(in, MAX_FILE_BYTES);
        }
    }
}
