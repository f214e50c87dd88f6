package dev.tend.cli;

import dev.tend.config.ConfigLoader;
import dev.tend.config.Names;
import dev.tend.instance.RuntimeDirectory;
import dev.tend.protocol.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How a client command finds the running instance it talks to: {@code --name}, else the instance of
 * {@code -c FILE}, else (inside a worker) the instance that started it, else {@code ./tend.toml}.
 */
public final class InstanceOptions {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Talk to the instance running this configuration file (default: ./tend.toml).")
    Path config;

    @Option(names = "--name", paramLabel = "NAME", description = "Talk to the instance with this name.")
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
            return of(ConfigLoader.instanceName(config));
        }
        String socket = System.getenv("TEND_SOCKET");
        if (socket != null && !socket.isEmpty()) {
            return new Target(Path.of(socket), "instance " + System.getenv().getOrDefault("TEND_NAME", "of this worker"));
        }
        Path here = Path.of("tend.toml");
        if (Files.exists(here)) {
            return of(ConfigLoader.instanceName(here));
        }
        throw new UserException(ExitCode.USAGE, "no tend.toml in " + Path.of("").toAbsolutePath()
                + "; pass -c FILE or --name NAME to say which instance");
    }

    private static Target of(String instance) {
        return new Target(RuntimeDirectory.locate(instance, System.getenv()).controlSocket(), "instance " + instance);
    }
}
