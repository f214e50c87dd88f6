package dev.tend.logfile;

import dev.tend.engine.LogLine;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * Formats one output line: {@code queue.2 | text}, the source padded so that the bars line up, colored
 * by source on a terminal. In journal mode each line starts with the sd-daemon priority prefix
 * ({@code <6>}, {@code <4>}, {@code <3>}) so journald files tend's warnings and errors at their priority.
 * With time stamps, each line but a journal's (journald stamps its own) starts with the time tend read it.
 */
public final class LinePrinter {
    /** How lines are decorated. */
    public enum Style {
        PLAIN, COLOR, JOURNAL
    }

    private static final int[] PALETTE = {
        AttributedStyle.CYAN, AttributedStyle.GREEN, AttributedStyle.MAGENTA, AttributedStyle.BLUE,
        AttributedStyle.YELLOW, AttributedStyle.CYAN + AttributedStyle.BRIGHT, AttributedStyle.GREEN + AttributedStyle.BRIGHT,
        AttributedStyle.MAGENTA + AttributedStyle.BRIGHT, AttributedStyle.BLUE + AttributedStyle.BRIGHT,
    };

    /** Stands for the text while the coloured frame is rendered; never appears in a line itself. */
    private static final char MARK = '\uE000';

    private final Style style;
    private final LogTime time;
    private volatile int width;

    public LinePrinter(Style style, int width) {
        this(style, width, false);
    }

    /** {@code timestamps}: each line starts with its time ({@code tend up --timestamps}). */
    public LinePrinter(Style style, int width, boolean timestamps) {
        this.style = style;
        this.width = width;
        this.time = timestamps && style != Style.JOURNAL ? new LogTime() : null;
    }

    /** Makes room for sources up to {@code length} characters (names of workers started later). */
    public void widen(int length) {
        if (length > width) {
            width = length;
        }
    }

    public Style style() {
        return style;
    }

    /**
     * The formatted line, with its newline: tend's prefix (and colours), then the line's bytes exactly as
     * the worker wrote them, whether or not they are UTF-8.
     */
    public byte[] format(LogLine line) {
        String source = time == null ? pad(line.source()) : stamp(line.epochMillis()) + " " + pad(line.source());
        String before;
        String after;
        switch (style) {
            case COLOR -> {
                AttributedStringBuilder b = new AttributedStringBuilder();
                b.style(sourceStyle(line)).append(source).append(" |").style(AttributedStyle.DEFAULT).append(' ');
                if (line.channel() == LogLine.Channel.ERROR) {
                    b.style(AttributedStyle.DEFAULT.foreground(AttributedStyle.RED));
                } else if (line.channel() == LogLine.Channel.WARNING) {
                    b.style(AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW));
                }
                // A zero-width mark where the text goes: toAnsi() places the escape codes around it.
                String ansi = b.append(MARK).style(AttributedStyle.DEFAULT).toAnsi();
                int at = ansi.indexOf(MARK);
                before = ansi.substring(0, at);
                after = ansi.substring(at + 1);
            }
            case JOURNAL -> {
                before = "<" + priority(line.channel()) + ">" + source + " | ";
                after = "";
            }
            default -> {
                before = source + " | ";
                after = "";
            }
        }
        return line.framed(before, after);
    }

    /** sd-daemon(3) priorities: notice 5 for tend's own notices, info 6 for worker output. */
    private static int priority(LogLine.Channel channel) {
        return switch (channel) {
            case ERROR -> 3;
            case WARNING -> 4;
            case NOTICE -> 5;
            default -> 6;
        };
    }

    private AttributedStyle sourceStyle(LogLine line) {
        if (line.channel().fromTend()) {
            return AttributedStyle.BOLD;
        }
        String pool = line.source();
        int dot = pool.lastIndexOf('.');
        if (dot > 0) {
            pool = pool.substring(0, dot);
        }
        return AttributedStyle.DEFAULT.foreground(PALETTE[Math.floorMod(pool.hashCode(), PALETTE.length)]);
    }

    // The loop formats lines, and the output writer its reports of a log file that failed.
    private String stamp(long epochMillis) {
        synchronized (time) {
            return time.format(epochMillis);
        }
    }

    private String pad(String source) {
        int w = width;
        if (source.length() >= w) {
            return source;
        }
        return source + " ".repeat(w - source.length());
    }
}
