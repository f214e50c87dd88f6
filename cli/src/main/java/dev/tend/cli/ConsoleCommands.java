package dev.tend.cli;

import dev.tend.cli.shell.CommandSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The commands {@code tend console} offers: the client commands, run by {@link Main#run} in the console's JVM,
 * those that talk to an instance given {@code --name} of the console's unless the line says -c or --name.
 */
final class ConsoleCommands implements CommandSet {
    /** The client commands, in the order the console's help lists them. */
    static final List<String> OFFERED = List.of("ps", "status", "start", "stop", "restart", "scale", "logs", "reload",
            "require", "get", "set", "down", "ls", "help");
    /** Those of them that talk to one instance (they have {@link InstanceOptions}). */
    private static final Set<String> ON_INSTANCE = Set.of("ps", "status", "start", "stop", "restart", "scale", "logs",
            "reload", "require", "get", "down");
    private static final Set<String> CHOOSE_INSTANCE = Set.of("-c", "--config", "--name");
    private static final Set<String> HELP = Set.of("-h", "--help");

    private final String instance;
    private final Map<String, CommandSpec> specs = new HashMap<>();

    /** @param instance the name of the console's instance. */
    ConsoleCommands(String instance) {
        this.instance = instance;
    }

    @Override
    public List<String> names() {
        return OFFERED;
    }

    @Override
    public Optional<String> refusal(String name) {
        if (name.equals("console")) {
            return Optional.of("this is the console already (exit or Ctrl-D leaves it)");
        }
        if (TendCommand.subcommand(name) != null && !OFFERED.contains(name)) {
            return Optional.of("'" + name + "' is not available in the console, which runs only the commands that talk to a"
                    + " running instance; run `tend " + name + "` in a shell");
        }
        return Optional.empty();
    }

    @Override
    public int run(List<String> words) {
        List<String> args = new ArrayList<>(words);
        if (ON_INSTANCE.contains(words.get(0)) && words.stream().noneMatch(ConsoleCommands::choosesInstanceOrHelp)) {
            args.add(1, "--name");
            args.add(2, instance);
        }
        return Main.run(args.toArray(String[]::new));
    }

    /** -c, --name (as {@code --name=X} too), or a request for the command's help, which takes no instance. */
    private static boolean choosesInstanceOrHelp(String word) {
        int equals = word.indexOf('=');
        String option = word.startsWith("--") && equals > 0 ? word.substring(0, equals) : word;
        return CHOOSE_INSTANCE.contains(option) || HELP.contains(word) || word.startsWith("-c") && word.length() > 2;
    }

    @Override
    public CommandSpec spec(String name) {
        return specs.computeIfAbsent(name, n -> new CommandLine(TendCommand.subcommand(n)).getCommandSpec());
    }
}
