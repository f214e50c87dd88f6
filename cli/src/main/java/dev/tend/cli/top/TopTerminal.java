package dev.tend.cli.top;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.jline.utils.Display;
import org.jline.utils.InfoCmp.Capability;
import org.jline.utils.NonBlockingReader;

/**
 * The terminal of {@code tend top}, through jline: the alternate screen in raw mode, keys in, lines out (only
 * what changed is redrawn). The terminal is given back as it was (main screen, cursor, echo and line editing)
 * by {@link #close()}, and by a shutdown hook if the JVM ends otherwise (a signal, a crash).
 */
final class TopTerminal implements AutoCloseable {
    /** A key the view acts on. */
    enum Key { UP, DOWN, PAGE_UP, PAGE_DOWN, ENTER, ESCAPE, BACKSPACE, INTERRUPT, CHARACTER, NONE, END }

    /** A key read: its kind, and for {@link Key#CHARACTER} the character. */
    record Press(Key key, char character) {}

    /** How long after an Esc the rest of an escape sequence may come. */
    private static final long SEQUENCE_MILLIS = 50;

    private final Terminal terminal;
    private final Attributes saved;
    private final Display display;
    private final boolean color;
    private final Thread restoreHook = new Thread(this::restore, "tend-top-restore");
    private boolean restored;

    private TopTerminal(Terminal terminal, boolean color) {
        this.terminal = terminal;
        this.color = color;
        this.saved = terminal.enterRawMode();
        Runtime.getRuntime().addShutdownHook(restoreHook);
        terminal.puts(Capability.enter_ca_mode);
        terminal.puts(Capability.keypad_xmit);
        terminal.puts(Capability.cursor_invisible);
        terminal.flush();
        this.display = new Display(terminal, true);
    }

    /**
     * The process's terminal, taken over; empty when stdin or stdout is not one. The JNI provider, else one
     * that runs {@code stty}: never JNA's, which a client does not load.
     */
    static TopTerminal open(boolean color, Runnable interrupted, Runnable resized) throws IOException {
        // jline loads every provider not turned off, whatever the order asked for: JNA's would load JNA.
        Terminal terminal = TerminalBuilder.builder().system(true).providers("jni,exec").jna(false).jansi(false)
                .ffm(false).dumb(true)
                .systemOutput(TerminalBuilder.SystemOutput.SysOut).nativeSignals(true).build();
        if (terminal.getType().startsWith(Terminal.TYPE_DUMB)) {
            terminal.close();
            return null;
        }
        terminal.handle(Terminal.Signal.INT, signal -> interrupted.run());
        terminal.handle(Terminal.Signal.WINCH, signal -> resized.run());
        return new TopTerminal(terminal, color);
    }

    /** The screen's size now: columns and rows. */
    synchronized Size size() {
        Size size = terminal.getSize();
        return new Size(Math.max(20, size.getColumns()), Math.max(5, size.getRows()));
    }

    /** Shows {@code lines}, redrawing only what changed since the last call. */
    synchronized void draw(List<Line> lines, Size size) {
        if (restored) {
            return;
        }
        List<AttributedString> out = new ArrayList<>(lines.size());
        for (Line line : lines) {
            out.add(new AttributedString(line.text(), style(line.style())));
        }
        display.resize(size.getRows(), size.getColumns());
        display.update(out, 0);
        terminal.flush();
    }

    /** After a resize: forget what is on the screen, so the next draw paints all of it. */
    synchronized void clear() {
        display.clear();
    }

    private AttributedStyle style(Line.Style style) {
        AttributedStyle plain = AttributedStyle.DEFAULT;
        return switch (style) {
            case PLAIN -> plain;
            case TITLE, HEADING -> plain.bold();
            case POOL -> color ? plain.bold().foreground(AttributedStyle.CYAN) : plain.bold();
            case SELECTED -> plain.inverse();
            case WARNING -> color ? plain.foreground(AttributedStyle.YELLOW) : plain;
            case FAILED -> color ? plain.foreground(AttributedStyle.RED) : plain.bold();
            case MESSAGE -> color ? plain.foreground(AttributedStyle.GREEN) : plain.bold();
            case DIM -> plain.faint();
        };
    }

    /** The next key, waiting at most {@code timeoutMillis}: {@link Key#NONE} when none came, END at end of input. */
    Press read(long timeoutMillis) throws IOException {
        NonBlockingReader reader = terminal.reader();
        int c = reader.read(timeoutMillis);
        if (c == NonBlockingReader.READ_EXPIRED) {
            return new Press(Key.NONE, ' ');
        }
        if (c < 0) {
            return new Press(Key.END, ' ');
        }
        return switch (c) {
            case '\r', '\n' -> new Press(Key.ENTER, ' ');
            case 3 -> new Press(Key.INTERRUPT, ' ');
            case 127, 8 -> new Press(Key.BACKSPACE, ' ');
            case 27 -> escape(reader);
            default -> new Press(Key.CHARACTER, (char) c);
        };
    }

    /** An escape sequence (arrows, page keys in either keypad mode), or Esc alone. */
    private static Press escape(NonBlockingReader reader) throws IOException {
        int next = reader.peek(SEQUENCE_MILLIS);
        if (next != '[' && next != 'O') {
            return new Press(Key.ESCAPE, ' ');
        }
        reader.read();
        int code = reader.read(SEQUENCE_MILLIS);
        if (code == '5' || code == '6') {
            reader.read(SEQUENCE_MILLIS); // the ~
            return new Press(code == '5' ? Key.PAGE_UP : Key.PAGE_DOWN, ' ');
        }
        return switch (code) {
            case 'A' -> new Press(Key.UP, ' ');
            case 'B' -> new Press(Key.DOWN, ' ');
            default -> new Press(Key.NONE, ' ');
        };
    }

    /** Gives the terminal back as it was. Idempotent; safe from the shutdown hook. */
    private synchronized void restore() {
        if (restored) {
            return;
        }
        restored = true;
        terminal.puts(Capability.cursor_visible);
        terminal.puts(Capability.keypad_local);
        terminal.puts(Capability.exit_ca_mode);
        terminal.flush();
        terminal.setAttributes(saved);
    }

    @Override
    public void close() throws IOException {
        restore();
        try {
            Runtime.getRuntime().removeShutdownHook(restoreHook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down: the hook runs restore() again, which does nothing.
        }
        terminal.close();
    }
}
