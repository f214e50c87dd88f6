package dev.tend.os;

import com.sun.jna.Native;

/**
 * A failed system call: names the call, the errno and its text, and what it was applied to.
 *
 * <p>Message shape: {@code posix_spawn /usr/bin/foo: ENOENT (No such file or directory)}.
 */
public final class NativeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;

    /**
     * @param call the libc function that failed.
     * @param subject what it was applied to (a path, a pid, a fd), or {@code null}.
     * @param errno the error number it reported.
     */
    public NativeException(String call, String subject, int errno) {
        super(call + (subject == null || subject.isEmpty() ? "" : " " + subject) + ": "
                + Errno.name(errno) + " (" + Errno.describe(errno) + ")");
        this.call = call;
        this.errno = errno;
    }

    /** Captures {@code errno} of the call that just failed on this thread. */
    public static NativeException last(String call, String subject) {
        return new NativeException(call, subject, Native.getLastError());
    }

    /** The libc function that failed. */
    public String call() {
        return call;
    }

    /** The errno value it reported. */
    public int errno() {
        return errno;
    }
}
