package dev.tend.cli.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.cli.TendCommand;
import dev.tend.testing.TendProcess;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** What Tab offers in the console, word by word, with the names of a real running instance. */
class NameCompleterTest {
    @TempDir
    static Path dir;

    private static final CommandLine TEND = TendCommand.commandLine();
    private static final List<String> OFFERED = List.of("ps", "start", "stop", "restart", "scale", "logs", "require", "get",
            "help");

    /** The commands of tend itself, as the console's table gives them; running one is not part of completing. */
    private static final CommandSet COMMANDS = new CommandSet() {
        @Override
        public List<String> names() {
            return OFFERED;
        }

        @Override
        public Optional<String> refusal(String name) {
            return Optional.empty();
        }

        @Override
        public int run(List<String> words) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CommandSpec spec(String name) {
            return TEND.getSubcommands().get(name).getCommandSpec();
        }
    };

    private static TendProcess up;
    private static NameCompleter completer;

    @BeforeAll
    static void start() throws Exception {
        up = TendProcess.up(dir, "[pool.web]\ncommand = [\"cat\"]\ncount = 2\n\n[pool.queue]\ncommand = [\"cat\"]\n\n"
                + "[lazy.cache]\npattern = \"cache-*\"\ncommand = [\"cat\"]\n");
        TendProcess.Result require = TendProcess.run(dir, "require", "cache-eu");
        assertEquals(0, require.exitCode(), require.toString());
        completer = new NameCompleter(COMMANDS, new NameCache(TendProcess.instanceDirectory(dir).resolve("control.sock")));
    }

    @AfterAll
    static void stop() {
        up.close();
    }

    private static List<String> complete(String... words) {
        return completer.candidates(List.of(words), words.length - 1);
    }

    @Test
    void shouldOfferCommandsFirst() {
        List<String> first = complete("");
        assertTrue(first.containsAll(List.of("ps", "restart", "logs", "exit", "quit")), first.toString());
    }

    @Test
    void shouldOfferTargetsForTheCommandsThatTakeThem() {
        List<String> targets = List.of("web", "queue", "cache", "web.1", "web.2", "queue.1", "cache-eu", "all");
        assertEquals(targets, complete("restart", ""));
        assertEquals(targets, complete("stop", "--no-wait", "web.1", ""));
        List<String> logs = complete("logs", "-n", "5", "");
        assertEquals(List.of("web", "queue", "cache", "web.1", "web.2", "queue.1", "cache-eu", "tend"), logs,
                "logs takes no 'all', and tend's own lines");
    }

    @Test
    void shouldOfferWhatEachParameterTakes() {
        assertEquals(List.of("web", "queue"), complete("scale", ""));
        assertEquals(List.of(), complete("scale", "web", ""));
        assertEquals(List.of("web.1", "web.2", "queue.1", "cache-eu"), complete("get", ""));
        assertEquals(List.of("web.1", "web.2", "queue.1", "cache-eu", "web", "queue"), complete("require", ""));
        assertEquals(OFFERED, complete("help", ""));
    }

    @Test
    void shouldOfferOptionsButNoNameForAnOptionsValue() {
        List<String> options = complete("ps", "--");
        assertTrue(options.containsAll(List.of("--json", "--ready", "--timeout", "-c", "--config", "--name")), options.toString());
        assertEquals(List.of(), complete("logs", "-n", ""));
        assertEquals(List.of(), complete("restart", "--name", ""));
        assertEquals(List.of(), complete("nosuch", ""));
    }
}
