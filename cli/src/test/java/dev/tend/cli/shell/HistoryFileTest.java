package dev.tend.cli.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryFileTest {
    @TempDir
    Path dir;

    @Test
    void shouldLiveInTheXdgStateDirectoryElseUnderHome() {
        assertEquals(Optional.of(Path.of("/s/tend/history")), HistoryFile.location(Map.of("XDG_STATE_HOME", "/s", "HOME", "/h")));
        assertEquals(Optional.of(Path.of("/h/.local/state/tend/history")),
                HistoryFile.location(Map.of("XDG_STATE_HOME", "relative", "HOME", "/h")));
        assertEquals(Optional.of(Path.of("/h/.local/state/tend/history")), HistoryFile.location(Map.of("HOME", "/h")));
        assertEquals(Optional.empty(), HistoryFile.location(Map.of("HOME", "/")));
        assertEquals(Optional.empty(), HistoryFile.location(Map.of()));
    }

    @Test
    void shouldBeCreatedForItsOwnerAlone() throws Exception {
        Path file = HistoryFile.create(dir.resolve("state/tend/history"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("state"))));
    }

    @Test
    void shouldKeepAnExistingFile() throws Exception {
        Path file = dir.resolve("tend/history");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "1:ps\n");
        HistoryFile.create(file);
        assertEquals("1:ps\n", Files.readString(file));
    }
}
