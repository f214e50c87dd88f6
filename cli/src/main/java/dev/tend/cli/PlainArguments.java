package dev.tend.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The arguments of one command split into options and positional parameters, for the command lines whose
 * meaning under picocli's rules is plain: every option is one the command knows, given once, as
 * {@code --name value}, {@code --name=value} or {@code -n value}, or a flag without a value; options and
 * parameters in any order. Anything else (help or version options, clustered or attached short options,
 * {@code --}, {@code @FILE} argument files, values other than {@code -} that start with {@code -}, a
 * repeated option) is left to picocli, whose answer (often an error with the command's usage) is the one to
 * print.
 */
final class PlainArguments {
    private final Map<String, String> options;
    private final List<String> parameters;

    private PlainArguments(Map<String, String> options, List<String> parameters) {
        this.options = options;
        this.parameters = parameters;
    }

    /**
     * Splits {@code args}; null when picocli must decide.
     *
     * @param names every name of every option of the command, mapped to the option's main name.
     * @param flags the main names of the options that take no value.
     */
    static PlainArguments split(List<String> args, Map<String, String> names, List<String> flags) {
        Map<String, String> options = new HashMap<>();
        List<String> parameters = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.startsWith("@")) {
                return null;
            }
            if (!arg.startsWith("-")) {
                parameters.add(arg);
                continue;
            }
            int equals = arg.indexOf('=');
            String given = equals < 0 ? arg : arg.substring(0, equals);
            String option = given.startsWith("--") || given.length() == 2 ? names.get(given) : null;
            if (option == null || options.containsKey(option)) {
                return null;
            }
            String value;
            if (flags.contains(option)) {
                if (equals >= 0) {
                    return null;
                }
                value = "";
            } else if (equals >= 0 && given.startsWith("--")) {
                value = arg.substring(equals + 1);
            } else if (equals < 0 && i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                return null;
            }
            if ((value.startsWith("-") && !value.equals("-")) || value.startsWith("@")) {
                return null;
            }
            options.put(option, value);
        }
        return new PlainArguments(options, parameters);
    }

    /** Whether the flag (or option) was given. */
    boolean has(String option) {
        return options.containsKey(option);
    }

    /** The value of an option, or {@code otherwise} when it was not given. */
    String value(String option, String otherwise) {
        return options.getOrDefault(option, otherwise);
    }

    /** The positional parameters, in order. */
    List<String> parameters() {
        return parameters;
    }
}
