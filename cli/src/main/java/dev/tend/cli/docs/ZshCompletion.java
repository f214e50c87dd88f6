package dev.tend.cli.docs;

import java.io.File;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** A native zsh completion function ({@code _arguments}) generated from the command-line model. */
final class ZshCompletion {
    private ZshCompletion() {}

    static String render(CommandLine cli) {
        StringBuilder z = new StringBuilder();
        z.append("#compdef tend\n");
        z.append("# Generated from tend's command-line model; do not edit.\n\n");
        z.append(LIVE);
        z.append("_tend() {\n");
        z.append("  local -a commands\n");
        z.append("  commands=(\n");
        for (Map.Entry<String, CommandLine> sub : cli.getSubcommands().entrySet()) {
            if (!sub.getValue().getCommandSpec().usageMessage().hidden()) {
                z.append("    '").append(sub.getKey()).append(':').append(escape(firstLine(sub.getValue().getCommandSpec())))
                        .append("'\n");
            }
        }
        z.append("  )\n");
        z.append("  if (( CURRENT == 2 )); then\n");
        z.append("    _describe -t commands 'tend command' commands\n");
        z.append("    return\n");
        z.append("  fi\n");
        z.append("  # Positions count from the subcommand, and _tend_live asks the launcher the user runs.\n");
        z.append("  local tend_launcher=${words[1]} tend_command=${words[2]}\n");
        z.append("  shift words\n");
        z.append("  (( CURRENT-- ))\n");
        z.append("  case $tend_command in\n");
        for (Map.Entry<String, CommandLine> sub : cli.getSubcommands().entrySet()) {
            CommandSpec spec = sub.getValue().getCommandSpec();
            z.append("    ").append(sub.getKey()).append(")\n");
            z.append("      _arguments -s");
            for (OptionSpec option : spec.options()) {
                if (option.hidden()) {
                    continue;
                }
                String help = escape(option.description().length > 0 ? option.description()[0] : "");
                String names = option.names().length == 1 ? option.names()[0]
                        : "{" + String.join(",", option.names()) + "}";
                String value = option.arity().max() > 0 ? ":" + option.paramLabel() + ":" + action(option) : "";
                z.append(" \\\n        ").append(option.names().length == 1 ? "'" + names : names + "'")
                        .append('[').append(help).append(']').append(value).append('\'');
            }
            boolean rest = false;
            for (LiveArguments.Position position : LiveArguments.of(spec).positions()) {
                String where = position.unbounded() ? "*" : String.valueOf(position.min() + 1);
                rest |= position.unbounded();
                z.append(" \\\n        '").append(where).append(':').append(escape(label(spec, position))).append(":_tend_live ")
                        .append(position.query()).append('\'');
            }
            if (!rest) {
                z.append(" \\\n        '*:argument:_default'");
            }
            z.append('\n');
            z.append("      ;;\n");
        }
        z.append("  esac\n");
        z.append("}\n\n");
        z.append("_tend \"$@\"\n");
        return z.toString();
    }

    private static String action(OptionSpec option) {
        if (LiveArguments.query(option).isPresent()) {
            return "_tend_live " + LiveArguments.query(option).get();
        }
        Class<?> type = option.type();
        if (type == Path.class || type == File.class) {
            return "_files";
        }
        if (type.isEnum()) {
            StringBuilder values = new StringBuilder("(");
            for (Object constant : type.getEnumConstants()) {
                values.append(values.length() > 1 ? " " : "").append(constant);
            }
            return values.append(')').toString();
        }
        return " ";
    }

    /** The label of the positional parameter at {@code position}. */
    private static String label(CommandSpec spec, LiveArguments.Position position) {
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (p.index().min() == position.min()) {
                return p.paramLabel();
            }
        }
        return "argument";
    }

    private static final String LIVE = """
            # _tend_live COMPADD_OPTIONS... QUERY: the names of the running tend (QUERY: the kinds of names, e.g.
            # pool,lazy,worker,all) or the running instances (QUERY: instances), printed by the launcher: `tend
            # __complete` is a shell script that reads the names file the instance keeps, so no JVM starts on a Tab.
            # _arguments puts its compadd options after the first word of an action: before QUERY.
            _tend_live() {
              local query=${@[-1]} launcher=$tend_launcher
              local -a names
              set -- "${@[1,-2]}"
              [[ $launcher == '~/'* ]] && launcher=$HOME/${launcher#\\~/}
              if [[ $query == instances ]]; then
                names=(${(f)"$("$launcher" __complete instances 2>/dev/null)"})
              else
                names=(${(f)"$("$launcher" __complete names $query ${(Q)words[1,CURRENT-1]} 2>/dev/null)"})
              fi
              compadd "$@" -a names
            }

            """;

    /** A command's one-line summary: its header, else the first line of its description. */
    static String firstLine(CommandSpec spec) {
        String[] header = spec.usageMessage().header();
        if (header.length > 0) {
            return header[0].replace("%n", "").trim();
        }
        String[] description = spec.usageMessage().description();
        return description.length == 0 ? "" : description[0].replace("%n", "").trim();
    }

    private static String escape(String s) {
        return s.replace("'", "'\\''").replace("[", "\\[").replace("]", "\\]").replace(":", "\\:");
    }
}
