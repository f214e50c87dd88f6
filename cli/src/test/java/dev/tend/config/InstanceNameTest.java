package dev.tend.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.testing.TendProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Client commands read the instance name without a TOML parser, and always read the name tend up uses. */
class InstanceNameTest {
    @TempDir
    Path dir;

    private static Optional<String> declared(String text) {
        return DeclaredName.in(text).map(DeclaredName.Found::name);
    }

    @Test
    void shouldFindTheNameLineBeforeTheFirstTable() {
        assertEquals(Optional.of("shop"), declared("name = \"shop\"\n[pool.web]\ncommand = [\"cat\"]\n"));
        assertEquals(Optional.of("shop"), declared("# comment\r\n  name='shop'   # trailing\r\n"));
        assertEquals(Optional.of("shop"), declared("\"name\" = \"\"\"shop\"\"\"\n"));
        assertEquals(Optional.of("shop"), declared("grace = \"1s\"\nname = '''shop'''\n"));
        assertEquals(Optional.empty(), declared("[pool.web]\nname = \"inside-a-table\"\n"));
        assertEquals(Optional.empty(), declared("x = \"\"\"\nname = \"in-a-string\"\n\"\"\"\n"));
        assertEquals(Optional.empty(), declared("names = \"x\"\n"));
        assertEquals(Optional.of("other"), declared("x = \"\"\"one line\"\"\"\nname = \"other\"\n"));
    }

    @Test
    void shouldFallBackToTheDirectory() throws Exception {
        Path file = dir.resolve("tend.toml");
        Files.writeString(file, "name = \"shop\"\n");
        assertEquals("shop", ConfigLoader.instanceName(file, Map.of()));
        Files.writeString(file, "name = \"my app\"\n");
        assertEquals(dir.getFileName().toString(), ConfigLoader.instanceName(file, Map.of()), "an invalid name");
        Files.write(file, new byte[] {'n', 'a', 'm', 'e', '=', '"', (byte) 0xff, '"'});
        assertEquals(dir.getFileName().toString(), ConfigLoader.instanceName(file, Map.of()), "not UTF-8");
        assertEquals(dir.getFileName().toString(), ConfigLoader.instanceName(dir.resolve("absent.toml"), Map.of()));
    }

    private List<String> errors(String toml) throws Exception {
        Path file = dir.resolve("tend.toml");
        Files.writeString(file, toml);
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of()).load(file));
        return e.errors().stream().map(err -> err.line() + " " + err.key() + ": " + err.message()).toList();
    }

    @Test
    void shouldRefuseANameThatClientsWouldNotRead() throws Exception {
        // An escape, which the quick reading does not decode.
        assertEquals(List.of("1 name: write it as name = \"shop\" on a line of its own, before the first table: client"
                + " commands (tend ps, tend stop, …) read it from there without parsing the file"),
                errors("name = \"sh\\u006fp\"\n[pool.web]\ncommand = [\"/bin/cat\"]\n"));
        // A multi-line string whose first line seems to close it (\""" is an escaped quote and two quotes).
        assertEquals(List.of("3 : this line reads as name = \"evil\" to client commands (tend ps, tend stop, …), which"
                + " find the name without parsing the file, but it is part of another value; reword the line, or"
                + " declare the name before it"),
                errors("fail_fast = false\nenv.NOTE = \"\"\"quote: \\\"\"\"\nname = \"evil\"\n\"\"\"\n"
                        + "[pool.web]\ncommand = [\"/bin/cat\"]\n"));
    }

    @Test
    void shouldNotLoadTheParserInClientCommands() throws Exception {
        Files.writeString(dir.resolve("tend.toml"), "name = \"lookup-test\"\n[pool.web]\ncommand = [\"cat\"]\n");
        Path log = dir.resolve("classes.log");
        TendProcess.Result ps = TendProcess.run(dir, Map.of("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + log),
                "ps", "-c", "tend.toml");
        assertTrue(ps.stderr().contains("lookup-test"), ps.toString());
        String loaded = Files.readString(log);
        assertTrue(loaded.contains("dev.tend.config.ConfigLoader "), "the name was looked up");
        assertFalse(loaded.contains("org.tomlj."), "tomlj loaded by tend ps");
        assertFalse(loaded.contains("org.antlr."), "ANTLR loaded by tend ps");
    }
}
