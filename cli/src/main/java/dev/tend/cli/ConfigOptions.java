package dev.tend.cli;

import dev.tend.config.Config;
import dev.tend.config.ConfigException;
import dev.tend.config.ConfigLoader;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code -c/--config}: which configuration file a command reads. */
public final class ConfigOptions {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = "tend.toml",
            description = "Configuration file (default: ${DEFAULT-VALUE} in the current directory).")
    Path file;

    /** Loads and validates the file. */
    public Config load() throws ConfigException {
        return new ConfigLoader(System.getenv()).load(file);
    }
}
