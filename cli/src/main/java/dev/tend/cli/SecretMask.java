package dev.tend.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Hides secrets in what {@code tend check --show} prints: the value of a variable whose name looks like it
 * holds one (PASSWORD, SECRET, TOKEN, KEY, …), the password of a URL ({@code postgres://user:pw@host}), and
 * those values wherever they appear in a command or a path. The mask does not tell a value's length.
 */
final class SecretMask {
    static final String MASK = "********";
    private static final Pattern SECRET_NAME = Pattern.compile(
            ".*(PASS|SECRET|TOKEN|KEY|PRIVATE|CREDENTIAL|AUTH|SALT|SIGNATURE|COOKIE|SESSION).*", Pattern.CASE_INSENSITIVE);
    private static final Pattern URL_PASSWORD = Pattern.compile("(://[^/:@\\s]*:)[^/@\\s]+(@)");
    /** Values shorter than this are not hunted for in commands: "1" or "on" would mask half the text. */
    private static final int SHORTEST_HUNTED = 4;

    private final List<String> secrets = new ArrayList<>();

    /** @param variables the variables whose secret values are also hidden in other texts. */
    SecretMask(Map<String, String> variables) {
        variables.forEach((name, value) -> {
            if (isSecretName(name) && value.length() >= SHORTEST_HUNTED) {
                secrets.add(value);
            }
        });
        // The longest first, so that a secret holding another is hidden whole.
        secrets.sort((a, b) -> b.length() - a.length());
    }

    static boolean isSecretName(String name) {
        return SECRET_NAME.matcher(name).matches();
    }

    /** A variable's value as it may be printed. */
    String value(String name, String value) {
        if (isSecretName(name) && !value.isEmpty()) {
            return MASK;
        }
        return text(value);
    }

    /** Any text (a command, a path, a value), with the secrets in it hidden. */
    String text(String text) {
        String out = text;
        for (String secret : secrets) {
            out = out.replace(secret, MASK);
        }
        return URL_PASSWORD.matcher(out).replaceAll("$1" + MASK + "$2");
    }
}
