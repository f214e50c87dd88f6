package dev.tend.cli.docs;

import dev.tend.cli.HelpPages;
import dev.tend.cli.TendCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;

/**
 * Renders the usage help that {@link HelpPages} prints, by running picocli's own help for each page, plain
 * and styled. The build writes the pages into the jar's classes ({@code main(CLASSES_DIRECTORY)}); a test
 * fails when the pages on the class path differ from what picocli prints today.
 */
public final class HelpPageRenderer {
    private HelpPageRenderer() {}

    /** The name of every page: {@value HelpPages#ROOT}, then each command and alias. */
    public static List<String> names() {
        List<String> names = new ArrayList<>();
        names.add(HelpPages.ROOT);
        names.addAll(TendCommand.commandLine().getSubcommands().keySet());
        return names;
    }

    /** Resource name → content: every page, plain and styled. */
    public static Map<String, String> render() {
        Map<String, String> pages = new LinkedHashMap<>();
        for (boolean ansi : new boolean[] {false, true}) {
            for (String name : names()) {
                pages.put(HelpPages.resource(name, ansi), name.equals(HelpPages.ROOT) ? help(ansi, "--help")
                        : help(ansi, name, "--help"));
            }
        }
        return pages;
    }

    /** What {@code tend ARGS} prints on standard output. */
    private static String help(boolean ansi, String... args) {
        CommandLine cli = TendCommand.commandLine();
        cli.setColorScheme(CommandLine.Help.defaultColorScheme(ansi ? Ansi.ON : Ansi.OFF));
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out));
        int code = cli.execute(args);
        if (code != 0) {
            throw new IllegalStateException("tend " + String.join(" ", args) + " exited " + code);
        }
        return out.toString();
    }

    /** Writes every page under {@code args[0]}, the directory of the jar's classes. */
    public static void main(String[] args) throws IOException {
        Path root = Path.of(args[0]).resolve(HelpPages.class.getPackageName().replace('.', '/'));
        for (Map.Entry<String, String> page : render().entrySet()) {
            Path target = root.resolve(page.getKey());
            Files.createDirectories(target.getParent());
            Files.writeString(target, page.getValue(), StandardCharsets.UTF_8);
        }
    }
}
