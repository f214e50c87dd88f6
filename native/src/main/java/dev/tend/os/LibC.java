package dev.tend.os;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;

/**
 * Raw bindings to the Linux C library (glibc on x86_64 and aarch64), direct-mapped for speed.
 *
 * <p>This is the lowest layer of tend-native: every method is the C function of the same name, with
 * {@code errno} readable through {@link Native#getLastError()} right after the call. It is package-private
 * on purpose: the public classes of this package ({@link Spawner}, {@link Reactor}, {@link Fds},
 * {@link Processes}, …) check results, turn failures into {@link NativeException}s and take Java types, so
 * no JNA type and no raw call reaches the users of the library.
 *
 * <p>A {@link ByteBuffer} argument is passed as the address of its position (JNA does this for direct
 * buffers without copying; a heap buffer's whole array is copied in and out).
 *
 * <p>Constants come from the Linux UAPI and glibc headers named next to each group; they are the
 * same on x86_64 and aarch64 unless stated otherwise.
 */
final class LibC {
    static {
        NativeBootstrap.prepare();
        Native.register(LibC.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private LibC() {}

    // <fcntl.h>, <bits/fcntl-linux.h>
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0x40;
    public static final int O_EXCL = 0x80;
    public static final int O_NOCTTY = 0x100;
    public static final int O_TRUNC = 0x200;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_CLOEXEC = 0x80000;
    public static final int F_GETFD = 1;
    public static final int F_SETFD = 2;
    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    public static final int F_OFD_GETLK = 36;
    public static final int F_OFD_SETLK = 37;
    public static final int F_OFD_SETLKW = 38;
    public static final int F_DUPFD_CLOEXEC = 1030;
    public static final int FD_CLOEXEC = 1;
    public static final short F_RDLCK = 0;
    public static final short F_WRLCK = 1;
    public static final short F_UNLCK = 2;
    public static final short SEEK_SET = 0;

    // <spawn.h>
    public static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    public static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    public static final short POSIX_SPAWN_SETSID = 0x80;
    /** Upper bounds of the opaque spawn types (glibc: 336 and 80 bytes); over-allocated on purpose. */
    public static final int SPAWNATTR_SIZE = 512;
    public static final int SPAWN_FILE_ACTIONS_SIZE = 256;
    /** {@code sigset_t} as libc sees it: 1024 bits. */
    public static final int SIGSET_SIZE = 128;

    // <sys/wait.h>, <bits/waitflags.h>
    public static final int P_ALL = 0;
    public static final int P_PID = 1;
    public static final int P_PIDFD = 3;
    public static final int WNOHANG = 1;
    public static final int WEXITED = 4;
    public static final int WNOWAIT = 0x1000000;
    public static final int CLD_EXITED = 1;
    public static final int CLD_KILLED = 2;
    public static final int CLD_DUMPED = 3;
    /** {@code siginfo_t}: 128 bytes; si_code at 8, si_pid at 16, si_uid at 20, si_status at 24. */
    public static final int SIGINFO_SIZE = 128;

    // <sys/epoll.h>
    public static final int EPOLL_CLOEXEC = 0x80000;
    public static final int EPOLL_CTL_ADD = 1;
    public static final int EPOLL_CTL_DEL = 2;
    public static final int EPOLL_CTL_MOD = 3;
    public static final int EPOLLIN = 0x001;
    public static final int EPOLLOUT = 0x004;
    public static final int EPOLLERR = 0x008;
    public static final int EPOLLHUP = 0x010;

    // <sys/eventfd.h>
    public static final int EFD_NONBLOCK = 0x800;
    public static final int EFD_CLOEXEC = 0x80000;

    // <sys/prctl.h>
    public static final int PR_SET_CHILD_SUBREAPER = 36;
    public static final int PR_GET_CHILD_SUBREAPER = 37;

    // <sys/resource.h>
    public static final int RLIMIT_NOFILE = 7;

    // <sys/socket.h>, <sys/un.h>
    public static final int AF_UNIX = 1;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_NONBLOCK = 0x800;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int SOL_SOCKET = 1;
    public static final int SO_PASSCRED = 16;
    public static final int SO_PEERCRED = 17;
    public static final int SO_SNDBUF = 7;
    public static final int SCM_RIGHTS = 1;
    public static final int SCM_CREDENTIALS = 2;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_CTRUNC = 0x08;
    public static final int MSG_NOSIGNAL = 0x4000;
    public static final int SHUT_WR = 1;
    public static final int MSG_CMSG_CLOEXEC = 0x40000000;
    /** {@code struct sockaddr_un}: family (2 bytes) then 108 bytes of path. */
    public static final int SOCKADDR_UN_SIZE = 110;
    // <netinet/in.h>: TCP connections of health probes (TcpConnect)
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int SO_ERROR = 4;
    public static final int SOCKADDR_IN_SIZE = 16;
    public static final int SOCKADDR_IN6_SIZE = 28;

    // fds and pipes
    public static native int pipe2(int[] fds, int flags);
    public static native int close(int fd);
    public static native long read(int fd, Pointer buf, long count);
    public static native long write(int fd, Pointer buf, long count);
    public static native long read(int fd, ByteBuffer buf, long count);
    public static native long write(int fd, ByteBuffer buf, long count);
    public static native int fcntl(int fd, int cmd, int arg);
    public static native int fcntl(int fd, int cmd, Pointer arg);
    public static native int open(byte[] path, int flags, int mode);
    public static native int mkfifo(byte[] path, int mode);
    public static native int isatty(int fd);

    // processes
    public static native int getpid();
    // glibc's: gives the free pages of every malloc arena back to the kernel.
    public static native int malloc_trim(long pad);
    public static native int getppid();
    public static native int getuid();
    public static native int kill(int pid, int sig);
    public static native int waitid(int idtype, int id, Pointer siginfo, int options);
    public static native int prctl(int option, long arg2, long arg3, long arg4, long arg5);
    public static native int getpgid(int pid);
    public static native int getsid(int pid);
    public static native int getrlimit(int resource, Pointer rlim);
    // <bits/confname.h>: the page size and the clock ticks of /proc/PID/stat (UsageScanner).
    public static final int SC_CLK_TCK = 2;
    public static final int SC_PAGESIZE = 30;
    public static native long sysconf(int name);
    public static native int setrlimit(int resource, Pointer rlim);

    // posix_spawn; return an errno value, not -1
    public static native int posix_spawnattr_init(Pointer attr);
    public static native int posix_spawnattr_destroy(Pointer attr);
    public static native int posix_spawnattr_setflags(Pointer attr, short flags);
    public static native int posix_spawnattr_setsigmask(Pointer attr, Pointer sigset);
    public static native int posix_spawnattr_setsigdefault(Pointer attr, Pointer sigset);
    public static native int posix_spawn_file_actions_init(Pointer actions);
    public static native int posix_spawn_file_actions_destroy(Pointer actions);
    public static native int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newfd);
    public static native int posix_spawn(int[] pid, byte[] path, Pointer actions, Pointer attr, Pointer argv, Pointer envp);

    // signal sets
    public static native int sigemptyset(Pointer set);
    public static native int sigaddset(Pointer set, int sig);

    // epoll and eventfd
    public static native int epoll_create1(int flags);
    public static native int epoll_ctl(int epfd, int op, int fd, Pointer event);
    public static native int epoll_wait(int epfd, Pointer events, int maxevents, int timeoutMs);
    public static native int eventfd(int initval, int flags);

    // sockets
    public static native int socket(int domain, int type, int protocol);
    public static native int bind(int fd, Pointer addr, int addrlen);
    public static native int shutdown(int sockfd, int how);
    public static native int listen(int fd, int backlog);
    public static native int accept4(int fd, Pointer addr, Pointer addrlen, int flags);
    public static native int connect(int fd, Pointer addr, int addrlen);
    public static native long sendto(int fd, Pointer buf, long len, int flags, Pointer addr, int addrlen);
    public static native long sendto(int fd, ByteBuffer buf, long len, int flags, Pointer addr, int addrlen);
    public static native long recvmsg(int fd, Pointer msghdr, int flags);
    public static native int setsockopt(int fd, int level, int optname, Pointer optval, int optlen);
    public static native int getsockopt(int fd, int level, int optname, Pointer optval, Pointer optlen);

    public static native String strerror(int errnum);

    // ---- control socket (UnixStreamSocket) ----
    // SO_PEERCRED reports the peer's effective uid, so the supervisor compares it with its own.
    public static native int geteuid();

    // ---- sd_notify and orphan reaping (NotifySocket, SdNotify, Subreaper, OrphanReaper, ProcessInfo) ----
    // fchmod on an unbound AF_UNIX socket sets the mode bind() gives the socket file, so the file never
    // exists with looser permissions, not even between bind() and a chmod().
    public static native int fchmod(int fd, int mode);
    public static native int chmod(byte[] path, int mode);
    public static native int getgid();

    // ---- inotify (Inotify) ----
    public static native int inotify_init1(int flags);
    public static native int inotify_add_watch(int fd, byte[] path, int mask);
    public static native int inotify_rm_watch(int fd, int wd);
}
