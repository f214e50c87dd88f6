package dev.tend.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Json} against its contract: a corpus of texts it must read (and what they read as) and texts it must
 * refuse, with the position in the message; what it writes; the nesting limit, and no size limit.
 */
class JsonCorpusTest {
    private static String nested(int depth, String open, String inner, String close) {
        return open.repeat(depth) + inner + close.repeat(depth);
    }

    private static Map<String, Object> object(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    static Stream<Arguments> valid() {
        return Stream.of(
                // Literals, and the only white space JSON has (space, tab, line feed, carriage return).
                Arguments.of("true", true),
                Arguments.of("false", false),
                Arguments.of("null", null),
                Arguments.of(" \t\r\n[ 1 ,\t2 ]\r\n", List.of(1L, 2L)),
                // Numbers: written as an integer that fits in a long → Long; a short decimal that a Double writes
                // back the same way → Double; anything else → BigDecimal.
                Arguments.of("0", 0L),
                Arguments.of("-0", 0L),
                Arguments.of("-12", -12L),
                Arguments.of("123456789012345678", 123456789012345678L),
                Arguments.of("9223372036854775807", Long.MAX_VALUE),
                Arguments.of("-9223372036854775808", Long.MIN_VALUE),
                Arguments.of("9223372036854775808", new BigDecimal("9223372036854775808")),
                Arguments.of("-9223372036854775809", new BigDecimal("-9223372036854775809")),
                Arguments.of("1.0", 1.0),
                Arguments.of("1.5", 1.5),
                Arguments.of("-0.25", -0.25),
                Arguments.of("12.5", 12.5),
                Arguments.of("0.10", new BigDecimal("0.10")),
                Arguments.of("0.0001", new BigDecimal("0.0001")),
                Arguments.of("0.30000000000000004", new BigDecimal("0.30000000000000004")),
                Arguments.of("1e3", new BigDecimal("1e3")),
                Arguments.of("1E+3", new BigDecimal("1E+3")),
                Arguments.of("2.5e-2", new BigDecimal("2.5e-2")),
                // Strings: every escape, \\u escapes (a surrogate pair is one code point), raw non-ASCII.
                Arguments.of("\"\"", ""),
                Arguments.of("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\/\b\f\n\r\t"),
                Arguments.of("\"\\u0041\\u00e9\\u20AC\"", "Aé€"),
                Arguments.of("\"\\ud83d\\ude00\"", "\ud83d\ude00"),
                Arguments.of("\"\ud83d\ude00 caf\u00e9\"", "\ud83d\ude00 café"),
                Arguments.of("\"\u2028\u2029\u007f\"", "\u2028\u2029\u007f"),
                Arguments.of("\"\\u0000\"", "\u0000"),
                // Containers: order kept, empty key, empty containers, mixed nesting.
                Arguments.of("{}", Map.of()),
                Arguments.of("[]", List.of()),
                Arguments.of("{\"b\":1,\"a\":2,\"\":3}", object("b", 1L, "a", 2L, "", 3L)),
                Arguments.of("{\"a\":[{\"b\":[null,{}]}]}", object("a", List.of(object("b", Arrays.asList(null, Map.of()))))),
                Arguments.of("[\"a\",1,true,null,[],{}]", Arrays.asList("a", 1L, true, null, List.of(), Map.of())));
    }

    @ParameterizedTest
    @MethodSource("valid")
    void shouldRead(String text, Object expected) {
        Object value = Json.parse(text);
        assertEquals(expected, value, text);
        if (value instanceof Map<?, ?> m) {
            assertEquals(new ArrayList<>(((Map<?, ?>) expected).keySet()), new ArrayList<>(m.keySet()), "order kept");
        }
        // A BigDecimal is written in its own form (2.5e-2 as 0.025), which may then read as a Double: the text
        // is what must survive, not the Java type.
        assertEquals(Json.write(value), Json.write(Json.parse(Json.write(value))), "what it writes reads back the same");
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                // Not a value, or not only one.
                Arguments.of("", "unexpected end of input"),
                Arguments.of("   ", "unexpected end of input"),
                Arguments.of("[1] 2", "unexpected text after the value"),
                Arguments.of("{}{}", "unexpected text after the value"),
                Arguments.of("[1]]", "unexpected text after the value"),
                Arguments.of("1 // comment", "unexpected text after the value"),
                Arguments.of("/* comment */ 1", "unexpected character '/'"),
                Arguments.of("\u00a01", "unexpected character '\u00a0'"),
                Arguments.of("\f1", "unexpected character '\\u000c'"),
                // Words.
                Arguments.of("tru", "unexpected word (expected true)"),
                Arguments.of("True", "unexpected character 'T'"),
                Arguments.of("nul", "unexpected word (expected null)"),
                Arguments.of("NaN", "unexpected character 'N'"),
                Arguments.of("Infinity", "unexpected character 'I'"),
                Arguments.of("-Infinity", "bad number"),
                Arguments.of("undefined", "unexpected character 'u'"),
                // Numbers.
                Arguments.of("01", "unexpected text after the value"),
                Arguments.of("-", "bad number"),
                Arguments.of("+1", "unexpected character '+'"),
                Arguments.of(".5", "unexpected character '.'"),
                Arguments.of("1.", "digit expected after '.'"),
                Arguments.of("1.e3", "digit expected after '.'"),
                Arguments.of("1e", "digit expected in exponent"),
                Arguments.of("1e+", "digit expected in exponent"),
                Arguments.of("0x10", "unexpected text after the value"),
                // Strings.
                Arguments.of("\"abc", "unterminated string"),
                Arguments.of("'a'", "unexpected character '''"),
                Arguments.of("\"\\x\"", "bad escape '\\x'"),
                Arguments.of("\"\\u12\"", "truncated \\u escape"),
                Arguments.of("\"\\u12", "truncated \\u escape"),
                Arguments.of("\"\\u12G4\"", "bad hex digit in \\u escape"),
                Arguments.of("\"tab\there\"", "control character in string (escape it)"),
                Arguments.of("\"line\nbreak\"", "control character in string (escape it)"),
                Arguments.of("\"\u0000\"", "control character in string (escape it)"),
                Arguments.of("\"\\ud800\"", "lone surrogate escape"),
                Arguments.of("\"\\udc00\"", "lone surrogate escape"),
                Arguments.of("\"\\ud800\\u0041\"", "lone surrogate escape"),
                Arguments.of("\"\\ud800\\ud800\"", "lone surrogate escape"),
                Arguments.of("\"\ud800\"", "lone surrogate in string"),
                Arguments.of("\"\ude00\ud83d\"", "lone surrogate in string"),
                // Arrays and objects.
                Arguments.of("[", "unexpected end of input"),
                Arguments.of("[1,]", "unexpected character ']'"),
                Arguments.of("[,1]", "unexpected character ','"),
                Arguments.of("[1 2]", "expected ',' or ']'"),
                Arguments.of("{", "expected a string key"),
                Arguments.of("{,}", "expected a string key"),
                Arguments.of("{\"a\":1,}", "expected a string key"),
                Arguments.of("{a:1}", "expected a string key"),
                Arguments.of("{1:1}", "expected a string key"),
                Arguments.of("{\"a\"}", "expected ':'"),
                Arguments.of("{\"a\" 1}", "expected ':'"),
                Arguments.of("{\"a\":}", "unexpected character '}'"),
                Arguments.of("{\"a\":1 \"b\":2}", "expected ',' or '}'"),
                Arguments.of("{\"a\":1,\"a\":2}", "duplicate key \"a\""),
                Arguments.of("{\"a\":1,\"\\u0061\":2}", "duplicate key \"a\""),
                Arguments.of("{\"x\":{\"a\":1,\"b\":{},\"a\":[]}}", "duplicate key \"a\""));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void shouldRefuseSayingWhereAndWhy(String text, String why) {
        String message = assertThrows(Json.ParseException.class, () -> Json.parse(text)).getMessage();
        assertTrue(message.matches("invalid JSON at character \\d+: .*"), message);
        assertEquals(why, message.substring(message.indexOf(": ") + 2), text);
    }

    @Test
    void shouldGiveThePositionOfTheProblem() {
        assertEquals("invalid JSON at character 8: expected ',' or '}'",
                assertThrows(Json.ParseException.class, () -> Json.parse("{\"a\":1 \"b\":2}")).getMessage());
        assertEquals("invalid JSON at character 8: duplicate key \"a\"",
                assertThrows(Json.ParseException.class, () -> Json.parse("{\"a\":1,\"a\":2}")).getMessage(),
                "the second key's opening quote");
        assertEquals("invalid JSON at character 3: lone surrogate in string",
                assertThrows(Json.ParseException.class, () -> Json.parse("\"a\ud800\"")).getMessage());
    }

    @Test
    void shouldNestObjectsAndArraysUpToTheLimit() {
        int max = Json.MAX_DEPTH;
        Json.parse(nested(max, "[", "1", "]"));
        Json.parse(nested(max, "{\"k\":", "1", "}"));
        Json.parse(nested(max / 2, "[{\"k\":", "1", "}]"));
        for (String deep : List.of(nested(max + 1, "[", "", "]"), nested(max + 1, "{\"k\":", "{}", "}"),
                nested(max + 1, "[", "1", "]"))) {
            String message = assertThrows(Json.ParseException.class, () -> Json.parse(deep)).getMessage();
            assertTrue(message.endsWith("nesting deeper than " + max), message);
        }
        // Far deeper input is refused at the limit, not by running out of stack.
        String hostile = "[".repeat(1_000_000);
        assertEquals("invalid JSON at character " + (max + 1) + ": nesting deeper than " + max,
                assertThrows(Json.ParseException.class, () -> Json.parse(hostile)).getMessage());
    }

    @Test
    void shouldHaveNoSizeLimitOfItsOwn() {
        String big = "x".repeat(1 << 20);
        assertEquals(big, Json.parse("\"" + big + "\""));
        List<Object> wide = new ArrayList<>();
        for (long i = 0; i < 200_000; i++) {
            wide.add(i);
        }
        assertEquals(wide, Json.parse(Json.write(wide)));
    }

    @Test
    void shouldReturnContainersThatCannotBeChanged() {
        Map<String, Object> m = Json.parseObject("{\"a\":[1]}");
        assertThrows(UnsupportedOperationException.class, () -> m.put("b", 2L));
        assertThrows(UnsupportedOperationException.class, () -> ((List<?>) m.get("a")).clear());
    }

    static Stream<Arguments> written() {
        return Stream.of(
                Arguments.of(null, "null"),
                Arguments.of(true, "true"),
                Arguments.of(42, "42"),
                Arguments.of(-7L, "-7"),
                Arguments.of(1.5, "1.5"),
                Arguments.of(new BigDecimal("1e3"), "1E+3"),
                Arguments.of("quote\" back\\ slash/", "\"quote\\\" back\\\\ slash/\""),
                Arguments.of("\n\r\t\b\f\u0001\u001f", "\"\\n\\r\\t\\u0008\\u000c\\u0001\\u001f\""),
                Arguments.of("line\u2028para\u2029", "\"line\\u2028para\\u2029\""),
                Arguments.of("caf\u00e9 \ud83d\ude00", "\"caf\u00e9 \ud83d\ude00\""),
                Arguments.of(new StringBuilder("sb"), "\"sb\""),
                Arguments.of(List.of(), "[]"),
                Arguments.of(Arrays.asList(1, null, "a"), "[1,null,\"a\"]"),
                Arguments.of(object("b", 1, "a", List.of(object())), "{\"b\":1,\"a\":[{}]}"));
    }

    @ParameterizedTest
    @MethodSource("written")
    void shouldWriteCompactJsonThatNeverHoldsARawLineBreak(Object value, String json) {
        assertEquals(json, Json.write(value));
        assertTrue(json.chars().noneMatch(c -> c < 0x20 || c == 0x2028 || c == 0x2029), json);
    }

    @Test
    void shouldRefuseToWriteWhatJsonCannotHold() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Float.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
        assertThrows(IllegalArgumentException.class, () -> Json.write(List.of(Map.of("k", new int[0]))));
    }
}
