package dev.tend.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Non-blocking TCP connections to real loopback listeners (IPv4 and IPv6), completed on a real reactor. */
class TcpConnectTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private Reactor reactor;
    private Thread loop;
    private final List<Throwable> loopErrors = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startLoop() {
        reactor = new Reactor(loopErrors::add);
        loop = new Thread(reactor::run, "tcp-test-loop");
        loop.start();
    }

    @AfterEach
    void stopLoop() throws Exception {
        reactor.stop();
        loop.join(WAIT.toMillis());
        reactor.close();
        assertEquals(List.of(), loopErrors, "nothing may fail on the loop");
    }

    /** Begins a connection on the loop and answers its outcome once the loop reports it writable. */
    private int connect(InetAddress address, int port, int[] fdOut) throws Exception {
        CompletableFuture<Integer> outcome = new CompletableFuture<>();
        reactor.execute(() -> {
            try {
                TcpConnect.Started started = TcpConnect.start(address, port);
                fdOut[0] = started.fd();
                if (started.connected()) {
                    outcome.complete(0);
                    return;
                }
                Reactor.Registration[] watch = new Reactor.Registration[1];
                watch[0] = reactor.register(started.fd(), Interest.WRITE, ready -> {
                    watch[0].cancel();
                    outcome.complete(TcpConnect.outcome(started.fd()));
                });
            } catch (Throwable t) {
                outcome.completeExceptionally(t);
            }
        });
        return outcome.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void connectsAndCarriesBytes(InetAddress loopback) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 4, loopback)) {
            int[] fd = {-1};
            assertEquals(0, connect(loopback, server.getLocalPort(), fd));
            try (Socket accepted = server.accept()) {
                ByteBuffer hello = ByteBuffer.allocateDirect(5).put("hello".getBytes(StandardCharsets.US_ASCII)).flip();
                assertEquals(5, UnixStreamSocket.write(fd[0], hello));
                assertEquals("hello", new String(accepted.getInputStream().readNBytes(5), StandardCharsets.US_ASCII));
            } finally {
                Fds.close(fd[0]);
            }
        }
    }

    @Test
    void shouldConnectOverIpv4() throws Exception {
        connectsAndCarriesBytes(InetAddress.getByName("127.0.0.1"));
    }

    @Test
    void shouldConnectOverIpv6() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        try (ServerSocket probe = new ServerSocket(0, 1, v6)) {
            probe.getLocalPort();
        } catch (IOException e) {
            Assumptions.abort("no IPv6 loopback here: " + e);
        }
        connectsAndCarriesBytes(v6);
    }

    @Test
    void shouldReportARefusedConnection() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = closed.getLocalPort();
        }
        int[] fd = {-1};
        try {
            int outcome = connect(InetAddress.getByName("127.0.0.1"), port, fd);
            assertEquals(Errno.ECONNREFUSED, outcome);
        } catch (ExecutionException e) {
            // Loopback may refuse at once: connect itself fails, and the socket is closed.
            NativeException refused = (NativeException) e.getCause();
            assertEquals(Errno.ECONNREFUSED, refused.errno());
            fd[0] = -1;
        } finally {
            Fds.close(fd[0]);
        }
        assertThrows(IllegalArgumentException.class, () -> TcpConnect.start(InetAddress.getByName("127.0.0.1"), 0));
    }
}
