package dev.tend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.testing.TendProcess;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The corpus of bad configurations in {@code src/test/resources/bad-configs}: each {@code NAME.toml} begins
 * with {@code # expect: TEXT}, where TEXT is what {@code tend check} must print right after the file's path
 * (its line, key and message, or a beginning of them). Each is checked by a real {@code tend check}, which
 * must exit 2 and print it. To add a case, add a file.
 */
class BadConfigCorpusTest {
    private static final String EXPECT = "# expect: ";

    static Stream<Path> corpus() throws IOException, URISyntaxException {
        Path dir = Path.of(BadConfigCorpusTest.class.getResource("/bad-configs").toURI());
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(p -> p.toString().endsWith(".toml")).sorted().toList();
        }
        assertTrue(files.size() >= 30, "the corpus is in " + dir);
        return files.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void shouldBeRefusedByCheckWithItsMessageAndExitTwo(Path file) throws Exception {
        String first = Files.readAllLines(file).get(0);
        assertTrue(first.startsWith(EXPECT) && first.length() > EXPECT.length(),
                file + " must begin with " + EXPECT + "and the message tend check prints");
        String expected = first.substring(EXPECT.length());
        TendProcess.Result r = TendProcess.run(file.getParent(), "check", "-c", file.toString());
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.stderr().contains("tend: " + file + expected), "expected\n" + file + expected + "\n" + r);
        assertTrue(r.stderr().contains(" in the configuration; nothing was started"), r.toString());
    }
}
