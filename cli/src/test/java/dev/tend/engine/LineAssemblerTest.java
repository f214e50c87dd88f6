package dev.tend.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineAssemblerTest {
    private final List<String> lines = new ArrayList<>();
    private final LineAssembler assembler = new LineAssembler(lines::add);

    private void feed(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        assembler.feed(b, 0, b.length);
    }

    @Test
    void shouldJoinPiecesIntoLines() {
        feed("hel");
        feed("lo\nwor");
        feed("ld\r\n\n");
        assertEquals(List.of("hello", "world", ""), lines);
    }

    @Test
    void shouldEmitUnterminatedLineAtEnd() {
        feed("partial");
        assembler.finish();
        assertEquals(List.of("partial"), lines);
    }

    @Test
    void shouldSplitLongLineAtCharacterBoundary() {
        String euro = "\u20ac";
        String text = "a".repeat(LineAssembler.MAX_LINE - 1) + euro + "tail";
        feed(text + "\n");
        assertEquals(2, lines.size());
        assertEquals(text, String.join("", lines));
        assertEquals(euro + "tail", lines.get(1));
    }

    @Test
    void shouldNotEmitEmptyPieceWhenLineEndsAtLimit() {
        feed("b".repeat(LineAssembler.MAX_LINE) + "\n" + "next\n");
        assertEquals(List.of("b".repeat(LineAssembler.MAX_LINE), "next"), lines);
    }

    @Test
    void shouldKeepLinesWholeWhenFedOneByteAtATimeAcrossBufferGrowth() {
        String line = "x".repeat(3 * LineAssembler.INITIAL_CAPACITY + 7);
        byte[] b = (line + "\nshort\n").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i++) {
            assembler.feed(b, i, 1);
        }
        assertEquals(List.of(line, "short"), lines);
    }

    @Test
    void shouldSplitManyLinesFromOneRead() {
        feed("one\ntwo\n\nthree");
        assembler.finish();
        assertEquals(List.of("one", "two", "", "three"), lines);
    }
}
