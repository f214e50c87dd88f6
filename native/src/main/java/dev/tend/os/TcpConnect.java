package dev.tend.os;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Non-blocking TCP connections (IPv4 and IPv6) for a {@link Reactor}: {@link #start} begins a connection
 * and returns at once; the caller watches the descriptor for {@link Interest#WRITE} and, when it is
 * reported, asks {@link #outcome} whether the connection was made. No name resolution happens here: the
 * address is already an IP address, so nothing can block the loop.
 *
 * <p>The descriptor is non-blocking and close-on-exec; once connected, it reads and writes like any stream
 * socket ({@link UnixStreamSocket#read}, {@link UnixStreamSocket#write}, {@link NonBlockingConnection}). The
 * caller closes it ({@link Fds#close}).
 */
public final class TcpConnect {
    /**
     * A connection begun by {@link #start}.
     *
     * @param fd        the socket; the caller owns it.
     * @param connected whether it connected at once (possible on loopback); else wait for write readiness.
     */
    public record Started(int fd, boolean connected) {}

    private TcpConnect() {}

    /**
     * Creates a socket and begins connecting it to {@code address:port}.
     *
     * @throws NativeException when the socket cannot be made, or the connection fails at once (for example
     *     {@code ECONNREFUSED} on loopback, or {@code ENETUNREACH}); the socket is then closed.
     */
    public static Started start(InetAddress address, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be within 1..65535, was " + port);
        }
        boolean v6 = address instanceof Inet6Address;
        int fd = LibC.socket(v6 ? LibC.AF_INET6 : LibC.AF_INET, LibC.SOCK_STREAM | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC,
                0);
        if (fd < 0) {
            throw NativeException.last("socket", describe(address, port));
        }
        try (Memory sockaddr = sockaddr(address, port)) {
            if (LibC.connect(fd, sockaddr, (int) sockaddr.size()) == 0) {
                return new Started(fd, true);
            }
            int errno = Native.getLastError();
            // EINTR: the connection goes on in the background, as with EINPROGRESS.
            if (errno == Errno.EINPROGRESS || errno == Errno.EINTR) {
                return new Started(fd, false);
            }
            Fds.close(fd);
            throw new NativeException("connect", describe(address, port), errno);
        }
    }

    /**
     * How a connection begun by {@link #start} ended up, once its descriptor was reported writable (or in
     * error): 0 when it is connected, else the errno of the failure ({@code SO_ERROR}), such as
     * {@link Errno#ECONNREFUSED}.
     */
    public static int outcome(int fd) {
        try (Memory value = new Memory(4); Memory length = new Memory(4)) {
            value.setInt(0, 0);
            length.setInt(0, 4);
            if (LibC.getsockopt(fd, LibC.SOL_SOCKET, LibC.SO_ERROR, value, length) != 0) {
                return Native.getLastError();
            }
            return value.getInt(0);
        }
    }

    private static Memory sockaddr(InetAddress address, int port) {
        byte[] ip = address.getAddress();
        Memory m = new Memory(address instanceof Inet4Address ? LibC.SOCKADDR_IN_SIZE : LibC.SOCKADDR_IN6_SIZE);
        m.clear();
        // sa_family in host order, then the port in network order; sin_addr at 4, sin6_addr at 8.
        m.setShort(0, (short) (address instanceof Inet4Address ? LibC.AF_INET : LibC.AF_INET6));
        m.setByte(2, (byte) (port >> 8));
        m.setByte(3, (byte) port);
        m.write(address instanceof Inet4Address ? 4 : 8, ip, 0, ip.length);
        if (address instanceof Inet6Address v6 && v6.getScopeId() != 0) {
            m.setInt(24, v6.getScopeId());
        }
        return m;
    }

    private static String describe(InetAddress address, int port) {
        String host = address.getHostAddress();
        return (address instanceof Inet6Address ? "[" + host + "]" : host) + ":" + port;
    }
}
