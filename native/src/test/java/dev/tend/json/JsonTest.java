package dev.tend.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void shouldParseEveryKindOfValue() {
        Map<String, Object> m = Json.parseObject(
                " {\"s\":\"a\\\"b\\u00e9\\ud83d\\ude00\",\"n\":-12,\"f\":1.5e2,\"t\":true,\"x\":null,\"a\":[1,[]],\"o\":{}} ");
        assertEquals("a\"b\u00e9\ud83d\ude00", m.get("s"));
        assertEquals(-12L, m.get("n"));
        assertEquals(new BigDecimal("1.5e2"), m.get("f"));
        assertEquals(Boolean.TRUE, m.get("t"));
        assertTrue(m.containsKey("x"));
        assertEquals(List.of(1L, List.of()), m.get("a"));
        assertEquals(Map.of(), m.get("o"));
        assertEquals(List.of("s", "n", "f", "t", "x", "a", "o"), List.copyOf(m.keySet()), "order kept");
    }

    @Test
    void shouldRejectInvalidTextWithPosition() {
        assertEquals("invalid JSON at character 8: expected ',' or '}'",
                assertThrows(Json.ParseException.class, () -> Json.parse("{\"a\":1 \"b\":2}")).getMessage());
        for (String bad : Arrays.asList("", "{", "[1,]", "{\"a\":1,}", "01", "1.", "\"\\x\"", "\"a", "tru",
                "{\"a\":1,\"a\":2}", "\"\\ud800\"", "[1] 2", "{'a':1}", "\"tab\there\"", "NaN")) {
            assertThrows(Json.ParseException.class, () -> Json.parse(bad), bad);
        }
        String deep = "[".repeat(Json.MAX_DEPTH + 2) + "]".repeat(Json.MAX_DEPTH + 2);
        assertTrue(assertThrows(Json.ParseException.class, () -> Json.parse(deep)).getMessage().contains("nesting"));
        assertEquals("expected a JSON object, got array",
                assertThrows(Json.ParseException.class, () -> Json.parseObject("[]")).getMessage());
    }

    @Test
    void shouldReadIntegersAtTheEdgesOfALongAndOnlyAsciiDigits() {
        assertEquals(999_999_999_999_999_999L, Json.parse("999999999999999999"));
        assertEquals(-999_999_999_999_999_999L, Json.parse("-999999999999999999"));
        assertEquals(0L, Json.parse("-0"));
        assertEquals(Long.MAX_VALUE, Json.parse("9223372036854775807"));
        assertEquals(Long.MIN_VALUE, Json.parse("-9223372036854775808"));
        assertEquals(new BigDecimal("9223372036854775808"), Json.parse("9223372036854775808"));
        assertEquals("abc", Json.parse("\"abc\""));
        assertEquals("a\nb", Json.parse("\"a\\nb\""), "an escape after plain characters");
        for (String bad : List.of("1\u0663", "\u0661", "\"a\u0001\"", "\"\udc00\"")) {
            assertThrows(Json.ParseException.class, () -> Json.parse(bad), bad);
        }
    }

    @Test
    void shouldWriteWhatItReads() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", "line\nquote\" back\\ ctl\u0001 \u2028");
        m.put("n", 42);
        m.put("list", List.of(true, false));
        m.put("none", null);
        String json = Json.write(m);
        assertEquals("{\"text\":\"line\\nquote\\\" back\\\\ ctl\\u0001 \\u2028\",\"n\":42,\"list\":[true,false],\"none\":null}",
                json);
        assertEquals(Json.parse(json), Json.parse(Json.write(Json.parse(json))));
        assertEquals(9223372036854775807L, Json.parse("9223372036854775807"));
        assertEquals(new BigDecimal("9223372036854775808"), Json.parse("9223372036854775808"));
    }
}
