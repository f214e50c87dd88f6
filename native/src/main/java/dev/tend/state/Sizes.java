package dev.tend.state;

import java.util.Locale;

/** Byte counts for messages: {@code 100 bytes}, {@code 1.5 KiB}, {@code 2.1 MiB}. */
final class Sizes {
    private Sizes() {}

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + (bytes == 1 ? " byte" : " bytes");
        }
        if (bytes < 1024 * 1024) {
            return scaled(bytes / 1024.0, "KiB");
        }
        return scaled(bytes / (1024.0 * 1024.0), "MiB");
    }

    private static String scaled(double value, String unit) {
        String text = String.format(Locale.ROOT, "%.1f", value);
        if (text.endsWith(".0")) {
            text = text.substring(0, text.length() - 2);
        }
        return text + " " + unit;
    }
}
