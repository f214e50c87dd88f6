package dev.tend.cli;

/**
 * A command's wait given up because its thread was interrupted: Ctrl-C in {@code tend console}, which ends
 * {@code logs -f} or a wait and returns to the prompt. Nothing is printed for it; elsewhere Ctrl-C ends the
 * JVM before a command could see it.
 */
public final class Cancelled extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private Cancelled() {
        super("cancelled", null, false, false);
    }

    /**
     * The exception for an interrupted wait, clearing the thread's interrupt status: the interrupt has done its
     * work, and left set it would fail what the command still does on its way out (loading a class from the jar).
     */
    static Cancelled now() {
        Thread.interrupted();
        return new Cancelled();
    }
}
