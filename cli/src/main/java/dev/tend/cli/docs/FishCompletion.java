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
                String help = option.description().length > 0 ? option.description()[0] : "";
                f.append(" -d '").append(escape(help)).append("'\n");
            }
        }
        return f.toString();
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("'", "\\'");
    }
}
