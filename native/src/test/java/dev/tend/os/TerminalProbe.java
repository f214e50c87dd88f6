package dev.tend.os;

/**
 * Run by {@link FdsTest} under {@code script(1)}, whose pseudo-terminal is this JVM's standard output: prints
 * what {@link Fds#isTerminal} and {@code isatty(3)} say of descriptors 1 (the terminal) and 2 (redirected).
 */
public final class TerminalProbe {
    private TerminalProbe() {}

    public static void main(String[] args) {
        System.out.println("stdout=" + Fds.isTerminal(1) + " isatty=" + (LibC.isatty(1) == 1)
                + " stderr=" + Fds.isTerminal(2) + " isatty=" + (LibC.isatty(2) == 1));
    }
}
