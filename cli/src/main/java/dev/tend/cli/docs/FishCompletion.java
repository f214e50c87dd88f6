package dev.tend.cli.docs;

import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** fish completions generated from the command-line model (picocli has no fish generator yet). */
final class FishCompletion {
    private FishCompletion() {}

    static String render(CommandLine cli) {
        StringBuilder f = new StringBuilder();
        f.append("# fish completions for tend. Generated from tend's command-line model; do not edit.\n");
        f.append("complete -c tend -f\n");
        f.append(LIVE);
        StringBuilder all = new StringBuilder();
        for (String name : cli.getSubcommands().keySet()) {
            all.append(all.length() > 0 ? " " : "").append(name);
        }
        for (Map.Entry<String, CommandLine> sub : cli.getSubcommands().entrySet()) {
            CommandSpec spec = sub.getValue().getCommandSpec();
            if (spec.usageMessage().hidden()) {
                continue;
            }
            f.append("complete -c tend -n 'not __fish_seen_subcommand_from ").append(all).append("' -a ")
                    .append(sub.getKey()).append(" -d '").append(escape(ZshCompletion.firstLine(spec))).append("'\n");
            for (OptionSpec option : spec.options()) {
                if (option.hidden()) {
                    continue;
                }
                f.append("complete -c tend -n '__fish_seen_subcommand_from ").append(sub.getKey()).append("'");
                for (String name : option.names()) {
                    f.append(name.startsWith("--") ? " -l " + name.substring(2) : " -s " + name.substring(1));
                }
                if (option.arity().max() > 0) {
                    f.append(option.type() == Path.class ? " -r -F" : " -r");
                }
                // -f: only the live names, not file names as well.
                LiveArguments.query(option).ifPresent(query -> f.append(" -f -a '(__tend_live ").append(query).append(")'"));
                String help = option.description().length > 0 ? option.description()[0] : "";
                f.append(" -d '").append(escape(help)).append("'\n");
            }
            LiveArguments live = LiveArguments.of(spec);
            for (LiveArguments.Position position : live.positions()) {
                f.append("complete -c tend -n '__fish_seen_subcommand_from ").append(sub.getKey()).append("; and __tend_position ")
                        .append(position.min()).append(' ').append(position.unbounded() ? -1 : position.max());
                for (String option : live.valueOptions()) {
                    f.append(' ').append(option);
                }
                f.append("' -a '(__tend_live ").append(position.query()).append(")'\n");
            }
        }
        return f.toString();
    }

    private static final String LIVE = """
            # Names of the running tend (QUERY: the kinds of names, e.g. pool,lazy,worker,all) or the running instances
            # (QUERY: instances), printed by the launcher: `tend __complete` is a shell script that reads the names
            # file the instance keeps, so no JVM starts on a Tab.
            function __tend_live -a query
                set -l words (commandline -opc)
                if test "$query" = instances
                    $words[1] __complete instances 2>/dev/null
                else
                    $words[1] __complete names $query $words[2..-1] 2>/dev/null
                end
            end
            # Whether the word being completed is the positional parameter MIN to MAX (-1: any after MIN) of the
            # subcommand, counting past VALUE_OPTIONS, the options that take a value.
            function __tend_position -a min max
                set -l value_options $argv[3..-1]
                set -l words (commandline -opc)
                set -l index 0
                set -l value 0
                string match -q -- '-*' (commandline -ct); and return 1
                for word in $words[3..-1]
                    if test $value = 1
                        set value 0
                    else if contains -- $word $value_options
                        set value 1
                    else if not string match -q -- '-*' $word
                        set index (math $index + 1)
                    end
                end
                test $value = 0; and test $index -ge $min; and begin; test $max = -1; or test $index -le $max; end
            end
            """;

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("'", "\\'");
    }
}
