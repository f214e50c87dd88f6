package dev.tend.config;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What a worker runs: an argument vector executed directly, or a script run by {@code /bin/sh -c}.
 */
public sealed interface Command {

    /** The argument vector to execute. */
    List<String> argv();

    /** The command as written in the configuration, for messages. */
    String display();

    /** Replaces {@code {name}} everywhere, for workers declared by a {@code [lazy.*]} pattern. */
    Command withName(String name);

    /** {@code command = ["prog", "arg"]}: executed directly, no shell. */
    record Exec(List<String> argv) implements Command {
        public Exec {
            argv = List.copyOf(argv);
        }

        @Override
        public String display() {
            return argv.stream().map(Exec::quote).collect(Collectors.joining(" "));
        }

        @Override
        public Command withName(String name) {
            List<String> replaced = new ArrayList<>(argv.size());
            for (String a : argv) {
                replaced.add(a.replace("{name}", name));
            }
            return new Exec(replaced);
        }

        private static String quote(String arg) {
            return arg.isEmpty() || arg.chars().anyMatch(c -> " \t\"'\\$`".indexOf(c) >= 0)
                    ? "'" + arg.replace("'", "'\\''") + "'" : arg;
        }
    }

    /** {@code command = "script"}: run by {@code /bin/sh -c}. */
    record Shell(String script) implements Command {
        public static final String SHELL = "/bin/sh";

        @Override
        public List<String> argv() {
            return List.of(SHELL, "-c", script);
        }

        @Override
        public String display() {
            return script;
        }

        @Override
        public Command withName(String name) {
            return new Shell(script.replace("{name}", name));
        }
    }
}
