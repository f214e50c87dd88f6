package dev.tend.cli.docs;

import java.io.File;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** A native zsh completion function ({@code _arguments}) generated from the command-line model. */
final class ZshCompletion {
    private ZshCompletion() {}

    static String render(CommandLine cli) {
        StringBuilder z = new StringBuilder();
        z.append("#compdef tend\n");
        z.append("# Generated from tend's command-line model; do not edit.\n\n");
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
        z.append("  case ${words[2]} in\n");
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
            z.append(" \\\n        '*:argument:_default'\n");
            z.append("      ;;\n");
        }
        z.append("  esac\n");
        z.append("}\n\n");
        z.append("_tend \"$@\"\n");
        return z.toString();
    }

    private static String action(OptionSpec option) {
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
