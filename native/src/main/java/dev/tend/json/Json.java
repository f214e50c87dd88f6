package dev.tend.json;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON (RFC 8259) reader and writer for tend's small protocol messages, with no dependency.
 *
 * <p>Values map to Java as: object → {@code Map<String, Object>} (insertion-ordered, unmodifiable),
 * array → {@code List<Object>} (unmodifiable), string → {@link String}, number → {@link Long} when it is
 * written as an integer (no fraction, no exponent) that fits, {@link Double} when it is a short decimal that
 * {@link Double#toString} writes the same way ({@code 0.25}, {@code 12.5}; not {@code 0.10} nor {@code 1e3}),
 * otherwise {@link BigDecimal}; either way the writer gives the same text back,
 * {@code true}/{@code false} → {@link Boolean},
 * {@code null} → {@code null}. Duplicate object keys, trailing commas, comments, lone surrogates and
 * objects and arrays nested deeper than {@link #MAX_DEPTH} are rejected with a message that gives the character
 * position. There is no size limit: callers bound what they read (the control socket takes 64 KiB).
 */
public final class Json {
    /** Most objects and arrays one inside the other, so that hostile input cannot exhaust the stack. */
    public static final int MAX_DEPTH = 64;
    /**
     * The longest decimal read as a {@link Double}: 15 significant digits or fewer, which a double keeps exactly,
     * plus a sign and a point.
     */
    private static final int MAX_SHORT_DECIMAL = 17;

    private final String text;
    /**
     * The text's characters: indexing an array costs one bytecode where {@code String.charAt} costs several
     * calls, and short-lived clients (a {@code tend ps} of a thousand workers parses about 300 KB) run the parser
     * interpreted.
     */
    private final char[] chars;
    private int at;

    private Json(String text) {
        this.text = text;
        this.chars = text.toCharArray();
    }

    /** Thrown for text that is not valid JSON; the message names the position and what was expected. */
    public static final class ParseException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        ParseException(String message) {
            super(message);
        }
    }

    /** Parses one JSON value that must make up the whole text (surrounding white space allowed). */
    public static Object parse(String text) {
        Json p = new Json(text);
        p.skipSpace();
        Object value = p.value(0);
        p.skipSpace();
        if (p.at != text.length()) {
            throw p.error("unexpected text after the value");
        }
        return value;
    }

    /** Parses text that must be a JSON object. */
    public static Map<String, Object> parseObject(String text) {
        Object value = parse(text);
        if (!(value instanceof Map)) {
            throw new ParseException("expected a JSON object, got " + typeName(value));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) value;
        return map;
    }

    /** The JSON type of a parsed value, for messages: object, array, string, number, boolean, null. */
    public static String typeName(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Map) {
            return "object";
        }
        if (value instanceof List) {
            return "array";
        }
        if (value instanceof String) {
            return "string";
        }
        if (value instanceof Boolean) {
            return "boolean";
        }
        return "number";
    }

    /** {@code depth}: how many objects and arrays enclose the value. */
    private Object value(int depth) {
        if (at >= chars.length) {
            throw error("unexpected end of input");
        }
        char c = chars[at];
        switch (c) {
            case '{':
                return object(depth);
            case '[':
                return array(depth);
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("unexpected character '" + printable(c) + "'");
        }
    }

    private Map<String, Object> object(int depth) {
        nest(depth);
        at++;
        Map<String, Object> map = new LinkedHashMap<>();
        skipSpace();
        if (peek() == '}') {
            at++;
            return Collections.unmodifiableMap(map);
        }
        while (true) {
            skipSpace();
            if (peek() != '"') {
                throw error("expected a string key");
            }
            int keyAt = at;
            String key = string();
            if (map.containsKey(key)) {
                at = keyAt;
                throw error("duplicate key \"" + key + "\"");
            }
            skipSpace();
            expect(':');
            skipSpace();
            map.put(key, value(depth + 1));
            skipSpace();
            char c = next();
            if (c == '}') {
                return Collections.unmodifiableMap(map);
            }
            if (c != ',') {
                at--;
                throw error("expected ',' or '}'");
            }
        }
    }

    private List<Object> array(int depth) {
        nest(depth);
        at++;
        List<Object> list = new ArrayList<>();
        skipSpace();
        if (peek() == ']') {
            at++;
            return Collections.unmodifiableList(list);
        }
        while (true) {
            skipSpace();
            list.add(value(depth + 1));
            skipSpace();
            char c = next();
            if (c == ']') {
                return Collections.unmodifiableList(list);
            }
            if (c != ',') {
                at--;
                throw error("expected ',' or ']'");
            }
        }
    }

    /** Refuses an object or array inside {@link #MAX_DEPTH} others; scalars add no nesting. */
    private void nest(int depth) {
        if (depth >= MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH);
        }
    }

    private String string() {
        int start = ++at;
        // Most strings have no escape: found and cut out in one pass, without a builder.
        for (int i = start; i < chars.length; i++) {
            char c = chars[i];
            if (c == '"') {
                at = i + 1;
                return new String(chars, start, i - start);
            }
            if (c == '\\' || c < 0x20 || (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE)) {
                break;
            }
        }
        StringBuilder b = new StringBuilder();
        while (true) {
            if (at >= chars.length) {
                throw error("unterminated string");
            }
            char c = chars[at++];
            if (c == '"') {
                return b.toString();
            }
            if (c < 0x20) {
                at--;
                throw error("control character in string (escape it)");
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && at < chars.length && Character.isLowSurrogate(chars[at])) {
                    b.append(c).append(chars[at++]);
                    continue;
                }
                at--;
                throw error("lone surrogate in string");
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> b.append(unicodeEscape(b));
                default -> {
                    at--;
                    throw error("bad escape '\\" + printable(e) + "'");
                }
            }
        }
    }

    private char unicodeEscape(StringBuilder sb) {
        char u = hex4();
        if (Character.isHighSurrogate(u)) {
            if (text.startsWith("\\u", at)) {
                at += 2;
                char low = hex4();
                if (Character.isLowSurrogate(low)) {
                    sb.append(u);
                    return low;
                }
            }
            throw error("lone surrogate escape");
        }
        if (Character.isLowSurrogate(u)) {
            throw error("lone surrogate escape");
        }
        return u;
    }

    private char hex4() {
        if (at + 4 > chars.length) {
            throw error("truncated \\u escape");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(chars[at++], 16);
            if (d < 0) {
                at--;
                throw error("bad hex digit in \\u escape");
            }
            v = v * 16 + d;
        }
        return (char) v;
    }

    private Object number() {
        int start = at;
        if (peek() == '-') {
            at++;
        }
        if (peek() == '0') {
            at++;
        } else if (peek() >= '1' && peek() <= '9') {
            while (isDigit(peek())) {
                at++;
            }
        } else {
            throw error("bad number");
        }
        boolean integral = true;
        if (peek() == '.') {
            integral = false;
            at++;
            if (!isDigit(peek())) {
                throw error("digit expected after '.'");
            }
            while (isDigit(peek())) {
                at++;
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            at++;
            if (peek() == '+' || peek() == '-') {
                at++;
            }
            if (!isDigit(peek())) {
                throw error("digit expected in exponent");
            }
            while (isDigit(peek())) {
                at++;
            }
        }
        if (integral && at - start <= 18) {
            // At most 18 digits always fit a long; summed here rather than by Long.parseLong, which costs a
            // call per digit when the parser runs interpreted.
            boolean negative = chars[start] == '-';
            long n = 0;
            for (int i = negative ? start + 1 : start; i < at; i++) {
                n = n * 10 + (chars[i] - '0');
            }
            return negative ? -n : n;
        }
        String literal = text.substring(start, at);
        if (!integral && at - start <= MAX_SHORT_DECIMAL) {
            // A short decimal such as tend's own "cpu_percent": 0.2 as a Double, when the Double prints back as
            // the very same text, so that nothing is lost on the way through: BigDecimal's first use costs a
            // client that runs interpreted about 35 ms (its class initialisation), a tenth of its start-up.
            double d = Double.parseDouble(literal);
            if (Double.toString(d).equals(literal)) {
                return d;
            }
        }
        BigDecimal d = new BigDecimal(literal);
        if (integral) {
            try {
                return d.longValueExact();
            } catch (ArithmeticException e) {
                return d;
            }
        }
        return d;
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, at)) {
            throw error("unexpected word (expected " + word + ")");
        }
        at += word.length();
        return value;
    }

    /** ASCII digits only, as JSON means ({@code Character.isDigit} also takes other scripts' digits). */
    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private void skipSpace() {
        while (at < chars.length) {
            char c = chars[at];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            at++;
        }
    }

    private char peek() {
        return at < chars.length ? chars[at] : '\0';
    }

    private char next() {
        if (at >= chars.length) {
            throw error("unexpected end of input");
        }
        return chars[at++];
    }

    private void expect(char c) {
        if (next() != c) {
            at--;
            throw error("expected '" + c + "'");
        }
    }

    private ParseException error(String what) {
        return new ParseException("invalid JSON at character " + (at + 1) + ": " + what);
    }

    private static String printable(char c) {
        return c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }

    /**
     * Writes a value as compact JSON. Accepts what {@link #parse} returns plus any {@link Number},
     * {@link CharSequence}, {@link Iterable} and {@code Map} with string keys.
     *
     * @throws IllegalArgumentException for other types, and for non-finite floating-point numbers.
     */
    public static String write(Object value) {
        StringBuilder b = new StringBuilder();
        write(value, b);
        return b.toString();
    }

    private static void write(Object value, StringBuilder b) {
        if (value == null) {
            b.append("null");
        } else if (value instanceof CharSequence s) {
            quote(s, b);
        } else if (value instanceof Boolean) {
            b.append(value);
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("JSON has no " + d);
            }
            b.append(value);
        } else if (value instanceof Number) {
            b.append(value);
        } else if (value instanceof Map<?, ?> map) {
            b.append('{');
            Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<?, ?> e = it.next();
                quote(String.valueOf(e.getKey()), b);
                b.append(':');
                write(e.getValue(), b);
                if (it.hasNext()) {
                    b.append(',');
                }
            }
            b.append('}');
        } else if (value instanceof Iterable<?> list) {
            b.append('[');
            boolean first = true;
            for (Object o : list) {
                if (!first) {
                    b.append(',');
                }
                first = false;
                write(o, b);
            }
            b.append(']');
        } else {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON");
        }
    }

    private static void quote(CharSequence s, StringBuilder b) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
