package dev.tend.os;

/**
 * Linux errno values this layer reacts to, and the symbolic name of any errno for messages.
 */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ENXIO = 6;
    public static final int E2BIG = 7;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EBADF = 9;
    public static final int ECHILD = 10;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EEXIST = 17;
    public static final int ENOTDIR = 20;
    public static final int EISDIR = 21;
    public static final int EINVAL = 22;
    public static final int ENFILE = 23;
    public static final int EMFILE = 24;
    public static final int ENOSPC = 28;
    public static final int EPIPE = 32;
    public static final int ENOSYS = 38;
    public static final int ENOEXEC = 8;
    public static final int ENAMETOOLONG = 36;
    public static final int EOPNOTSUPP = 95;
    public static final int ECONNABORTED = 103;
    public static final int ECONNRESET = 104;
    public static final int ENOTCONN = 107;
    public static final int ECONNREFUSED = 111;
    public static final int EADDRINUSE = 98;
    public static final int ETIMEDOUT = 110;
    public static final int EINPROGRESS = 115;

    private static final String[] NAMES = new String[134];

    static {
        String[] list = {
            "1 EPERM", "2 ENOENT", "3 ESRCH", "4 EINTR", "5 EIO", "6 ENXIO", "7 E2BIG", "8 ENOEXEC", "9 EBADF",
            "10 ECHILD", "11 EAGAIN", "12 ENOMEM", "13 EACCES", "14 EFAULT", "15 ENOTBLK", "16 EBUSY", "17 EEXIST",
            "18 EXDEV", "19 ENODEV", "20 ENOTDIR", "21 EISDIR", "22 EINVAL", "23 ENFILE", "24 EMFILE", "25 ENOTTY",
            "26 ETXTBSY", "27 EFBIG", "28 ENOSPC", "29 ESPIPE", "30 EROFS", "31 EMLINK", "32 EPIPE", "33 EDOM",
            "34 ERANGE", "35 EDEADLK", "36 ENAMETOOLONG", "37 ENOLCK", "38 ENOSYS", "39 ENOTEMPTY", "40 ELOOP",
            "61 ENODATA", "75 EOVERFLOW", "88 ENOTSOCK", "90 EMSGSIZE", "95 EOPNOTSUPP", "97 EAFNOSUPPORT",
            "98 EADDRINUSE", "99 EADDRNOTAVAIL", "104 ECONNRESET", "105 ENOBUFS", "107 ENOTCONN",
            "101 ENETUNREACH", "110 ETIMEDOUT", "111 ECONNREFUSED", "113 EHOSTUNREACH", "115 EINPROGRESS",
            "122 EDQUOT",
        };
        for (String entry : list) {
            int space = entry.indexOf(' ');
            NAMES[Integer.parseInt(entry.substring(0, space))] = entry.substring(space + 1);
        }
    }

    private Errno() {}

    /** The symbolic name, such as {@code ENOENT}, or {@code errno N} for one not in the table. */
    public static String name(int errno) {
        String name = errno >= 0 && errno < NAMES.length ? NAMES[errno] : null;
        return name != null ? name : "errno " + errno;
    }

    /** The C library's description of an errno value. */
    public static String describe(int errno) {
        String text = LibC.strerror(errno);
        return text != null ? text : "unknown error";
    }
}
