package dev.tend.os;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts children with {@code posix_spawn}, never through {@link ProcessBuilder}.
 *
 * <p>Every child is guaranteed to start:
 * <ul>
 *   <li>in a new session, so its pid is also its process-group id and signals to {@code -pid} reach all
 *       the processes it starts that stay in the group;</li>
 *   <li>with stdin, stdout and stderr as pipes to the parent (the parent ends are non-blocking), plus
 *       the requested extra output pipes at fd 3 and up;</li>
 *   <li>with no other file descriptor: {@code posix_spawn_file_actions_addclosefrom_np} closes the rest,
 *       or on an older glibc every descriptor of the parent is marked close-on-exec just before;</li>
 *   <li>with an empty signal mask and every signal at its default disposition, whatever the JVM blocks
 *       or ignores (HotSpot blocks SIGQUIT in most of its threads; {@code nohup} ignores SIGHUP);</li>
 *   <li>with exactly the environment and working directory of the request.</li>
 * </ul>
 * A pidfd for the child is opened at once, so the child can be watched with epoll and signalled without
 * any risk of hitting a recycled pid.
 *
 * <p>A {@link SpawnRequest#foreground() foreground} child is the exception: it keeps the parent's stdin,
 * stdout, stderr, session and process group, as a shell's foreground job does (used by {@code tend run}
 * for the command it runs); the other guarantees hold.
 *
 * <p>Thread-safe: spawns that change {@code RLIMIT_NOFILE} are serialised.
 */
public final class Spawner {
    private static final Object RLIMIT_LOCK = new Object();
    private static volatile Boolean closeFromSupported;

    private Spawner() {}

    /**
     * The signal sets every child starts with, made once rather than with 60 calls at each spawn: none blocked,
     * and every signal that can be caught or ignored back at its default. Read-only once made (posix_spawnattr
     * copies them), so shared by every thread.
     */
    private static final class SignalSets {
        static final Memory NONE = new Memory(LibC.SIGSET_SIZE);
        static final Memory CATCHABLE = new Memory(LibC.SIGSET_SIZE);

        static {
            LibC.sigemptyset(NONE);
            LibC.sigemptyset(CATCHABLE);
            for (int sig = 1; sig <= 64; sig++) {
                // 9 and 19 cannot be caught or ignored; 32 and 33 are glibc's own and rejected by sigaddset.
                if (sig != 9 && sig != 19 && sig != 32 && sig != 33) {
                    LibC.sigaddset(CATCHABLE, sig);
                }
            }
        }

        private SignalSets() {}
    }

    /** Makes what every spawn shares ahead of the first one ({@link NativeWarmUp}). */
    static void prepare() {
        SignalSets.NONE.size();
    }

    /**
     * Starts a child.
     *
     * @throws NativeException when a pipe cannot be created or {@code posix_spawn} fails (the message names
     *                         the executable and the errno, e.g. ENOENT or EACCES); nothing is left open.
     */
    public static ChildProcess spawn(SpawnRequest request) {
        if (request.foreground()) {
            return spawnForeground(request);
        }
        List<Integer> toClose = new ArrayList<>();
        int firstFree = 3 + request.extraPipes();
        try {
            Fds.Pipe in = lifted(Fds.pipe(), firstFree, toClose);
            Fds.Pipe out = lifted(Fds.pipe(), firstFree, toClose);
            Fds.Pipe err = lifted(Fds.pipe(), firstFree, toClose);
            Fds.Pipe[] extras = new Fds.Pipe[request.extraPipes()];
            for (int i = 0; i < extras.length; i++) {
                extras[i] = lifted(Fds.pipe(), firstFree, toClose);
            }
            Fds.setNonBlocking(in.writeFd());
            Fds.setNonBlocking(out.readFd());
            Fds.setNonBlocking(err.readFd());
            int[] targets = new int[3 + extras.length];
            int[] sources = new int[targets.length];
            sources[0] = in.readFd();
            sources[1] = out.writeFd();
            sources[2] = err.writeFd();
            for (int i = 0; i < extras.length; i++) {
                Fds.setNonBlocking(extras[i].readFd());
                sources[3 + i] = extras[i].writeFd();
            }
            for (int i = 0; i < targets.length; i++) {
                targets[i] = i;
            }
            int pid = spawnWith(request, sources, targets, true);
            // The child holds its own copies now; ours must go, or EOF never reaches either side.
            for (int source : sources) {
                Fds.close(source);
                toClose.remove(Integer.valueOf(source));
            }
            int pidfd = openPidfdOrKill(pid, true);
            int[] extraReads = new int[extras.length];
            for (int i = 0; i < extras.length; i++) {
                extraReads[i] = extras[i].readFd();
            }
            toClose.clear();
            return new ChildProcess(pid, pidfd, in.writeFd(), out.readFd(), err.readFd(), extraReads);
        } finally {
            for (int fd : toClose) {
                Fds.close(fd);
            }
        }
    }

