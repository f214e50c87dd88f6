package dev.tend.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.testing.ConfigFiles;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a command written with each kind of TOML string becomes: the decoding of the TOML 1.0 specification,
 * written out by hand below. toml4j, the previous parser, changed several of these silently.
 */
class TomlStringsTest {
    @TempDir
    Path dir;

    private Config load(String toml) throws Exception {
        return ConfigFiles.load(dir, toml);
    }

    private String error(String toml) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(toml));
        assertEquals(1, e.errors().size(), e.getMessage());
        return e.errors().get(0).toString();
    }

    @Test
    void shouldDecodeEveryKindOfStringAsTheSpecificationSays() throws Exception {
        String toml;
        try (InputStream in = TomlStringsTest.class.getResourceAsStream("strings.toml")) {
            toml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> argv = load(toml).pools().get("strings").worker().command().argv();
        List<String> expected = List.of(
                "cat",
                "A\nB",
                "C:\\new\\table",
                "\b\t\n\f\r\"\\",
                "tab\\",
                "A\u00e9\uD83D\uDE00",
                "unicode: h\u00e9llo w\u00f6rld \u2713 \uD83D\uDE00",
                "C:\\new\\table",
                "\\u0041 \"quoted\" \\n",
                "first line\nsecond \"line\" A",
                "The quick brown fox jumps.",
                "a b",
                "x\\\ny",
                "two\nlines\twith tab",
                "Here are two quotation marks: \"\". Simple enough.",
                "Here are three quotation marks: \"\"\".",
                "\"This,\" she said, \"is just a pointless statement.\"",
                "raw \\n text\nnext",
                "it's \"here\"");
        assertEquals(expected.size(), argv.size(), argv.toString());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), argv.get(i), "argument " + i);
        }
    }

    @Test
    void shouldReportAnUnknownEscapeWithItsLine() {
        String e = error("[pool.web]\ncommand = [\"cat\", \"a\\xb\"]\n");
        assertTrue(e.startsWith(dir.resolve("tend.toml") + ":2: TOML syntax error: Invalid escape sequence '\\x'"), e);
        assertTrue(e.contains("write \\\\ for a backslash, or use a 'literal string'"), e);
        // Not Unicode scalar values: a lone surrogate, and a code point past U+10FFFF. (A unicode escape with
        // fewer hex digits than it needs is reported the same way, but trips an assert inside tomlj when the JVM
        // runs with assertions on, as tests do.)
        for (String escape : new String[] {"\\uD800", "\\U00110000"}) {
            assertTrue(error("[pool.web]\ncommand = \"" + escape + "\"\n").startsWith(dir.resolve("tend.toml")
                    + ":2: TOML syntax error: Invalid unicode escape sequence (column 12)"), escape);
        }
    }

    @Test
    void shouldReportAnUnterminatedStringWithItsLine() {
        String where = dir.resolve("tend.toml") + ":2: TOML syntax error: ";
        assertTrue(error("[pool.web]\ncommand = \"cat\n").startsWith(where + "Unexpected end of line"));
        // The backslash escapes the closing quote, so the string never ends.
        assertTrue(error("[pool.web]\ncommand = \"tab\\\"\n").startsWith(where + "Unexpected end of line"));
        assertTrue(error("[pool.web]\ncommand = '''cat\ncount = 2\n").startsWith(where
                + "Unterminated value: pool.web.command = ''' … has no closing '''"));
    }

    @Test
    void shouldReportAKeyWithoutValueOnItsLine() {
        assertEquals(dir.resolve("tend.toml") + ":1: x: no value after '='; give one or remove the line",
                error("x =\n[pool.web]\ncommand = [\"cat\"]\n"));
        assertEquals(dir.resolve("tend.toml") + ":3: pool.web.env.A: no value after '='; give one or remove the line",
                error("[pool.web]\ncommand = [\"cat\"]\nenv.A =   # nothing yet\n"));
    }
}
