package dev.tend.logfile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.engine.LogLine;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LinePrinterTest {
    private static final byte[] TEXT = {'o', 'k', ' ', (byte) 0xFF, (byte) 0xC3, '(', '\r', (byte) 0xE2, (byte) 0x82};

    private static LogLine line(LogLine.Channel channel) {
        return new LogLine(1, 0, "bin.1", channel, TEXT);
    }

    private static byte[] concat(String before, byte[] text, String after) {
        byte[] head = before.getBytes(StandardCharsets.UTF_8);
        byte[] tail = after.getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(head, head.length + text.length + tail.length);
        System.arraycopy(text, 0, out, head.length, text.length);
        System.arraycopy(tail, 0, out, head.length + text.length, tail.length);
        return out;
    }

    @Test
    void shouldPrintTheWorkersBytesUnchangedAfterThePrefix() {
        LinePrinter plain = new LinePrinter(LinePrinter.Style.PLAIN, 4);
        assertArrayEquals(concat("bin.1 | ", TEXT, "\n"), plain.format(line(LogLine.Channel.STDOUT)));
        LinePrinter journal = new LinePrinter(LinePrinter.Style.JOURNAL, 4);
        assertArrayEquals(concat("<6>bin.1 | ", TEXT, "\n"), journal.format(line(LogLine.Channel.STDERR)));
    }

    @Test
    void shouldColourThePrefixAndKeepTheBytesInBetween() {
        LinePrinter color = new LinePrinter(LinePrinter.Style.COLOR, 4);
        for (LogLine.Channel channel : LogLine.Channel.values()) {
            byte[] out = color.format(line(channel));
            String ansi = new String(out, StandardCharsets.ISO_8859_1);
            String text = new String(TEXT, StandardCharsets.ISO_8859_1);
            int at = ansi.indexOf(text);
            assertTrue(at > 0, channel + ": " + ansi);
            assertTrue(ansi.substring(0, at).contains("bin.1 |") && ansi.substring(0, at).contains("\u001b["), ansi);
            assertTrue(ansi.endsWith("\n") && ansi.indexOf(text, at + 1) < 0, ansi);
        }
    }
}
