package dev.tend.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class GlobTest {
    private static final Path BASE = Path.of("/srv/app");

    private static boolean matches(String glob, String path) {
        return Glob.compile(glob).matches(path);
    }

    @Test
    void shouldMatchDoubleStarAsAnyNumberOfDirectoriesNoneIncluded() {
        assertTrue(matches("src/**/*.php", "src/a.php"));
        assertTrue(matches("src/**/*.php", "src/a/b/c.php"));
        assertFalse(matches("src/**/*.php", "src/a.phpx"));
        assertFalse(matches("src/**/*.php", "lib/a.php"));
        assertFalse(matches("src/**/*.php", "x/src/a.php"), "a pattern with a slash is anchored");
        assertTrue(matches("var/**", "var/cache/x"));
    }

    @Test
    void shouldMatchStarAndQuestionMarkWithinOneName() {
        assertTrue(matches("src/*.php", "src/a.php"));
        assertFalse(matches("src/*.php", "src/a/b.php"));
        assertTrue(matches("src/?.php", "src/a.php"));
        assertFalse(matches("src/?.php", "src/ab.php"));
    }

    @Test
    void shouldMatchANameWithoutSlashAtAnyDepth() {
        assertTrue(matches("*.swp", "src/.a.php.swp"));
        assertTrue(matches("*.swp", "a.swp"));
        assertTrue(matches("node_modules", "web/node_modules/x/y.js"), "and everything below a matching directory");
        assertFalse(matches("*.swp", "src/a.php"));
    }

    @Test
    void shouldMatchEverythingBelowADirectoryEntry() {
        assertTrue(matches("config/", "config/app.yaml"));
        assertTrue(matches("config/", "config/packages/x.yaml"));
        assertTrue(matches("./config/", "config/app.yaml"));
        assertFalse(matches("config/", "src/config/app.yaml"), "a trailing slash anchors it");
        assertTrue(matches("composer.json", "composer.json"));
        assertTrue(matches("composer.json", "lib/composer.json"));
        assertFalse(matches("./composer.json", "lib/composer.json"), "./ anchors it");
        assertTrue(matches(".", "anything/at/all"));
    }

    @Test
    void shouldMatchSetsAlternativesAndQuotedCharacters() {
        assertTrue(matches("templates/*.{twig,html}", "templates/a.twig"));
        assertTrue(matches("templates/*.{twig,html}", "templates/a.html"));
        assertFalse(matches("templates/*.{twig,html}", "templates/a.css"));
        assertTrue(matches("log[0-9].txt", "log3.txt"));
        assertFalse(matches("log[!0-9].txt", "log3.txt"));
        assertTrue(matches("log[!0-9].txt", "logx.txt"));
        assertTrue(matches("a\\*b", "a*b"));
        assertFalse(matches("a\\*b", "axb"));
        assertTrue(matches("a+b(c).php", "a+b(c).php"), "regular expression characters are literal");
    }

    @Test
    void shouldMatchPathsAboveTheBaseWhenThePatternSaysSo() {
        assertTrue(matches("../shared/", "../shared/lib.php"));
        assertFalse(matches("../shared/", "shared/lib.php"));
    }

    @Test
    void shouldWatchFromTheFixedPrefixOfEachPattern() {
        assertEquals(new Glob.Root(BASE.resolve("src"), Glob.Reach.TREE), Glob.compile("src/**/*.php").root(BASE));
        assertEquals(new Glob.Root(BASE.resolve("src/a"), Glob.Reach.TREE), Glob.compile("src/a/*.php").root(BASE));
        assertEquals(new Glob.Root(BASE, Glob.Reach.TREE), Glob.compile("*.php").root(BASE), "any depth");
        assertEquals(new Glob.Root(BASE.resolve("config"), Glob.Reach.ENTRY), Glob.compile("config/").root(BASE));
        assertEquals(new Glob.Root(BASE.resolve("composer.json"), Glob.Reach.ENTRY),
                Glob.compile("./composer.json").root(BASE));
        assertEquals(new Glob.Root(BASE, Glob.Reach.TREE), Glob.compile("composer.json").root(BASE), "any depth");
        assertEquals(new Glob.Root(Path.of("/srv/shared"), Glob.Reach.ENTRY), Glob.compile("../shared/").root(BASE));
    }

    @Test
    void shouldRefuseWhatCannotBeAPatternSayingHowToWriteIt() {
        assertTrue(message("").contains("empty pattern"));
        assertTrue(message("/etc/app/").contains("relative to the pool's cwd"));
        assertTrue(message("src/[ab.php").contains("not closed by a ]"));
        assertTrue(message("src/{a,b.php").contains("not closed by a }"));
        assertTrue(message("src/{a,{b}}").contains("cannot be nested"));
        assertTrue(message("src//a").contains("empty name"));
        assertTrue(message("src/../a").contains("may only begin"));
        assertTrue(message("a\\").contains("lone \\"));
    }

    @Test
    void shouldBeEqualWhenWrittenAlike() {
        assertEquals(Glob.compile("src/"), Glob.compile("src/"));
        assertFalse(Glob.compile("src/").equals(Glob.compile("./src/")));
    }

    private static String message(String glob) {
        return assertThrows(IllegalArgumentException.class, () -> Glob.compile(glob)).getMessage();
    }
}
