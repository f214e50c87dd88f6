package dev.tend.os;

/**
 * Binds tend's native calls ahead of their first use, on a short-lived thread of its own: JNA's start-up
 * (loading its classes and libc's symbols) takes tens of milliseconds, which a program that first reads its
 * configuration can spend on another core instead of before its first system call.
 *
 * <p>The caller must {@link #await} the warm-up before it makes a native call itself: JNA's classes initialise
 * one another (Native, Pointer, Memory, Structure), and two threads initialising them at the same moment can
 * each wait for the other for ever.
 */
public final class NativeWarmUp {
    private final Thread thread;

    private NativeWarmUp(Thread thread) {
        this.thread = thread;
    }

    /** Starts the warm-up and returns at once; {@code then} runs on the same thread afterwards (its failures are ignored). */
    public static NativeWarmUp start(Runnable then) {
        Thread thread = new Thread(() -> {
            bind();
            try {
                then.run();
            } catch (RuntimeException | LinkageError e) {
                // Whatever it prepares is done again, and reported, where it is needed.
            }
        }, "tend-native-warm-up");
        thread.setDaemon(true);
        thread.start();
        return new NativeWarmUp(thread);
    }

    /** Waits until the warm-up has ended; only then may this thread call into the native layer. */
    public void await() {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
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
