package dev.tend.clients;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tend.os.Executables;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the client libraries and their interpreters are; a test is skipped, saying why, without php. */
final class Interpreters {
    /** The source tree's root: the parent of the cli module the tests run in. */
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    private Interpreters() {
    }

    static Path php() {
        return find("php", "php-cli is not installed (apt-get install php-cli php-redis), so the PHP client cannot be tested");
    }

    static Path python() {
        return find("python3", "python3 is not installed, so the Python client cannot be tested");
    }

    static Path redisServer() {
        Path redis = find("redis-server", "redis-server is not installed (apt-get install redis-server)");
        assumeTrue(Files.isExecutable(redis), "redis-server is not installed");
        return redis;
    }

    private static Path find(String command, String why) {
        try {
            return Executables.resolve(command, System.getenv("PATH"), Path.of("/"));
        } catch (Executables.NotExecutableException e) {
            assumeTrue(false, why + ": " + e.getMessage());
            throw new AssertionError("unreachable");
        }
    }
}
