package dev.tend.cli.docs;

import dev.tend.cli.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * tend.toml(5) in troff (man) format, rendered from the keys tables of docs/configuration.md: every section
 * of that page holding a table whose first column is {@code Key} becomes a section of the man page, with one
 * entry per row (key, type, default, meaning) and the paragraph that opens the section. The docs page stays
 * the one place where a key is described; a row added there is in the man page at the next build, and
 * ShippedFilesTest fails until the shipped copy is regenerated.
 */
final class ConfigManPage {
    private static final Pattern HEADING = Pattern.compile("^#{2,3} (.+)$");
    private static final Pattern LINK = Pattern.compile("\\[([^\\]]+)\\]\\([^)]*\\)");
    private static final Pattern BOLD = Pattern.compile("\\*\\*([^*]+)\\*\\*");
    private static final Pattern ITALIC = Pattern.compile("(?<![*\\w])\\*([^*\\s][^*]*)\\*(?![*\\w])");

    private ConfigManPage() {}

    /** One keys table: the heading of its section, the section's opening paragraph, and its rows. */
    record Table(String heading, String lead, List<List<String>> rows) {}

    static String render(String markdown) {
        StringBuilder m = new StringBuilder();
        m.append(".\\\" Generated from docs/configuration.md; do not edit.\n");
        m.append(".TH TEND.TOML 5 \"\" \"tend ").append(Version.current()).append("\" \"File Formats\"\n");
        m.append(".SH NAME\ntend.toml \\- configuration file of tend\n");
        m.append(".SH DESCRIPTION\n");
        m.append("tend reads one TOML 1.0 file, \\fBtend.toml\\fR in the current directory unless \\fB\\-c\\fR\n");
        m.append("\\fIFILE\\fR says otherwise. \\fBtend check\\fR validates it without starting anything; every\n");
        m.append("error names the file, the line and the key. This page lists every key; the full reference, with\n");
        m.append("examples, is configuration.md in tend's documentation (share/doc/tend/ under the prefix tend was\n");
        m.append("installed to, e.g. /usr/local/share/doc/tend/configuration.md).\n");
        m.append(".SH KEYS\n");
        for (Table table : tables(markdown)) {
            m.append(".SS \"").append(escape(table.heading().replace("`", "")).replace("\"", "")).append("\"\n");
            if (!table.lead().isEmpty()) {
                m.append(line(table.lead())).append("\n");
            }
            for (List<String> row : table.rows()) {
                m.append(".TP\n").append(line(row.get(0)));
                String type = row.size() > 1 ? row.get(1).trim() : "";
                String dflt = row.size() > 2 ? row.get(2).trim() : "";
                List<String> facts = new ArrayList<>();
                if (!type.isEmpty()) {
                    facts.add(type);
                }
                if (dflt.equals("required")) {
                    facts.add(dflt);
                } else if (!dflt.isEmpty() && !dflt.equals("—")) {
                    facts.add("default: " + dflt);
                }
                if (!facts.isEmpty()) {
                    m.append(" (").append(inline(String.join("; ", facts))).append(')');
                }
                m.append('\n');
                String meaning = row.size() > 3 ? row.get(3).trim() : "";
                if (!meaning.isEmpty()) {
                    m.append(line(meaning)).append('\n');
                }
            }
        }
        m.append(".SH SEE ALSO\n.BR tend (1)\n");
        return m.toString();
    }

    /** Every keys table of the page, in page order. */
    static List<Table> tables(String markdown) {
        List<Table> tables = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        String heading = null;
        StringBuilder lead = new StringBuilder();
        boolean leadDone = false;
        boolean inCode = false;
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            if (l.startsWith("```")) {
                inCode = !inCode;
                leadDone = true;
                continue;
            }
            if (inCode) {
                continue;
            }
            Matcher h = HEADING.matcher(l);
            if (h.matches()) {
                heading = h.group(1).trim();
                lead.setLength(0);
                leadDone = false;
                continue;
            }
            if (heading != null && l.startsWith("|") && i + 1 < lines.length && lines[i + 1].startsWith("|---")
                    && cells(l).get(0).equals("Key")) {
                List<List<String>> rows = new ArrayList<>();
                i += 2;
                while (i < lines.length && lines[i].startsWith("|")) {
                    rows.add(cells(lines[i]));
                    i++;
                }
                i--;
                tables.add(new Table(heading, lead.toString().trim(), rows));
                leadDone = true;
                continue;
            }
            if (heading != null && !leadDone) {
                if (l.isBlank()) {
                    leadDone = lead.length() > 0;
                } else if (l.startsWith("|")) {
                    leadDone = true;
                } else {
                    lead.append(l).append(' ');
                }
            }
        }
        return tables;
    }

    /** The cells of a table row; a {@code |} inside backticks, or written {@code \|}, is not a separator. */
    static List<String> cells(String row) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean code = false;
        String body = row.trim();
        for (int i = 1; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '`') {
                code = !code;
            } else if (c == '\\' && i + 1 < body.length() && body.charAt(i + 1) == '|') {
                cell.append('|');
                i++;
                continue;
            } else if (c == '|' && !code) {
                cells.add(cell.toString().trim());
                cell.setLength(0);
                continue;
            }
            cell.append(c);
        }
        return cells;
    }

    /** A line of text for troff: safe at the start of a line. */
    private static String line(String markdown) {
        String t = inline(markdown);
        return t.startsWith(".") || t.startsWith("'") ? "\\&" + t : t;
    }

    /** Markdown inline markup to troff: code and bold in bold, emphasis in italics, links as their text. */
    static String inline(String markdown) {
        StringBuilder out = new StringBuilder();
        String[] parts = markdown.split("`", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i % 2 == 1 && i < parts.length - 1) {
                out.append("\\fB").append(escape(parts[i])).append("\\fR");
            } else {
                String text = LINK.matcher(parts[i]).replaceAll("$1");
                text = escape(text);
                text = BOLD.matcher(text).replaceAll("\\\\fB$1\\\\fR");
                text = ITALIC.matcher(text).replaceAll("\\\\fI$1\\\\fR");
                out.append(i % 2 == 1 ? "`" : "").append(text);
            }
        }
        return out.toString();
    }

    private static String escape(String s) {
        return s.replace("\\", "\\e").replace("-", "\\-");
    }
}
