package dev.tend.cli;

/** Entry point of the {@code tend} program. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(TendCommand.commandLine().execute(args));
    }
}
