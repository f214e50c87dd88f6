package dev.tend.cli.shell;

import dev.tend.cli.LiveNames;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Tab in the console: the commands first, then a command's options (from picocli's model of it), and the live
 * names its parameters take, as the model marks them ({@link LiveNames}: targets for start/stop/restart, pools for
 * {@code scale}, workers for {@code get}, …).
 */
final class NameCompleter implements Completer {
    /** Words that leave the console, offered with the commands. */
    static final List<String> LEAVE = List.of("exit", "quit");

    private final CommandSet commands;
    private final NameCache names;

    NameCompleter(CommandSet commands, NameCache names) {
        this.commands = commands;
        this.names = names;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        // A pool of one worker may share its name with the worker: each name is offered once.
        new LinkedHashSet<>(candidates(line.words(), line.wordIndex())).forEach(name -> candidates.add(candidate(name)));
    }

    /** The completions of word {@code index} of {@code words} (the word being typed may be empty). */
    List<String> candidates(List<String> words, int index) {
        if (index == 0) {
            List<String> all = new ArrayList<>(commands.names());
            all.addAll(LEAVE);
            return all;
        }
        String command = words.get(0);
        if (!commands.names().contains(command)) {
            return List.of();
        }
        CommandSpec spec = commands.spec(command);
        String word = index < words.size() ? words.get(index) : "";
        if (word.startsWith("-")) {
            List<String> options = new ArrayList<>();
            for (OptionSpec option : spec.options()) {
                options.addAll(List.of(option.names()));
            }
            return options;
        }
        int position = 0;
        for (int i = 1; i < index; i++) {
            String w = words.get(i);
            if (!w.startsWith("-") || w.equals("-")) {
                position++;
                continue;
            }
            OptionSpec option = w.contains("=") ? null : spec.findOption(w);
            if (option != null && option.arity().max() > 0) {
                if (i == index - 1) {
                    // The word is the option's value (a file, a duration): nothing to offer.
                    return List.of();
                }
                i++;
            }
        }
        return parameter(command, position);
    }

    /**
     * What the parameter at {@code position} of {@code command} takes: the names its {@code completionCandidates}
     * mark ({@link LiveNames}) asks for, the same mark the shells' completion scripts read.
     */
    private List<String> parameter(String command, int position) {
        if (command.equals("help")) {
            return position == 0 ? commands.names() : List.of();
        }
        for (PositionalParamSpec parameter : commands.spec(command).positionalParameters()) {
            if (parameter.index().contains(position)
                    && parameter.completionCandidates() instanceof LiveNames marked) {
                return live(marked.query());
            }
        }
        return List.of();
    }

    /** The names of the kinds in {@code query} ({@code pool,lazy,worker,all,tend}), in that order. */
    private List<String> live(String query) {
        NameCache.Names live = names.get();
        List<String> all = new ArrayList<>();
        for (String kind : query.split(",")) {
            switch (kind) {
                case "pool" -> all.addAll(live.pools());
                case "lazy" -> all.addAll(live.declarations());
                case "worker" -> all.addAll(live.workers());
                case "all", "tend" -> all.add(kind);
                default -> { } // instances: the console talks to one
            }
        }
        return all;
    }

    private static Candidate candidate(String value) {
        return new Candidate(value, value, null, null, null, null, true);
    }
}
