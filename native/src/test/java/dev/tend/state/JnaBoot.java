package dev.tend.state;

import com.sun.jna.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * JNA's native stub, unpacked once per test run, so helper JVMs load it from {@code jna.boot.library.path}
 * instead of each unpacking it again from the jar (which costs a temporary file and a SecureRandom).
 */
final class JnaBoot {
    private static Path directory;

    private JnaBoot() {}

    static synchronized Path directory() {
        if (directory == null) {
            try {
                Path dir = Files.createTempDirectory("tend-jna");
                dir.toFile().deleteOnExit();
                String resource = "/com/sun/jna/" + Platform.RESOURCE_PREFIX + "/libjnidispatch.so";
                try (InputStream in = Platform.class.getResourceAsStream(resource)) {
                    if (in == null) {
                        throw new IllegalStateException("no " + resource + " in the JNA jar");
                    }
                    Path library = dir.resolve("libjnidispatch.so");
                    Files.copy(in, library, StandardCopyOption.REPLACE_EXISTING);
                    library.toFile().deleteOnExit();
                }
                directory = dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return directory;
    }
}
