package dev.tend.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LogBookTest {
    private final LogBook book = new LogBook();
    private long sequence;

    private void write(String source, int lines, int size) {
        byte[] text = new byte[size];
        Arrays.fill(text, (byte) 'x');
        for (int i = 0; i < lines; i++) {
            book.add(new LogLine(++sequence, 0, source, LogLine.Channel.STDOUT, text));
        }
    }

    private long bytesKept() {
        return book.recent(l -> true, Integer.MAX_VALUE).stream().mapToLong(l -> l.bytes().length).sum();
    }

    @Test
    void shouldKeepTheLastLinesOfAFewWorkersUpToTheirOwnLimit() {
        write("a.1", 1000, 1024);
        write("b.1", 10, 100);
        assertEquals(OutputTail.MAX_BYTES, book.tail("a.1").lines().size() * 1024L);
        assertEquals(10, book.tail("b.1").lines().size());
    }

    @Test
    void shouldShareOneBudgetAmongManyChattyWorkers() {
        for (int w = 1; w <= 1000; w++) {
            write("pool." + w, 300, 1024);
        }
        assertTrue(bytesKept() <= LogBook.TOTAL_BYTES, bytesKept() + " bytes kept");
        long share = LogBook.TOTAL_BYTES / 1000;
        assertEquals(share, book.bytesPerTail());
        assertEquals(share / 1024, book.tail("pool.1").lines().size(), "the first ones gave back too");
        for (int w = 1; w <= 990; w++) {
            book.forget("pool." + w);
        }
        assertEquals(OutputTail.MAX_BYTES, book.bytesPerTail(), "a share grows again as workers go");
    }
}
