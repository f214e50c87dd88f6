package dev.tend.os;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;

/**
 * The sending side of the sd_notify protocol: tells the service manager that started this process (systemd,
 * or another tend) about readiness, status, shutdown and watchdog pings.
 *
 * <p>Every {@link #send} is one datagram, sent without blocking and without raising SIGPIPE, because it
 * runs on the event loop: when the manager is gone, slow or its queue is full, the message is dropped and
 * {@code send} returns false. The reason is kept in {@link #lastError()} for a one-time warning; notification
 * is advisory and never worth stalling supervision for.
 *
 * <p>Supported {@code NOTIFY_SOCKET} forms: an absolute path and an abstract name ({@code @name}). Others
 * (such as systemd's {@code vsock:…}) are treated as if the variable were unset.
 *
 * <p>Not thread-safe: one thread (the event loop) owns an instance.
 */
public final class SdNotify implements AutoCloseable {
    private final NotifyAddress address;
    private final Memory sockaddr;
    private int fd = -1;
    private String lastError;
    private boolean closed;

    private SdNotify(NotifyAddress address) {
        this.address = address;
        this.sockaddr = address.sockaddr();
    }

    /**
     * The notifier for {@code NOTIFY_SOCKET} in {@code env}.
     *
     * @return empty when the variable is unset, empty, or names an address form not supported here.
     * @throws IllegalArgumentException when it is a path or abstract name too long for a socket address.
     */
    public static Optional<SdNotify> fromEnvironment(Map<String, String> env) {
        Optional<NotifyAddress> address = NotifyAddress.parse(env.get("NOTIFY_SOCKET"));
        if (address.isEmpty()) {
            return Optional.empty();
        }
        if (!address.get().fits()) {
            throw new IllegalArgumentException("NOTIFY_SOCKET is " + address.get().nameBytes()
                    + " bytes long, more than the " + NotifyAddress.MAX_PATH_BYTES
                    + " a Unix socket address holds: " + address.get());
        }
        return Optional.of(new SdNotify(address.get()));
    }

    /**
     * How often to send {@code WATCHDOG=1}: half of {@code WATCHDOG_USEC}, as sd_watchdog_enabled(3)
     * recommends, and only when {@code WATCHDOG_PID} is unset or names {@code pid}.
     *
     * @return empty when no watchdog is asked of {@code pid}, or the variables are not positive numbers.
     */
    public static Optional<Duration> watchdogInterval(Map<String, String> env, int pid) {
        String usec = env.get("WATCHDOG_USEC");
        if (usec == null) {
            return Optional.empty();
        }
        String watchdogPid = env.get("WATCHDOG_PID");
        if (watchdogPid != null) {
            try {
                if (Integer.parseInt(watchdogPid.trim()) != pid) {
                    return Optional.empty();
                }
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        long micros;
        try {
            micros = Long.parseLong(usec.trim());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (micros <= 0) {
            return Optional.empty();
        }
        return Optional.of(Duration.of(micros, ChronoUnit.MICROS).dividedBy(2));
    }

    /** The address in {@code NOTIFY_SOCKET} notation. */
    public String address() {
        return address.text();
    }

    /**
     * Sends one datagram, e.g. {@code "READY=1\nSTATUS=3 workers running"}. Never blocks.
     *
     * @return true when the message was queued at the receiver; false when it was dropped (nobody bound to
     *         the address, the receiver's queue is full, or any other error), see {@link #lastError()}.
     * @throws IllegalStateException after {@link #close()}.
     */
    public boolean send(String message) {
        if (closed) {
            throw new IllegalStateException("sd_notify sender for " + address + " is closed");
        }
        if (fd < 0) {
            // Created on first use and retried on the next send if that failed, so a transient EMFILE does not
            // disable notification for good.
            fd = LibC.socket(LibC.AF_UNIX, LibC.SOCK_DGRAM | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC, 0);
            if (fd < 0) {
                lastError = NativeException.last("socket", address.text()).getMessage();
                return false;
            }
        }
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        try (Memory payload = new Memory(Math.max(1, bytes.length))) {
            payload.write(0, bytes, 0, bytes.length);
            while (true) {
                long n = LibC.sendto(fd, payload, bytes.length, LibC.MSG_NOSIGNAL | LibC.MSG_DONTWAIT,
                        sockaddr, address.sockaddrLength());
                if (n >= 0) {
                    return true;
                }
                int errno = Native.getLastError();
                if (errno != Errno.EINTR) {
                    lastError = new NativeException("sendto", address.text(), errno).getMessage();
                    return false;
                }
            }
        }
    }

    /**
     * Why the most recent failed {@link #send} failed, such as
     * {@code sendto /run/systemd/notify: ECONNREFUSED (Connection refused)}; empty if none has failed.
     * Kept after later successes, so it says what went wrong last, not whether the last send worked.
     */
    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    /** Closes the socket. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Fds.close(fd);
        fd = -1;
        sockaddr.close();
    }
}
