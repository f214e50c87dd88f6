package dev.tend.engine;

import dev.tend.config.HealthCheck;
import dev.tend.os.Errno;
import dev.tend.os.Fds;
import dev.tend.os.Interest;
import dev.tend.os.NativeException;
import dev.tend.os.NonBlockingConnection;
import dev.tend.os.Reactor;
import dev.tend.os.Readiness;
import dev.tend.os.TcpConnect;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A tcp or http probe: a non-blocking TCP connection watched by the loop. A tcp probe passes once the
 * connection is made; an http probe then sends a plain HTTP/1.1 GET and passes on a status from 200 to 399,
 * read from the first line of the response (the rest is not read). The probe's timeout is its monitor's.
 */
final class SocketProbe implements ProbeAttempt, NonBlockingConnection.Listener {
    /** The longest status line read; a server that sends more without a line end is not speaking HTTP. */
    static final int MAX_STATUS_LINE = 8 * 1024;

    private final Reactor reactor;
    private final HealthCheck.Http http;
    private final Consumer<ProbeResult> done;
    private int fd = -1;
    private Reactor.Registration connecting;
    private NonBlockingConnection connection;
    private final byte[] response = new byte[MAX_STATUS_LINE];
    private int received;
    private boolean over;

    private SocketProbe(Reactor reactor, HealthCheck.Http http, Consumer<ProbeResult> done) {
        this.reactor = reactor;
        this.http = http;
        this.done = done;
    }

    /** Starts a tcp probe ({@code http} null) or an http probe; {@code done} may be called before this returns. */
    static SocketProbe start(Reactor reactor, InetAddress address, int port, HealthCheck.Http http,
                             Consumer<ProbeResult> done) {
        SocketProbe probe = new SocketProbe(reactor, http, done);
        probe.connect(address, port);
        return probe;
    }

    private void connect(InetAddress address, int port) {
        TcpConnect.Started started;
        try {
            started = TcpConnect.start(address, port);
        } catch (NativeException e) {
            finish(false, failure(e.errno()));
            return;
        }
        fd = started.fd();
        if (started.connected()) {
            connected();
            return;
        }
        try {
            connecting = reactor.register(fd, Interest.WRITE, this::onConnectReady);
        } catch (NativeException e) {
            finish(false, failure(e.errno()));
        }
    }

    /** Writable, or in error: the connection is made, or failed (SO_ERROR says which). */
    private void onConnectReady(Readiness ready) {
        int errno = TcpConnect.outcome(fd);
        if (errno == 0) {
            connecting.cancel();
            connecting = null;
            connected();
        } else {
            finish(false, failure(errno));
        }
    }

    private void connected() {
        if (http == null) {
            finish(true, "connected");
            return;
        }
        int socket = fd;
        fd = -1;
        try {
            connection = new NonBlockingConnection(reactor, socket, 64 * 1024, this);
        } catch (NativeException e) {
            Fds.close(socket);
            finish(false, failure(e.errno()));
            return;
        }
        // From here the connection owns the descriptor.
        connection.send(("GET " + http.target() + " HTTP/1.1\r\nHost: " + http.host()
                + "\r\nUser-Agent: tend-health-probe\r\nAccept: */*\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
    }

    @Override
    public void readable() {
        while (!over) {
            int n;
            try {
                n = connection.read(response, received, response.length - received);
            } catch (NativeException e) {
                finish(false, failure(e.errno()));
                return;
            }
            if (n == NonBlockingConnection.AGAIN) {
                return;
            }
            if (n == 0) {
                finish(false, received == 0 ? "the server closed the connection without answering"
                        : "the server closed the connection in the middle of its status line");
                return;
            }
            received += n;
            String line = statusLine();
            if (line != null) {
                judge(line);
            } else if (received == response.length) {
                finish(false, "no HTTP status line in the first " + MAX_STATUS_LINE + " bytes of the answer");
            }
        }
    }

    private String statusLine() {
        for (int i = 0; i < received; i++) {
            if (response[i] == '\n') {
                return new String(response, 0, i, StandardCharsets.ISO_8859_1).strip();
            }
        }
        return null;
    }

    private void judge(String line) {
        String[] parts = line.split(" ", 3);
        int status = parts.length >= 2 && parts[0].startsWith("HTTP/") && parts[1].matches("\\d{3}")
                ? Integer.parseInt(parts[1]) : -1;
        if (status < 0) {
            finish(false, "not an HTTP status line: " + cut(line), List.of(cut(line)));
            return;
        }
        String how = "HTTP " + status + (parts.length > 2 ? " " + cut(parts[2]) : "");
        finish(status >= 200 && status < 400, how, List.of(cut(line)));
    }

    private static String cut(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }

    @Override
    public void closed(NonBlockingConnection.CloseReason reason) {
        finish(false, "the server closed the connection before the request was sent");
    }

    @Override
    public void failed(NativeException failure) {
        finish(false, failure(failure.errno()));
    }

    /** {@code connection refused (ECONNREFUSED)}. */
    static String failure(int errno) {
        return Errno.describe(errno).toLowerCase(Locale.ROOT) + " (" + Errno.name(errno) + ")";
    }

    private void finish(boolean passed, String how) {
        finish(passed, how, List.of());
    }

    private void finish(boolean passed, String how, List<String> output) {
        if (over) {
            return;
        }
        release();
        done.accept(new ProbeResult(passed, how, output));
    }

    @Override
    public void abandon() {
        release();
    }

    @Override
    public List<String> output() {
        String line = received == 0 ? null : new String(response, 0, received, StandardCharsets.ISO_8859_1).strip();
        return line == null || line.isEmpty() ? List.of() : List.of(cut(line.lines().findFirst().orElse("")));
    }

    private void release() {
        over = true;
        if (connecting != null) {
            connecting.cancel();
            connecting = null;
        }
        if (fd >= 0) {
            Fds.close(fd);
            fd = -1;
        }
        if (connection != null) {
            connection.close();
        }
    }
}
