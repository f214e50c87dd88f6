package dev.tend.os;

/**
 * Binds tend's native calls ahead of their first use, on a short-lived thread of its own: JNA's start-up
 * (loading its classes and libc's symbols) takes tens of milliseconds, which a program that first reads its
 * configuration can spend on another core instead of before its first system call.
 */
public final class NativeWarmUp {
    private NativeWarmUp() {}

    /**
     * Starts the warm-up and returns at once. Whoever needs the bindings meanwhile waits for the class
     * initialisation in progress, as it would have run it itself; a failure here is left for that first use to
     * report.
     */
    public static void inBackground() {
        Thread thread = new Thread(NativeWarmUp::bind, "tend-native-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    private static void bind() {
        try {
            LibC.getpid();
            LibCExtras.INSTANCE.hashCode();
            Spawner.prepare();
        } catch (RuntimeException | LinkageError e) {
            // Reported by the first real use, on the thread that needs it.
        }
    }
}
