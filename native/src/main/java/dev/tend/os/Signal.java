package dev.tend.os;

import java.util.Locale;
import java.util.Optional;

/**
 * Linux signal numbers (x86_64 and aarch64 share them). Names are given without the {@code SIG} prefix.
 */
public enum Signal {
    HUP(1), INT(2), QUIT(3), ILL(4), TRAP(5), ABRT(6), BUS(7), FPE(8), KILL(9), USR1(10), SEGV(11), USR2(12),
    PIPE(13), ALRM(14), TERM(15), STKFLT(16), CHLD(17), CONT(18), STOP(19), TSTP(20), TTIN(21), TTOU(22),
    URG(23), XCPU(24), XFSZ(25), VTALRM(26), PROF(27), WINCH(28), IO(29), PWR(30), SYS(31);

    private static final Signal[] BY_NUMBER = new Signal[32];

    static {
        for (Signal s : values()) {
            BY_NUMBER[s.number] = s;
        }
    }

    private final int number;

    Signal(int number) {
        this.number = number;
    }

    /** The kernel's number for this signal. */
    public int number() {
        return number;
    }

    /** The signal with this number, if it is one of the standard (non real-time) signals. */
    public static Optional<Signal> ofNumber(int number) {
        return number > 0 && number < BY_NUMBER.length ? Optional.ofNullable(BY_NUMBER[number]) : Optional.empty();
    }

    /**
     * Parses {@code TERM}, {@code SIGTERM}, {@code sigterm} or {@code 15}.
     *
     * @return the signal, or empty when the text names none.
     */
    public static Optional<Signal> parse(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        if (t.startsWith("SIG")) {
            t = t.substring(3);
        }
        if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
            try {
                return ofNumber(Integer.parseInt(t));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        for (Signal s : values()) {
            if (s.name().equals(t)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** A name for any signal number: {@code TERM} for known ones, {@code RT34} or {@code 77} otherwise. */
    public static String describe(int number) {
        return ofNumber(number).map(Enum::name).orElse(number >= 34 && number <= 64 ? "RT" + number : "" + number);
    }
}
