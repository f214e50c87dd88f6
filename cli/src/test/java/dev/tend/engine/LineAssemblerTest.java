package dev.tend.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineAssemblerTest {
    private static final int LIMIT = LineAssembler.MAX_OUTPUT_LINE;

    private final List<byte[]> emitted = new ArrayList<>();
    private final List<Long> refused = new ArrayList<>();
    private LineAssembler assembler = LineAssembler.splitting(LIMIT, emitted::add);

    private void feed(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        assembler.feed(b, 0, b.length);
    }

    private List<String> lines() {
        return emitted.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void shouldJoinPiecesIntoLines() {
        feed("hel");
        feed("lo\nwor");
        feed("ld\n\n");
        assertEquals(List.of("hello", "world", ""), lines());
    }

    @Test
    void shouldPassEveryByteThroughUnchanged() {
        byte[] line = {'a', (byte) 0xFF, (byte) 0xFE, 'b', (byte) 0xC3, '(', 0, (byte) 0xE2, (byte) 0x82, '\r'};
        byte[] input = new byte[2 * line.length + 2];
        System.arraycopy(line, 0, input, 0, line.length);
        input[line.length] = '\n';
        System.arraycopy(line, 0, input, line.length + 1, line.length);
        input[input.length - 1] = '\n';
        assembler.feed(input, 0, line.length + 3);
        assembler.feed(input, line.length + 3, input.length - line.length - 3);
        assertEquals(2, emitted.size());
        assertArrayEquals(line, emitted.get(0));
        assertArrayEquals(line, emitted.get(1));
    }

    @Test
    void shouldEmitUnterminatedLineAtEnd() {
        feed("partial");
        assembler.finish();
        assertEquals(List.of("partial"), lines());
    }

    @Test
    void shouldSplitLongLineAtCharacterBoundary() {
        String euro = "\u20ac";
        String text = "a".repeat(LIMIT - 1) + euro + "tail";
        feed(text + "\n");
        assertEquals(2, emitted.size());
        assertEquals(text, String.join("", lines()));
        assertEquals(euro + "tail", lines().get(1));
    }

    @Test
    void shouldSplitLongBinaryLineWithoutLosingAByte() {
        byte[] line = new byte[3 * LIMIT + 5];
        for (int i = 0; i < line.length; i++) {
            line[i] = (byte) (0x80 | i * 7);
        }
        assembler.feed(line, 0, line.length);
        assembler.feed(new byte[] {'\n'}, 0, 1);
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        emitted.forEach(joined::writeBytes);
        assertArrayEquals(line, joined.toByteArray());
    }

    @Test
    void shouldNotEmitEmptyPieceWhenLineEndsAtLimit() {
        feed("b".repeat(LIMIT) + "\n" + "next\n");
        assertEquals(List.of("b".repeat(LIMIT), "next"), lines());
        feed("c".repeat(LIMIT + 1));
        feed("\nlast\n");
        assertEquals(List.of("b".repeat(LIMIT), "next", "c".repeat(LIMIT), "c", "last"), lines());
    }

    @Test
    void shouldKeepLinesWholeWhenFedOneByteAtATimeAcrossBufferGrowth() {
        String line = "x".repeat(3 * LineAssembler.INITIAL_CAPACITY + 7);
        byte[] b = (line + "\nshort\n").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i++) {
            assembler.feed(b, i, 1);
        }
        assertEquals(List.of(line, "short"), lines());
    }

    @Test
    void shouldSplitManyLinesFromOneRead() {
        feed("one\ntwo\n\nthree");
        assembler.finish();
        assertEquals(List.of("one", "two", "", "three"), lines());
    }

    @Test
    void shouldEmitALineOfExactlyTheLimitWholeWhenRefusingLongerOnes() {
        assembler = LineAssembler.refusing(1000, emitted::add, refused::add);
        String whole = "w".repeat(1000);
        feed(whole.substring(0, 10));
        feed(whole.substring(10, 999));
        feed(whole.substring(999) + "\nafter\n");
        assertEquals(List.of(whole, "after"), lines());
        assertEquals(List.of(), refused);
    }

    @Test
    void shouldRefuseALongerLineOnceAndDiscardItUpToTheNextNewline() {
        assembler = LineAssembler.refusing(1000, emitted::add, refused::add);
        feed("before\n" + "y".repeat(600));
        feed("y".repeat(600));
        feed("y".repeat(3000));
        feed("yy\nafter\n" + "z".repeat(1001));
        assembler.finish();
        assertEquals(List.of("before", "after"), lines());
        assertEquals(List.of(4202L, 1001L), refused);
    }

    @Test
    void shouldRefuseALongerLineReadInOnePiece() {
        assembler = LineAssembler.refusing(1000, emitted::add, refused::add);
        feed("q".repeat(1001) + "\n{}\n");
        assertEquals(List.of("{}"), lines());
        assertEquals(List.of(1001L), refused);
    }
}
