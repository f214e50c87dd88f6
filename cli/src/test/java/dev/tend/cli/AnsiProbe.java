package dev.tend.cli;

import picocli.CommandLine;

/** Prints whether picocli and {@link HelpPages} would style help in this process's environment. */
public final class AnsiProbe {
    private AnsiProbe() {}

    public static void main(String[] args) {
        System.out.println("picocli=" + CommandLine.Help.Ansi.AUTO.enabled() + " tend=" + HelpPages.styled());
    }
}
