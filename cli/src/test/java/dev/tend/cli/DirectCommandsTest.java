package dev.tend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Command lines set up by {@link DirectCommands} are set up as picocli sets them up, field by field, and the
 * ones picocli rejects or reads in another way are left to picocli.
 */
class DirectCommandsTest {
    /** Command lines scripts use, which must not need picocli. */
    private static final List<String> PLAIN = List.of(
            "ps", "status", "ps --json", "ps --ready -c other.toml", "ps --config=a/b.toml --name web",
            "get queue.1", "get queue.1 depth --json", "get --wait 5s queue.1 depth", "get --name=x -c f q k",
            "set a=1 b=2", "set --json -", "set --merge --json={\"a\":\"b\"} c=d", "set",
            "start all", "stop web.1 web.2 --no-wait", "restart -c t.toml web", "restart --rolling web", "restart web.1 --no-wait --rolling", "scale web 3", "scale --no-wait web 50%", "scale --force web 2",
            "reload", "reload -c t.toml", "down --name x", "require db --timeout 5s", "require a b",
            "logs", "logs -f", "logs -n 5 web", "logs --lines=007 --follow web tend", "logs --lines 0",
            "ps --timeout 2s", "down --timeout=500ms", "stop web --timeout 1m", "scale --timeout 0s web 2",
            "reload --timeout 3s", "logs -f --timeout 1s",
            "up", "up -c tend.toml", "up --config=a/b.toml --name web --watch", "up --log-format journal --timestamps",
            "up --log-format=plain -c x.toml");

    /** Command lines that picocli reads differently from the plain rule, or rejects: picocli must see them. */
    private static final List<String> NOT_PLAIN = List.of(
            "ps extra", "ps --json --json", "ps --json=true", "ps -cfile.toml", "ps -c", "ps --name", "ps --",
            "ps -x", "ps @args", "ps --name -x", "ps -c=a.toml", "ps -h", "ps --help", "ps -V", "ps --version",
            "get", "get a b c", "get --wait", "get -- -a", "set -a=1", "set --json", "set --json --merge",
            "start", "stop --no-wait", "restart -- web", "restart --rolling", "restart --rolling=true web", "stop --rolling web", "scale web", "scale web 1 2", "scale web -1",
            "reload x", "down x", "require", "require --timeout", "logs -n", "logs -n5", "logs -fn 5", "logs -n x",
            "logs -n -1", "logs -n 99999999999", "logs --lines=+5",
            "ps --timeout soon", "down --timeout", "check", "up x", "up --log-format", "up --log-format JSON",
            "up --log-format Plain", "up --watch=true", "up -h", "up --timestamps --timestamps", "run -- true", "systemd", "help",
            "up --log-format fancy", "up --log-format=PLAIN", "up --timeout 1s", "up -c a --config b",
            "nosuch", "psx");

    @Test
    void shouldSetUpPlainCommandLinesAsPicocliDoes() throws Exception {
        for (String line : PLAIN) {
            String[] args = args(line);
            Callable<Integer> direct = DirectCommands.parse(args);
            assertNotNull(direct, line + " is plain");
            assertSameFields(line, picocli(args), direct);
        }
    }

    @Test
    void shouldLeaveEveryOtherCommandLineToPicocli() throws Exception {
        for (String line : NOT_PLAIN) {
            assertNull(DirectCommands.parse(args(line)), line);
        }
    }

    @Test
    void shouldAgreeWithPicocliOnEveryCombinationOfPieces() throws Exception {
        List<String> pieces = List.of("-c", "f.toml", "--name", "n", "--json", "--no-wait", "--force", "--rolling", "--merge", "-f",
                "--wait=1s", "-n", "3", "x", "k=v", "-", "--", "@a", "--timeout", "", "--watch", "--timestamps", "--log-format",
                "color");
        int direct = 0;
        for (String command : List.of("ps", "get", "set", "stop", "restart", "scale", "down", "require", "logs", "up")) {
            for (String first : pieces) {
                for (String second : pieces) {
                    for (String third : pieces) {
                        String[] args = {command, first, second, third};
                        Callable<Integer> parsed = DirectCommands.parse(args);
                        if (parsed != null) {
                            direct++;
                            assertSameFields(String.join(" ", args), picocli(args), parsed);
                        }
                    }
                }
            }
        }
        assertEquals(true, direct > 500, "most combinations are plain: " + direct);
    }

    private static String[] args(String line) {
        return line.split(" ");
    }

    /** The command picocli sets up for {@code args}, or null when it rejects them. */
    private static Object picocli(String[] args) {
        CommandLine cli = TendCommand.commandLine(args);
        try {
            CommandLine.ParseResult result = cli.parseArgs(args);
            if (result.subcommand() == null || result.subcommand().isUsageHelpRequested()
                    || result.subcommand().isVersionHelpRequested()) {
                return null;
            }
            return result.subcommand().commandSpec().userObject();
        } catch (CommandLine.ParameterException e) {
            return null;
        }
    }

    private static void assertSameFields(String line, Object expected, Object actual) throws Exception {
        if (expected == null) {
            fail(line + ": picocli rejects it, yet it was set up directly");
        }
        assertEquals(expected.getClass(), actual.getClass(), line);
        for (Field field : fields(expected.getClass())) {
            Object want = field.get(expected);
            Object got = field.get(actual);
            if (want instanceof InstanceOptions || want instanceof AnswerTimeout || want instanceof StartOptions
                    || want instanceof ConfigOptions || want instanceof OutputOptions) {
                assertSameFields(line, want, got);
            } else if (!Objects.equals(want, got)) {
                fail(line + ": " + field.getName() + " is " + got + ", picocli sets " + want);
            }
        }
    }

    private static List<Field> fields(Class<?> type) {
        List<Field> fields = new ArrayList<>();
        for (Class<?> c = type; c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers())) {
                    field.setAccessible(true);
                    fields.add(field);
                }
            }
        }
        return fields;
    }
}
