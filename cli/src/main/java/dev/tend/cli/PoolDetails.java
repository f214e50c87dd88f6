package dev.tend.cli;

import dev.tend.config.Command;
import dev.tend.config.WorkerSettings;
import dev.tend.text.Human;
import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code tend check --show POOL} prints: the command, working directory, stop sequence and environment a
 * pool's workers get once every {@code env_file}, {@code env} table and {@code ${VAR}} is applied, with
 * secrets masked ({@link SecretMask}).
 */
final class PoolDetails {
    private PoolDetails() {}

    /** @param inheritedCount the variables of tend's environment a worker inherits under the configured ones. */
    static void print(String what, WorkerSettings w, int inheritedCount, PrintStream out) {
        SecretMask mask = new SecretMask(w.env());
        out.println(what);
        out.println("  command: " + mask.text(w.command().display()).replace("\n", "\\n"));
        if (w.command() instanceof Command.Shell) {
            out.println("           (run by " + Command.Shell.SHELL + " -c, which expands its $VARIABLES when the"
                    + " worker starts)");
        }
        out.println("  cwd:     " + mask.text(w.cwd().toString()));
        out.println("  stop:    " + stop(w));
        out.println("  env:     " + w.env().size() + " variable" + (w.env().size() == 1 ? "" : "s")
                + " set by the configuration, over " + inheritedCount + " inherited from tend's environment; the"
                + " TEND_* variables are added for each worker");
        for (Map.Entry<String, String> e : new TreeMap<>(w.env()).entrySet()) {
            out.println("    " + e.getKey() + "=" + mask.value(e.getKey(), e.getValue()).replace("\n", "\\n").replace("\t", "\\t"));
        }
    }

    private static String stop(WorkerSettings w) {
        String grace = "SIGKILL to its process group " + Human.duration(w.grace()) + " after";
        if (w.stopSignal().isEmpty()) {
            return "stdin closed (end of input); " + grace;
        }
        String signal = "SIG" + w.stopSignal().get();
        return "stdin closed (end of input); " + (w.stopSignalAfter().isZero() ? signal + " at once"
                : signal + " " + Human.duration(w.stopSignalAfter()) + " after") + "; " + grace;
    }
}
