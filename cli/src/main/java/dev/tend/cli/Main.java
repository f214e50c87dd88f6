package dev.tend.cli;

import dev.tend.protocol.ExitCode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * Entry point of the {@code tend} program. What scripts and probes run over and over starts about as fast as
 * the JVM itself: {@code --version}, the usage help and the client commands' plain command lines are served
 * without picocli's model of the command line, which picocli builds by reflection at every start; every other
 * command line goes through picocli.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        if (System.getProperty(Training.PROPERTY) != null) {
            System.exit(Training.run());
        }
        Integer code = runDirectly(args);
        if (code == null) {
            System.exit(TendCommand.commandLine(args).execute(args));
        }
        // tend up ends as it does under picocli, by System.exit: its threads must not keep the JVM.
        if (code != ExitCode.OK.code() || args.length > 0 && args[0].equals("up")) {
            System.exit(code);
        }
        // Success returns from main, which ends the JVM with status 0 as System.exit(0) would, but without the
        // System.Logger that Runtime.exit looks up since Java 21 to report the exit: a few hundred classes,
        // a tenth of a client's start-up. The commands run directly start no thread that could hold the JVM.
        System.out.flush();
        System.err.flush();
    }

    /** Runs {@code tend ARGS} and returns its exit code. */
    static int run(String[] args) {
        Integer code = runDirectly(args);
        return code != null ? code : TendCommand.commandLine(args).execute(args);
    }

    /** Runs {@code tend ARGS} without picocli and returns its exit code; null when picocli must run it. */
    private static Integer runDirectly(String[] args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            // What picocli prints for it, without building the model of a command line to print two lines.
            PrintWriter out = PicocliWriters.out();
            for (String line : new Version().getVersion()) {
                out.println(line);
            }
            out.flush();
            return ExitCode.OK.code();
        }
        String page = HelpPages.requested(args);
        if (page != null && HelpPages.print(page)) {
            return ExitCode.OK.code();
        }
        Callable<Integer> direct = DirectCommands.parse(args);
        return direct == null ? null : DirectCommands.run(direct);
    }
}
