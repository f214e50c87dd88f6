package dev.tend.config;

import dev.tend.config.ConfigDraft.Worker;
import dev.tend.text.Human;

/**
 * The rules between {@code stop_signal_after}, {@code stop_signal} and {@code grace}: a delay needs a signal to
 * delay, and must end before the grace does, or the SIGKILL at the end of the grace would come first and the
 * signal never be sent. No I/O.
 */
final class StopSignalRules {
    private StopSignalRules() {}

    static void check(Worker w) {
        Section where = w.where();
        if (w.stopSignalAfter().isEmpty() || w.stopSignalAfter().get().isZero()) {
            return;
        }
        if (where.has("stop_signal_after") && w.stopSignal().isEmpty() && !where.has("stop_signal")) {
            where.error("stop_signal_after", "there is no stop_signal to send: set one (e.g. stop_signal = \"TERM\"),"
                    + " or remove this key");
            return;
        }
        if (w.stopSignal().isPresent() && w.grace().isPresent()
                && w.stopSignalAfter().get().compareTo(w.grace().get()) >= 0) {
            where.error(where.has("stop_signal_after") || !where.has("grace") ? "stop_signal_after" : "grace",
                    "stop_signal_after (" + Human.duration(w.stopSignalAfter().get()) + ") is not shorter than grace ("
                    + Human.duration(w.grace().get()) + "): the worker would be killed before SIG" + w.stopSignal().get()
                    + " is sent; shorten stop_signal_after or lengthen grace");
        }
    }
}
