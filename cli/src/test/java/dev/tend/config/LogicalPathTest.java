package dev.tend.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A configuration file's path as the user named it: $PWD when it is the working directory, links kept. */
class LogicalPathTest {
    private static final Path REAL = Path.of("").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void shouldStartFromPwdWhenItIsTheWorkingDirectory() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("current"), REAL);
        Map<String, String> shell = Map.of("PWD", link.toString());
        assertEquals(link, LogicalPath.workingDirectory(shell));
        assertEquals(link.resolve("tend.toml"), LogicalPath.absolute(Path.of("tend.toml"), shell));
        assertEquals(dir.resolve("other.toml"), LogicalPath.absolute(Path.of("./../other.toml"), shell), "as cd does");
        assertEquals("current", Names.instanceFromDirectory(LogicalPath.absolute(Path.of("tend.toml"), shell).getParent()));
    }

    @Test
    void shouldIgnoreAPwdThatIsNotTheWorkingDirectory() {
        assertEquals(REAL, LogicalPath.workingDirectory(Map.of("PWD", dir.toString())), "another directory");
        assertEquals(REAL, LogicalPath.workingDirectory(Map.of("PWD", "relative")));
        assertEquals(REAL, LogicalPath.workingDirectory(Map.of("PWD", dir.resolve("gone").toString())));
        assertEquals(REAL, LogicalPath.workingDirectory(Map.of()));
        assertEquals(dir.resolve("a/tend.toml"), LogicalPath.absolute(dir.resolve("a/./b/../tend.toml"), Map.of()));
    }
}
