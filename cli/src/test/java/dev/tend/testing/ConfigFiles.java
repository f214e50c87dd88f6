package dev.tend.testing;

import dev.tend.config.Config;
import dev.tend.config.ConfigException;
import dev.tend.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Configuration files for tests: written into a directory, then loaded as {@code tend up} loads them. */
public final class ConfigFiles {
    /** A PATH that finds the system's programs ({@code cat}, {@code sh}) wherever the tests run. */
    private static final Map<String, String> ENVIRONMENT = Map.of("PATH", "/usr/bin:/bin");

    private ConfigFiles() {}

    /** Writes {@code toml} to {@code dir/tend.toml} and loads it. */
    public static Config load(Path dir, String toml) throws IOException, ConfigException {
        Path file = dir.resolve("tend.toml");
        Files.writeString(file, toml);
        return new ConfigLoader(ENVIRONMENT).load(file);
    }
}
