package dev.tend.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes as written in {@code tend.toml}: {@code "512KiB"}, {@code "1MiB"}, or a plain byte count. */
public final class ByteSizes {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB|KB|MB|GB|K|M|G)?",
            Pattern.CASE_INSENSITIVE);

    private ByteSizes() {}

    /**
     * Parses a size; throws {@link IllegalArgumentException} with the accepted forms. A size too large for a
     * {@code long} reads as {@link Long#MAX_VALUE}, which every range refuses.
     */
    public static long parse(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("bad size \"" + text + "\"; write e.g. \"64KiB\", \"1MiB\" or a byte count");
        }
        // Nineteen digits or more may not fit a long, and are far beyond any size tend takes.
        String digits = m.group(1);
        long n = digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits);
        String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
        long factor = switch (unit.charAt(0)) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            default -> 1;
        };
        return n > Long.MAX_VALUE / factor ? Long.MAX_VALUE : n * factor;
    }
}
