package dev.tend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.tend.testing.TendProcess;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line built for one subcommand behaves as the one holding every subcommand. */
class TendCommandTest {
    private static final CommandLine FULL = TendCommand.commandLine();

    @TempDir
    Path dir;

    @Test
    void shouldCreateTheCommandOfEveryNameAndAliasInHelpOrder() {
        for (Map.Entry<String, CommandLine> sub : FULL.getSubcommands().entrySet()) {
            Object created = TendCommand.subcommand(sub.getKey());
            assertSame(sub.getValue().getCommand().getClass(), created == null ? null : created.getClass(),
                    sub.getKey());
        }
        assertEquals(TendCommand.SUBCOMMANDS, FULL.getSubcommands().values().stream().distinct()
                .map(CommandLine::getCommandName).toList());
        assertNull(TendCommand.subcommand("tend"));
    }

    @Test
    void shouldBuildOnlyTheSubcommandNamed() {
        assertEquals(Set.of("ps", "status"), subcommands("status", "--json"));
        assertEquals(Set.of("help", "ps", "status"), subcommands("help", "ps"));
        assertEquals(Set.of("help"), subcommands("help", "help"));
        assertEquals(FULL.getSubcommands().keySet(), subcommands("--help"));
        assertEquals(FULL.getSubcommands().keySet(), subcommands());
        assertEquals(FULL.getSubcommands().keySet(), subcommands("psx"), "an unknown command gets suggestions");
        assertEquals(FULL.getSubcommands().keySet(), subcommands("help"));
        assertEquals(FULL.getSubcommands().keySet(), subcommands("help", "psx"));
        assertEquals(FULL.getSubcommands().keySet(), subcommands("help", "ps", "get"));
    }

    private static Set<String> subcommands(String... args) {
        return TendCommand.commandLine(args).getSubcommands().keySet();
    }

    @Test
    void shouldPrintTheUsageOfTheFullModel() {
        for (String name : FULL.getSubcommands().keySet()) {
            for (CommandLine.Help.Ansi ansi : CommandLine.Help.Ansi.values()) {
                String full = FULL.getSubcommands().get(name).getUsageMessage(ansi);
                assertEquals(full, TendCommand.commandLine(new String[] {name}).getSubcommands().get(name)
                        .getUsageMessage(ansi), name);
                assertEquals(full, TendCommand.commandLine(new String[] {"help", name}).getSubcommands().get(name)
                        .getUsageMessage(ansi), "help " + name);
            }
        }
    }

    @Test
    void shouldPrintTheVersionAsPicocliWould() throws Exception {
        StringWriter expected = new StringWriter();
        CommandLine full = TendCommand.commandLine();
        full.setOut(new PrintWriter(expected));
        assertEquals(0, full.execute("--version"));
        for (String option : new String[] {"--version", "-V"}) {
            TendProcess.Result version = TendProcess.run(dir, option);
            assertEquals(0, version.exitCode(), version.toString());
            assertEquals(expected.toString(), version.stdout());
            assertEquals("\n", version.stderr());
        }
    }

    @Test
    void shouldSuggestTheNearestCommandForAMistypedOne() throws Exception {
        TendProcess.Result typo = TendProcess.run(dir, "stpo");
        assertEquals(2, typo.exitCode(), typo.toString());
        assertEquals("tend: error: unknown command 'stpo'; did you mean 'tend stop'? (tend help lists the commands)\n",
                typo.stderr());
        TendProcess.Result far = TendProcess.run(dir, "xyzzy", "--json");
        assertEquals(2, far.exitCode(), far.toString());
        assertEquals("tend: error: unknown command 'xyzzy' (tend help lists the commands)\n", far.stderr());
    }
}
