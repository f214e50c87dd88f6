package dev.tend.cli.shell;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Tab in the console: the commands first, then a command's options (from picocli's model of it), and the live
 * names of what its parameters take: workers, pools and lazy declarations for the commands that take targets,
 * pools for {@code scale}, workers for {@code get}, started lazy workers for {@code require}.
 */
final class NameCompleter implements Completer {
    /** Words that leave the console, offered with the commands. */
    static final List<String> LEAVE = List.of("exit", "quit");

    private final CommandSet commands;
    private final LiveNames names;

    NameCompleter(CommandSet commands, LiveNames names) {
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

    /** What the parameter at {@code position} of {@code command} takes. */
    private List<String> parameter(String command, int position) {
        LiveNames.Names live;
        switch (command) {
            case "start", "stop", "restart", "logs" -> {
                live = names.get();
                List<String> targets = new ArrayList<>(live.pools());
                targets.addAll(live.declarations());
                targets.addAll(live.workers());
                targets.add("all");
                if (command.equals("logs")) {
                    targets.add("tend");
                }
                return targets;
            }
            case "scale" -> {
                return position == 0 ? names.get().pools() : List.of();
            }
            case "get" -> {
                return position == 0 ? names.get().workers() : List.of();
            }
            case "require" -> {
                return names.get().lazy();
            }
            case "help" -> {
                return position == 0 ? commands.names() : List.of();
            }
            default -> {
                return List.of();
            }
        }
    }

    private static Candidate candidate(String value) {
        return new Candidate(value, value, null, null, null, null, true);
    }
}
