package dev.tend.cli;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * The usage help of tend and of each command, rendered by picocli at build time into resources of the jar
 * ({@code HelpPageRenderer}), plain and with ANSI styles: printing it needs none of picocli's model, which
 * is built by reflection over every command and cost several times the JVM's own start-up.
 */
public final class HelpPages {
    /** The page of the root command, {@code tend --help}. */
    public static final String ROOT = "tend";

    private HelpPages() {}

    /** The resource holding a page: {@code NAME} is {@value #ROOT}, a command or an alias. */
    public static String resource(String name, boolean ansi) {
        return "help/" + name + (ansi ? ".ansi" : "") + ".txt";
    }

    /**
     * The page {@code args} ask for ({@code --help}, {@code -h}, {@code help}; {@code help CMD}, {@code CMD
     * --help}, {@code CMD -h}), or null for any other command line.
     */
    static String requested(String[] args) {
        if (args.length == 1) {
            return args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help") ? ROOT : null;
        }
        if (args.length != 2) {
            return null;
        }
        String command = args[0].equals("help") ? args[1]
                : args[1].equals("--help") || args[1].equals("-h") ? args[0] : null;
        return command != null && TendCommand.subcommand(command) != null ? command : null;
    }

    /**
     * Prints a page as picocli would: styled when picocli's automatic detection says the terminal takes ANSI
     * styles. False when the page is not there (a build that did not render them): picocli must print it.
     */
    static boolean print(String name) {
        if (System.getProperty("picocli.usage.width") != null) {
            return false;
        }
        byte[] page;
        try (InputStream in = HelpPages.class.getResourceAsStream(resource(name, styled()))) {
            if (in == null) {
                return false;
            }
            page = in.readAllBytes();
        } catch (IOException e) {
            return false;
        }
        PrintWriter out = PicocliWriters.out();
        out.print(new String(page, StandardCharsets.UTF_8));
        out.flush();
        return true;
    }

    /**
     * Whether picocli would style the help: its automatic detection ({@code Help.Ansi.AUTO}) as it runs on
     * Linux, repeated here because asking picocli loads a score of its classes, which cost more than printing
     * the page. HelpPagesTest compares both answers in the same environments.
     */
    static boolean styled() {
        String ansi = System.getProperty("picocli.ansi");
        if (ansi != null && !ansi.equalsIgnoreCase("auto")) {
            return ansi.equalsIgnoreCase("tty") ? terminal() : ansi.equalsIgnoreCase("true");
        }
        if (System.getenv("NO_COLOR") != null) {
            return false;
        }
        String force = System.getenv("CLICOLOR_FORCE");
        if (force != null && !force.equals("0")) {
            return true;
        }
        if ("0".equals(System.getenv("CLICOLOR")) || "OFF".equals(System.getenv("ConEmuANSI"))) {
            return false;
        }
        return terminal();
    }

    /** Standard input and output are a terminal, as picocli asks the JDK's console. */
    private static boolean terminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // Console.isTerminal, Java 22 and later, where a console can exist without a terminal.
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return true;
        }
    }
}
