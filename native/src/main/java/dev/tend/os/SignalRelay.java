package dev.tend.os;

import java.util.Set;
import java.util.function.Consumer;

/**
 * Delivers signals sent to this process into a {@link Reactor}, as ordinary tasks on its loop thread.
 *
 * <p>Built on {@code sun.misc.Signal}: HotSpot runs the handler on a fresh Java thread, never in signal
 * context, so it only hands the signal over to the loop. Neither {@code signalfd} (the JVM's own threads
 * cannot all block the signals) nor a native {@code sigaction} callback (crashes HotSpot) is usable from
 * a JVM.
 *
 * <p>Only {@code HUP}, {@code INT}, {@code TERM}, {@code CHLD}, {@code USR1}, {@code WINCH} and
 * {@code ALRM} are accepted: {@code USR2} is HotSpot's suspend signal, {@code QUIT} its thread-dump
 * signal, and {@code PIPE} is already handled by the JVM.
 */
public final class SignalRelay {
    private static final Set<Signal> ALLOWED =
            Set.of(Signal.HUP, Signal.INT, Signal.TERM, Signal.CHLD, Signal.USR1, Signal.WINCH, Signal.ALRM);

    private SignalRelay() {}

    /**
     * Routes each signal of {@code signals} to {@code listener}, called on the reactor's loop thread.
     * Replaces the JVM's default action (for TERM, INT and HUP: run shutdown hooks and exit), so the
     * listener must bring the program to an end itself.
     */
    public static void install(Reactor reactor, Set<Signal> signals, Consumer<Signal> listener) {
        install(reactor, signals, signal -> { }, listener);
    }

    /**
     * Like {@link #install(Reactor, Set, Consumer)}, and first tells {@code onArrival} on the thread HotSpot runs
     * the handler on, before the loop hears of the signal: it is told even while the loop is stuck. It must be
     * quick and thread-safe.
     */
    public static void install(Reactor reactor, Set<Signal> signals, Consumer<Signal> onArrival,
                               Consumer<Signal> listener) {
        if (signals.contains(Signal.CHLD)) {
            // The JDK resets SIGCHLD to SIG_DFL the first time ProcessImpl initialises, silently removing
            // any handler installed before; initialise it first so ours stays.
            try {
                Class.forName("java.lang.ProcessImpl", true, null);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("cannot initialise java.lang.ProcessImpl", e);
            }
        }
        for (Signal signal : signals) {
            if (!ALLOWED.contains(signal)) {
                throw new IllegalArgumentException("SIG" + signal + " cannot be handled inside a JVM");
            }
            sun.misc.Signal.handle(new sun.misc.Signal(signal.name()),
                    ignored -> {
                        onArrival.accept(signal);
                        reactor.execute(() -> listener.accept(signal));
                    });
        }
    }

    /** Puts the JVM's default disposition back for these signals. */
    public static void uninstall(Set<Signal> signals) {
        for (Signal signal : signals) {
            sun.misc.Signal.handle(new sun.misc.Signal(signal.name()), sun.misc.SignalHandler.SIG_DFL);
        }
    }
}
