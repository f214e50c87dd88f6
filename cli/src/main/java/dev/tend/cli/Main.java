package dev.tend.cli;

/** Entry point of the {@code tend} program. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            // What picocli prints for it, without building the model of a command line to print two lines.
            for (String line : new Version().getVersion()) {
                System.out.println(line);
            }
            System.exit(ExitCodes.OK);
        }
        System.exit(TendCommand.commandLine(args).execute(args));
    }
}
