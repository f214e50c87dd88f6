package dev.tend.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
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
            write("pool." + w, 40, 1024);
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

    @Test
    void shouldGiveBackEveryLineAsItWasAcrossTheRingsWrapAndGrowth() {
        OutputTail tail = new OutputTail("w.1");
        List<LogLine> added = new ArrayList<>();
        Random random = new Random(3);
        for (int i = 0; i < 3000; i++) {
            byte[] text = new byte[random.nextInt(i % 100 == 0 ? 3000 : 120)];
            random.nextBytes(text);
            LogLine line = new LogLine(i, 1000 + i, "w.1", LogLine.Channel.values()[i % 5], text);
            added.add(line);
            tail.add(line, i < 2000 ? 64 * 1024 : 4096);
            if (i == 2500) {
                tail.trim(2048);
            }
            if (i % 7 != 0) {
                continue;
            }
            List<LogLine> kept = tail.lines();
            List<LogLine> expected = added.subList(added.size() - kept.size(), added.size());
            for (int k = 0; k < kept.size(); k++) {
                LogLine a = expected.get(k);
                LogLine b = kept.get(k);
                assertEquals(a.sequence(), b.sequence());
                assertEquals(a.epochMillis(), b.epochMillis());
                assertEquals(a.channel(), b.channel());
                assertEquals("w.1", b.source());
                assertArrayEquals(a.bytes(), b.bytes(), "line " + a.sequence());
            }
            assertTrue(kept.size() <= OutputTail.MAX_LINES && !kept.isEmpty());
            assertTrue(tail.bytes() <= (i < 2000 ? 64 * 1024 : 4096) || kept.size() == 1, "bytes " + tail.bytes());
        }
    }
}
