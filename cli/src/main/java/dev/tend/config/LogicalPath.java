package dev.tend.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A configuration file's absolute path as the user named it, symbolic links left as they are: the instance
 * name derived from its directory, the path read again on reload and the path a systemd unit runs must not
 * change when a deploy swaps a link ({@code current -> releases/5}), so none of them may depend on where the
 * link points today.
 *
 * <p>A relative path starts from the working directory as the shell names it ({@code $PWD}, what
 * {@code pwd} prints), not as the kernel does (the JVM's {@code user.dir}, links resolved): after
 * {@code cd /srv/shop/current}, {@code tend.toml} is {@code /srv/shop/current/tend.toml}. {@code $PWD} is
 * trusted only when it is absolute and leads to the same directory as the real one (a program that changed
 * directory without updating it gets the real one). {@code .} and {@code ..} are removed as text, as
 * {@code cd} does.
 */
public final class LogicalPath {
    private LogicalPath() {}

    /** {@code file} made absolute from the {@link #workingDirectory} and normalized; links not resolved. */
    public static Path absolute(Path file, Map<String, String> env) {
        return (file.isAbsolute() ? file : workingDirectory(env).resolve(file)).normalize();
    }

    /** {@code $PWD} when it names the process's working directory, else the real working directory. */
    public static Path workingDirectory(Map<String, String> env) {
        Path real = Path.of("").toAbsolutePath();
        String pwd = env.get("PWD");
        if (pwd == null || !pwd.startsWith("/")) {
            return real;
        }
        try {
            Path logical = Path.of(pwd).normalize();
            return logical.equals(real) || Files.isSameFile(logical, real) ? logical : real;
        } catch (IOException | InvalidPathException e) {
            // a $PWD that no longer exists, or that cannot be a path: the real directory is the only one we know
            return real;
        }
    }
}
