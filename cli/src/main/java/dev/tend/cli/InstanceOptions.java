package dev.tend.cli;

import dev.tend.config.ConfigLoader;
import dev.tend.config.LogicalPath;
import dev.tend.config.Names;
import dev.tend.instance.ConfigRecord;
import dev.tend.instance.OtherConfig;
import dev.tend.instance.RuntimeDirectory;
import dev.tend.protocol.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * How a client command finds the running instance it talks to: {@code --name}, else the instance of
 * {@code -c FILE}, else (inside a worker) the instance that started it, else {@code ./tend.toml}.
 */
public final class InstanceOptions {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Talk to the instance running this configuration file (default: ./tend.toml).")
    Path config;

    @Option(names = "--name", paramLabel = "NAME", completionCandidates = LiveNames.Instances.class,
            description = "Talk to the instance with this name.")
    String name;

    /** The control socket of the instance, and a description of it for messages. */
    public record Target(Path socket, String description) {}

    /** The state file of the instance: like {@link #target()}, but inside a worker it is {@code TEND_STATE}. */
    public Path stateFile() {
        String inside = System.getenv("TEND_STATE");
        if (name == null && config == null && inside != null && !inside.isEmpty()) {
            return Path.of(inside);
        }
        return target().socket().resolveSibling("state");
    }

    public Target target() {
        if (name != null) {
            if (!Names.INSTANCE.isValid(name)) {
                throw new UserException(ExitCode.USAGE, Names.INSTANCE.invalid(name));
            }
            return of(name);
        }
        if (config != null) {
            return ofConfig(config);
        }
        String socket = System.getenv("TEND_SOCKET");
        if (socket != null && !socket.isEmpty()) {
            return new Target(Path.of(socket), "instance " + System.getenv().getOrDefault("TEND_NAME", "of this worker"));
        }
        Path here = Path.of("tend.toml");
        if (Files.exists(here)) {
            return ofConfig(here);
        }
        throw new UserException(ExitCode.USAGE, "no tend.toml in " + Path.of("").toAbsolutePath()
                + "; pass -c FILE or --name NAME to say which instance");
    }

    /**
     * The instance running {@code file}, found by the record it keeps of its file; without one (nothing runs
     * the file, or several instances do) the instance of the name the file gives, as {@code tend up} would
     * name it, which "not running" then names too. Only that case reads the file; and when the instance of
     * that name runs another file (two projects in directories of the same name), it is refused rather than
     * taken for this file's.
     */
    private static Target ofConfig(Path file) {
        Map<String, String> env = System.getenv();
        Optional<RuntimeDirectory> running = ConfigRecord.runningFrom(file, env);
        if (running.isPresent()) {
            return new Target(running.get().controlSocket(), "instance " + running.get().path().getFileName());
        }
        String instance = ConfigLoader.instanceName(file, env);
        RuntimeDirectory dir = RuntimeDirectory.locate(instance, env);
        Optional<Path> other = ConfigRecord.otherThan(dir, file, env);
        if (other.isPresent()) {
            throw new UserException(ExitCode.USAGE,
                    new OtherConfig(instance, other.get(), LogicalPath.absolute(file, env)).clientMessage());
        }
        return new Target(dir.controlSocket(), "instance " + instance);
    }

    private static Target of(String instance) {
        return new Target(RuntimeDirectory.locate(instance, System.getenv()).controlSocket(), "instance " + instance);
    }
}
