package dev.tend.cli.docs;

import dev.tend.cli.Version;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** tend(1) in troff (man) format, generated from the command-line model. */
final class ManPage {
    private ManPage() {}

    static String render(CommandLine cli) {
        CommandSpec root = cli.getCommandSpec();
        StringBuilder m = new StringBuilder();
        m.append(".\\\" Generated from tend's command-line model; do not edit.\n");
        m.append(".TH TEND 1 \"\" \"tend ").append(Version.current()).append("\" \"User Commands\"\n");
        m.append(".SH NAME\ntend \\- ").append(troff(ZshCompletion.firstLine(root))).append('\n');
        m.append(".SH SYNOPSIS\n.B tend\n[\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR...]\n");
        m.append(".SH DESCRIPTION\n");
        m.append("tend runs pools of worker processes and keeps them alive: it replaces workers that fail, with\n");
        m.append("exponential backoff, stops them by closing their stdin (EOF) and killing their process group\n");
        m.append("after a grace period, and lets them publish state into a memory-mapped file that any process\n");
        m.append("can read. The configuration file is described in tend.toml(5); the guide, the configuration\n");
        m.append("reference and the worker contract are installed in share/doc/tend/ under tend's prefix\n");
        m.append("(/usr/local/share/doc/tend/guide.md for a tour).\n");
        m.append(".SH OPTIONS\n");
        options(m, root);
        m.append(".SH COMMANDS\n");
        for (Map.Entry<String, CommandLine> sub : cli.getSubcommands().entrySet()) {
            CommandSpec spec = sub.getValue().getCommandSpec();
            if (spec.usageMessage().hidden() || sub.getKey().equals("help")) {
                continue;
            }
            m.append(".SS \"").append(synopsis(sub.getKey(), spec)).append("\"\n");
            m.append(troff(ZshCompletion.firstLine(spec))).append("\n.PP\n");
            for (String line : spec.usageMessage().description()) {
                m.append(troff(line)).append('\n');
            }
            m.append(".PP\n");
            options(m, spec);
        }
        m.append(".SH EXIT STATUS\n");
        for (String line : root.usageMessage().footer()) {
            if (line.trim().matches("\\d+ .*")) {
                String t = line.trim();
                m.append(".TP\n.B ").append(t, 0, t.indexOf(' ')).append('\n').append(troff(t.substring(t.indexOf(' ') + 1).trim()))
                        .append('\n');
            }
        }
        m.append(".SH ENVIRONMENT\n");
        env(m, "NO_COLOR", "When set, output is never colored.");
        env(m, "TEND_RUNTIME_DIR", "Base directory for instances' runtime directories, an absolute path (default:"
                + " /run/tend for root, else $XDG_RUNTIME_DIR/tend, else a private directory tend-UID under the temporary directory).");
        env(m, "TEND_JAVA, TEND_JAVA_OPTS", "The Java runtime the launcher uses, and extra JVM options.");
        env(m, "TEND_DEBUG", "Print stack traces of internal errors.");
        m.append(".SH FILES\n");
        m.append(".TP\n.I tend.toml\nThe configuration read by default (see tend.toml(5)).\n");
        m.append(".TP\n.I /run/tend/NAME/ or $XDG_RUNTIME_DIR/tend/NAME/\nThe runtime directory of instance NAME"
                + " (mode 0700): control socket, state file, lock; and the status and names files from which the"
                + " launcher answers ps --ready and completes worker, pool and instance names on a Tab, without Java.\n");
        m.append(".SH SEE ALSO\n.BR tend.toml (5),\n.BR systemd.service (5),\n.BR supervisord (1)\n");
        return m.toString();
    }

    private static String synopsis(String name, CommandSpec spec) {
        StringBuilder s = new StringBuilder("tend ").append(name);
        if (!spec.options().isEmpty()) {
            s.append(" [OPTIONS]");
        }
        for (PositionalParamSpec p : spec.positionalParameters()) {
            s.append(' ').append(p.paramLabel()).append(p.arity().max() > 1 ? "..." : "");
        }
        return s.toString();
    }

    private static void options(StringBuilder m, CommandSpec spec) {
        for (OptionSpec option : spec.options()) {
            if (option.hidden()) {
                continue;
            }
            m.append(".TP\n.B ").append(troff(String.join(", ", option.names())));
            if (option.arity().max() > 0) {
                m.append(" \\fI").append(troff(option.paramLabel())).append("\\fR");
            }
            m.append('\n');
            for (String line : option.description()) {
                m.append(troff(line.replace("${DEFAULT-VALUE}", String.valueOf(option.defaultValue())))).append('\n');
            }
        }
    }

    private static void env(StringBuilder m, String name, String text) {
        m.append(".TP\n.B ").append(name).append('\n').append(troff(text)).append('\n');
    }

    private static String troff(String s) {
        String t = s.replace("\\", "\\e").replace("-", "\\-");
        return t.startsWith(".") || t.startsWith("'") ? "\\&" + t : t;
    }
}
