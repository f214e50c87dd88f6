package dev.tend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.cli.docs.HelpPageRenderer;
import dev.tend.testing.TendProcess;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The pre-rendered usage help is picocli's, and is printed where and how picocli would print it. */
class HelpPagesTest {
    @TempDir
    Path dir;

    @Test
    void shouldHoldWhatPicocliPrintsToday() throws Exception {
        for (Map.Entry<String, String> page : HelpPageRenderer.render().entrySet()) {
            try (InputStream in = HelpPages.class.getResourceAsStream(page.getKey())) {
                assertNotNull(in, page.getKey() + " is missing: build with mvn process-classes");
                assertEquals(page.getValue(), new String(in.readAllBytes(), StandardCharsets.UTF_8),
                        page.getKey() + " is stale: build with mvn process-classes");
            }
        }
    }

    @Test
    void shouldPrintEveryFormOfHelpAsPicocli() throws Exception {
        for (String[] args : List.of(new String[] {"--help"}, new String[] {"-h"}, new String[] {"help"},
                new String[] {"help", "ps"}, new String[] {"status", "--help"}, new String[] {"get", "-h"},
                new String[] {"help", "help"}, new String[] {"help", "--help"})) {
            StringWriter expected = new StringWriter();
            CommandLine full = TendCommand.commandLine();
            full.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
            full.setOut(new PrintWriter(expected));
            assertEquals(0, full.execute(args));
            TendProcess.Result help = TendProcess.run(dir, args);
            assertEquals(0, help.exitCode(), help.toString());
            assertEquals(expected.toString(), help.stdout(), String.join(" ", args));
            assertEquals("\n", help.stderr(), String.join(" ", args));
        }
    }

    @Test
    void shouldStyleHelpWhenPicocliWould() throws Exception {
        List<Map<String, String>> environments = List.of(Map.of(), Map.of("NO_COLOR", "1"),
                Map.of("CLICOLOR_FORCE", "1"), Map.of("CLICOLOR_FORCE", "0"), Map.of("CLICOLOR_FORCE", "1", "NO_COLOR", ""),
                Map.of("CLICOLOR", "0"), Map.of("CLICOLOR", "1"), Map.of("ConEmuANSI", "OFF"), Map.of("TERM", "dumb"));
        List<String> properties = List.of("", "-Dpicocli.ansi=true", "-Dpicocli.ansi=false", "-Dpicocli.ansi=tty",
                "-Dpicocli.ansi=AUTO");
        for (boolean terminal : new boolean[] {false, true}) {
            for (Map<String, String> environment : environments) {
                check(terminal, environment, "");
            }
            for (String property : properties) {
                check(terminal, Map.of(), property);
            }
        }
    }

    /** Runs {@link AnsiProbe} (under a terminal: through script(1)) and checks both answers agree. */
    private void check(boolean terminal, Map<String, String> environment, String property) throws Exception {
        List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        if (!property.isEmpty()) {
            java.add(property);
        }
        java.add(AnsiProbe.class.getName());
        List<String> command = terminal ? List.of("script", "-qec", quoted(java), "/dev/null") : java;
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        for (String name : List.of("NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "ConEmuANSI", "ANSICON", "TERM")) {
            pb.environment().remove(name);
        }
        pb.environment().putAll(environment);
        Process probe = pb.redirectInput(ProcessBuilder.Redirect.PIPE).start();
        probe.getOutputStream().close();
        String out = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(probe.waitFor(60, TimeUnit.SECONDS));
        String what = (terminal ? "on a terminal" : "not on a terminal") + ", " + environment + " " + property;
        assertTrue(out.startsWith("picocli="), what + ": " + out);
        String picocli = out.substring("picocli=".length(), out.indexOf(' '));
        assertEquals("picocli=" + picocli + " tend=" + picocli, out, what);
    }

    private static String quoted(List<String> words) {
        StringBuilder b = new StringBuilder();
        for (String w : words) {
            b.append(b.length() == 0 ? "" : " ").append('\'').append(w.replace("'", "'\\''")).append('\'');
        }
        return b.toString();
    }

}
