package dev.tend.cli.docs;

import dev.tend.cli.LiveNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * What the completion generators need to know of a command's arguments whose values are live names
 * ({@link LiveNames}): which positions and options take them, and which options take a value at all (to count
 * positions on a command line).
 */
record LiveArguments(List<String> valueOptions, List<Position> positions, List<Option> options) {
    /** Positional parameters {@code min..max} (max: {@link Integer#MAX_VALUE} when unbounded) take {@code query}. */
    record Position(int min, int max, String query) {
        boolean unbounded() {
            return max == Integer.MAX_VALUE;
        }
    }

    /** The option {@code names} takes {@code query}. */
    record Option(List<String> names, String query) {}

    static LiveArguments of(CommandSpec spec) {
        List<String> valueOptions = new ArrayList<>();
        List<Option> options = new ArrayList<>();
        for (OptionSpec option : spec.options()) {
            if (option.arity().max() > 0) {
                valueOptions.addAll(List.of(option.names()));
            }
            query(option).ifPresent(q -> options.add(new Option(List.of(option.names()), q)));
        }
        List<Position> positions = new ArrayList<>();
        for (PositionalParamSpec positional : spec.positionalParameters()) {
            CommandLine.Range index = positional.index();
            query(positional).ifPresent(q -> positions.add(new Position(index.min(),
                    index.isVariable() ? Integer.MAX_VALUE : index.max(), q)));
        }
        return new LiveArguments(List.copyOf(valueOptions), List.copyOf(positions), List.copyOf(options));
    }

    /** What {@code arg} asks the launcher for, if it takes live names. */
    static Optional<String> query(ArgSpec arg) {
        return arg.completionCandidates() instanceof LiveNames live ? Optional.of(live.query()) : Optional.empty();
    }

    boolean isEmpty() {
        return positions.isEmpty() && options.isEmpty();
    }
}
