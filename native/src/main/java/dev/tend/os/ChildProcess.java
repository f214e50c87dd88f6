package dev.tend.os;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.util.Optional;

/**
 * A child started by {@link Spawner}: its pid (also its process-group and session id), a pidfd, and the
 * parent's ends of its pipes.
 *
 * <p>The pidfd becomes readable (EPOLLIN) when the child exits; {@link #tryReap()} then collects its
 * status. Until it is reaped the child stays a zombie, so its pid (and therefore its process group id)
 * cannot be reused: signals sent to the group before the reap can never reach a stranger.
 *
 * <p>Not thread-safe: one thread (the event loop) owns a child.
 */
public final class ChildProcess implements AutoCloseable {
    private final int pid;
    private int pidfd;
    private int stdin;
    private int stdout;
    private int stderr;
    private final int[] extraOutputs;
    private ExitStatus status;

    ChildProcess(int pid, int pidfd, int stdin, int stdout, int stderr, int[] extraOutputs) {
        this.pid = pid;
        this.pidfd = pidfd;
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
        this.extraOutputs = extraOutputs;
    }

    /** The child's pid, which is also its process-group and session id. */
    public int pid() {
        return pid;
    }

    /** The pidfd: readable once the child has exited. -1 after {@link #close()}. */
    public int pidfd() {
        return pidfd;
    }

    /** Read end of the child's stdout (non-blocking), or -1 once closed. */
    public int stdout() {
        return stdout;
    }

    /** Read end of the child's stderr (non-blocking), or -1 once closed. */
    public int stderr() {
        return stderr;
    }

    /** Write end of the child's stdin (non-blocking), or -1 once closed. */
    public int stdin() {
        return stdin;
    }

    /** Read end of extra output pipe {@code i} (the child's fd {@code 3 + i}), or -1 once closed. */
    public int extraOutput(int i) {
        return extraOutputs[i];
    }

    /** How many extra output pipes the child was given. */
    public int extraOutputCount() {
        return extraOutputs.length;
    }

    /**
     * Closes the child's stdin: the child reads end of file, the stop request of the worker protocol.
     * Idempotent.
     */
    public void closeStdin() {
        Fds.close(stdin);
        stdin = -1;
    }

    /** Closes the read end of stdout. Idempotent. */
    public void closeStdout() {
        Fds.close(stdout);
        stdout = -1;
    }

    /** Closes the read end of stderr. Idempotent. */
    public void closeStderr() {
        Fds.close(stderr);
        stderr = -1;
    }

    /** Closes the read end of extra output pipe {@code i}. Idempotent. */
    public void closeExtraOutput(int i) {
        Fds.close(extraOutputs[i]);
        extraOutputs[i] = -1;
    }

    /**
     * Sends a signal to the child's whole process group.
     *
     * @return false when no process is left in the group (ESRCH).
     */
    public boolean signalGroup(Signal signal) {
        return Processes.signalGroup(pid, signal);
    }

    /**
     * Sends a signal to the child itself through its pidfd (never to a recycled pid).
     *
     * @return false when the child has already exited.
     */
    public boolean signal(Signal signal) {
        if (pidfd < 0) {
            return false;
        }
        long rc = LibCExtras.INSTANCE.syscall(LibCExtras.SYS_PIDFD_SEND_SIGNAL, (long) pidfd,
                (long) signal.number(), null, 0L);
        if (rc == 0) {
            return true;
        }
        int errno = Native.getLastError();
        if (errno == Errno.ESRCH) {
            return false;
        }
        throw new NativeException("pidfd_send_signal", "pid " + pid + " SIG" + signal, errno);
    }

    /**
     * Collects the exit status if the child has exited, without blocking.
     *
     * @return the status, or empty while the child runs. Once reaped, the same status on every call.
     */
    public Optional<ExitStatus> tryReap() {
        if (status != null) {
            return Optional.of(status);
        }
        try (Memory info = new Memory(LibC.SIGINFO_SIZE)) {
            info.clear();
            while (LibC.waitid(LibC.P_PIDFD, pidfd, info, LibC.WEXITED | LibC.WNOHANG) != 0) {
                int errno = Native.getLastError();
                if (errno != Errno.EINTR) {
                    throw new NativeException("waitid", "pid " + pid, errno);
                }
            }
            if (info.getInt(16) == 0) {
                return Optional.empty();
            }
            status = ExitStatus.fromSiginfo(info.getInt(8), info.getInt(24));
            return Optional.of(status);
        }
    }

    /** The status once reaped, or empty. */
    public Optional<ExitStatus> status() {
        return Optional.ofNullable(status);
    }

    /** Closes the pidfd and every pipe end still open. Does not signal or reap the child. */
    @Override
    public void close() {
        closeStdin();
        closeStdout();
        closeStderr();
        for (int i = 0; i < extraOutputs.length; i++) {
            closeExtraOutput(i);
        }
        Fds.close(pidfd);
        pidfd = -1;
    }
}
