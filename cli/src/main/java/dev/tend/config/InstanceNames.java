package dev.tend.config;

import java.nio.file.Path;
import java.util.regex.Pattern;

/** Rules for instance names, which become directory names under the runtime directory. */
public final class InstanceNames {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    private InstanceNames() {}

    /** Whether {@code name} can name an instance. */
    public static boolean isValid(String name) {
        return VALID.matcher(name).matches();
    }

    /** What an instance name must look like, for error messages. */
    public static String rule() {
        return "1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit";
    }

    /** An instance name derived from a directory name: invalid characters become '-'. */
    public static String fromDirectory(Path dir) {
        Path last = dir == null ? null : dir.getFileName();
        String raw = last == null ? "root" : last.toString();
        String cleaned = raw.replaceAll("[^A-Za-z0-9._-]", "-").replaceFirst("^[._-]+", "");
        if (cleaned.isEmpty()) {
            cleaned = "tend";
        }
        return cleaned.length() > 63 ? cleaned.substring(0, 63) : cleaned;
    }
}