    /**
     * A child that keeps our stdio, session and process group (see {@link SpawnRequest#foreground()}), with its
     * stdout a pipe to us if {@link SpawnRequest#pipedStdout()}.
     */
    private static ChildProcess spawnForeground(SpawnRequest request) {
        if (!request.pipedStdout()) {
            int pid = spawnWith(request, new int[0], new int[0], false);
            return new ChildProcess(pid, openPidfdOrKill(pid, false), -1, -1, -1, new int[0]);
        }
        List<Integer> toClose = new ArrayList<>();
        try {
            Fds.Pipe out = lifted(Fds.pipe(), 3, toClose);
            Fds.setNonBlocking(out.readFd());
            int pid = spawnWith(request, new int[] {out.writeFd()}, new int[] {1}, false);
            Fds.close(out.writeFd());
            toClose.remove(Integer.valueOf(out.writeFd()));
            int pidfd = openPidfdOrKill(pid, false);
            toClose.clear();
            return new ChildProcess(pid, pidfd, -1, out.readFd(), -1, new int[0]);
        } finally {
            for (int fd : toClose) {
                Fds.close(fd);
            }
        }
    }

    /**
     * Moves both ends above the child's target descriptors, so that no sequence of dup2 calls in the
     * child can overwrite a source before it is used (possible when the parent's own 0, 1 or 2 are closed).
     */
    private static Fds.Pipe lifted(Fds.Pipe pipe, int firstFree, List<Integer> toClose) {
        int r = pipe.readFd();
        int w = pipe.writeFd();
        if (r < firstFree) {
            int moved = Fds.dupAbove(r, firstFree);
            Fds.close(r);
            r = moved;
        }
        if (w < firstFree) {
            int moved = Fds.dupAbove(w, firstFree);
            Fds.close(w);
            w = moved;
        }
        toClose.add(r);
        toClose.add(w);
        return new Fds.Pipe(r, w);
    }

    /** {@code ownGroup}: the child leads a process group of its own, which is killed whole. */
    private static int openPidfdOrKill(int pid, boolean ownGroup) {
        try {
            return pidfdOpen(pid);
        } catch (NativeException e) {
            // Without a pidfd the child cannot be watched: take it down rather than leave it unsupervised, with
            // whatever it may already have started in its group (a foreground child shares ours: only itself).
            LibC.kill(ownGroup ? -pid : pid, Signal.KILL.number());
            try (Memory info = new Memory(LibC.SIGINFO_SIZE)) {
                LibC.waitid(LibC.P_PID, pid, info, LibC.WEXITED);
            }
            throw e;
        }
    }

    private static int spawnWith(SpawnRequest request, int[] sources, int[] targets, boolean ownSession) {
        try (Memory attr = new Memory(LibC.SPAWNATTR_SIZE);
             Memory actions = new Memory(LibC.SPAWN_FILE_ACTIONS_SIZE)) {
            check("posix_spawnattr_init", LibC.posix_spawnattr_init(attr));
            check("posix_spawn_file_actions_init", LibC.posix_spawn_file_actions_init(actions));
            try {
                check("posix_spawnattr_setsigmask", LibC.posix_spawnattr_setsigmask(attr, SignalSets.NONE));
                check("posix_spawnattr_setsigdefault", LibC.posix_spawnattr_setsigdefault(attr, SignalSets.CATCHABLE));
                short flags = (short) (LibC.POSIX_SPAWN_SETSIGMASK | LibC.POSIX_SPAWN_SETSIGDEF
                        | (ownSession ? LibC.POSIX_SPAWN_SETSID : 0));
                check("posix_spawnattr_setflags", LibC.posix_spawnattr_setflags(attr, flags));
                for (int i = 0; i < sources.length; i++) {
                    check("posix_spawn_file_actions_adddup2",
                            LibC.posix_spawn_file_actions_adddup2(actions, sources[i], targets[i]));
                }
                boolean closeFrom = addCloseFrom(actions, Math.max(3, targets.length));
                byte[] cwd = cString(request.cwd().toString());
                check("posix_spawn_file_actions_addchdir_np",
                        LibCExtras.INSTANCE.posix_spawn_file_actions_addchdir_np(actions, cwd));
                if (!closeFrom) {
                    markAllCloseOnExec();
                }
                Memory argv = stringArray(request.argv());
                Memory envp = stringArray(environmentEntries(request.environment()));
                try {
                    return spawnWithLimit(request, actions, attr, argv, envp);
                } finally {
                    argv.close();
                    envp.close();
                }
            } finally {
                LibC.posix_spawn_file_actions_destroy(actions);
                LibC.posix_spawnattr_destroy(attr);
            }
        }
    }

