package dev.tend.cli.shell;

import dev.tend.config.Suggestions;
import dev.tend.protocol.ExitCode;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import org.jline.reader.EOFError;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;
import org.jline.reader.SyntaxError;
import org.jline.reader.impl.DefaultParser;
import picocli.CommandLine.Model.CommandSpec;

/**
 * One line typed into the console, whether it came from a terminal or a pipe: split into words as a shell
 * would (quotes, backslashes), then leave, help, refuse, or run as {@code tend WORDS}.
 */
public final class Shell {
    /** What a line led to. */
    public sealed interface Outcome {
        /** Go on reading; {@code code} is the command's exit code, or 2 for a line refused before running. */
        record Ran(int code) implements Outcome {}

        /** A blank line or a comment ({@code # …}): nothing ran. */
        record Blank() implements Outcome {}

        /** {@code exit} or {@code quit}. */
        record Leave() implements Outcome {}
    }

    private final CommandSet commands;
    private final NameCache names;
    private final PrintStream out;
    private final PrintStream err;
    /** An unclosed quote is an error in a piped line; on a terminal, jline asks for the rest of the line. */
    private final Parser parser = new DefaultParser().eofOnUnclosedQuote(true);

    public Shell(CommandSet commands, NameCache names, PrintStream out, PrintStream err) {
        this.commands = commands;
        this.names = names;
        this.out = out;
        this.err = err;
    }

    /** The parser lines are split with; a terminal's line reader uses the same. */
    Parser parser() {
        return parser;
    }

    /** Splits {@code line} into words and runs it. */
    public Outcome execute(String line) {
        List<String> words;
        try {
            words = parser.parse(line, line.length(), Parser.ParseContext.ACCEPT_LINE).words();
        } catch (EOFError e) {
            return fail("unclosed quote in: " + line.strip());
        } catch (SyntaxError e) {
            return fail(e.getMessage() + " in: " + line.strip());
        }
        return execute(words.stream().filter(w -> !w.isEmpty()).toList());
    }

    /** Runs a line already split into words: a parsed line from the terminal. */
    Outcome execute(ParsedLine line) {
        return execute(line.words().stream().filter(w -> !w.isEmpty()).toList());
    }

    private Outcome execute(List<String> words) {
        if (words.isEmpty() || words.get(0).startsWith("#")) {
            return new Outcome.Blank();
        }
        String command = words.get(0);
        if (command.equals("exit") || command.equals("quit")) {
            return new Outcome.Leave();
        }
        if (command.equals("help") && words.size() == 1) {
            help();
            return new Outcome.Ran(ExitCode.OK.code());
        }
        Optional<String> refusal = commands.refusal(command);
        if (refusal.isPresent()) {
            return fail(refusal.get());
        }
        if (!commands.names().contains(command)) {
            String nearest = Suggestions.nearest(command, commands.names());
            return fail("unknown command '" + command + "'" + (nearest == null ? "" : "; did you mean '" + nearest + "'?")
                    + " (help lists the commands)");
        }
        int code;
        try {
            code = commands.run(words);
        } finally {
            out.flush();
            err.flush();
            // Whatever the command did, the names may have changed (restart, scale, require, reload).
            names.forget();
        }
        return new Outcome.Ran(code);
    }

    private Outcome.Ran fail(String message) {
        err.println("tend: error: " + message);
        err.flush();
        return new Outcome.Ran(ExitCode.USAGE.code());
    }

    private void help() {
        out.println("Commands (as `tend COMMAND`, without `tend` and without -c or --name: they talk to this instance):");
        int width = commands.names().stream().mapToInt(String::length).max().orElse(0);
        for (String name : commands.names()) {
            CommandSpec spec = commands.spec(name);
            if (!spec.name().equals(name)) {
                continue; // an alias (status), listed under its command
            }
            String[] header = spec.usageMessage().header();
            out.printf("  %-" + width + "s  %s%n", name, header.length > 0 ? header[0] : "");
        }
        out.printf("  %-" + width + "s  %s%n", "exit", "Leave the console (also quit, or Ctrl-D).");
        out.println("help COMMAND (or COMMAND --help) shows a command's options. Tab completes commands, options and");
        out.println("the names of workers and pools; Ctrl-C cancels the line, or ends a running command such as logs -f.");
        out.flush();
    }
}