    private static int spawnWithLimit(SpawnRequest request, Pointer actions, Pointer attr, Pointer argv,
                                      Pointer envp) {
        int[] pid = new int[1];
        byte[] path = cString(request.executable().toString());
        if (request.nofileLimit() < 0) {
            int rc = LibC.posix_spawn(pid, path, actions, attr, argv, envp);
            if (rc != 0) {
                throw new NativeException("posix_spawn", request.executable().toString(), rc);
            }
            return pid[0];
        }
        // posix_spawn cannot set limits in the child and prlimit after the fact races with the program,
        // so the soft limit is lowered for the instant of the spawn. It is process-wide: other threads
        // opening descriptors above the lowered limit during that window would get EMFILE, which is why
        // supervisors spawn from their one event-loop thread.
        synchronized (RLIMIT_LOCK) {
            try (Memory limits = CurrentProcess.openFileLimits()) {
                long soft = limits.getLong(0);
                long wanted = Math.min(request.nofileLimit(), limits.getLong(8));
                boolean change = wanted != soft;
                if (change) {
                    setSoftNofile(limits, wanted);
                }
                try {
                    int rc = LibC.posix_spawn(pid, path, actions, attr, argv, envp);
                    if (rc != 0) {
                        throw new NativeException("posix_spawn", request.executable().toString(), rc);
                    }
                    return pid[0];
                } finally {
                    if (change) {
                        setSoftNofile(limits, soft);
                    }
                }
            }
        }
    }

    private static void setSoftNofile(Memory limits, long soft) {
        limits.setLong(0, soft);
        if (LibC.setrlimit(LibC.RLIMIT_NOFILE, limits) != 0) {
            throw NativeException.last("setrlimit", "RLIMIT_NOFILE");
        }
    }

    private static boolean addCloseFrom(Pointer actions, int lowFd) {
        Boolean supported = closeFromSupported;
        if (supported == null || supported) {
            try {
                check("posix_spawn_file_actions_addclosefrom_np",
                        LibCExtras.INSTANCE.posix_spawn_file_actions_addclosefrom_np(actions, lowFd));
                closeFromSupported = true;
                return true;
            } catch (UnsatisfiedLinkError e) {
                closeFromSupported = false;
            }
        }
        return false;
    }

    /**
     * Fallback for glibc before 2.34: flag every descriptor close-on-exec (kernel 5.11+). Harmless to the JVM,
     * which never execs; our own pipes are re-opened in the child by dup2, which clears the flag.
     */
    private static void markAllCloseOnExec() {
        long rc = LibCExtras.INSTANCE.syscall(LibCExtras.SYS_CLOSE_RANGE, 3L, 0xFFFFFFFFL,
                LibCExtras.CLOSE_RANGE_CLOEXEC);
        if (rc != 0) {
            throw NativeException.last("close_range", "3..");
        }
    }

    static int pidfdOpen(int pid) {
        long fd = LibCExtras.INSTANCE.syscall(LibCExtras.SYS_PIDFD_OPEN, (long) pid, 0L);
        if (fd < 0) {
            throw NativeException.last("pidfd_open", "pid " + pid);
        }
        // pidfd_open sets O_CLOEXEC itself.
        return (int) fd;
    }

    private static void check(String call, int rc) {
        if (rc != 0) {
            throw new NativeException(call, null, rc);
        }
    }

    private static List<String> environmentEntries(Map<String, String> environment) {
        List<String> entries = new ArrayList<>(environment.size());
        environment.forEach((k, v) -> entries.add(k + "=" + v));
        return entries;
    }

    private static byte[] cString(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        byte[] z = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, z, 0, bytes.length);
        return z;
    }

    /** A NULL-terminated {@code char*[]} followed by the strings it points to, in one block. */
    private static Memory stringArray(List<String> strings) {
        byte[][] encoded = new byte[strings.size()][];
        long bytes = 0;
        for (int i = 0; i < encoded.length; i++) {
            encoded[i] = strings.get(i).getBytes(StandardCharsets.UTF_8);
            bytes += encoded[i].length + 1;
        }
        long table = (long) (encoded.length + 1) * Native.POINTER_SIZE;
        Memory block = new Memory(table + bytes);
        long at = table;
        for (int i = 0; i < encoded.length; i++) {
            block.setPointer((long) i * Native.POINTER_SIZE, block.share(at));
            block.write(at, encoded[i], 0, encoded[i].length);
            block.setByte(at + encoded[i].length, (byte) 0);
            at += encoded[i].length + 1;
        }
        block.setPointer((long) encoded.length * Native.POINTER_SIZE, null);
        return block;
    }
}
