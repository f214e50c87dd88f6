package dev.tend.os;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.os.NonBlockingConnection.CloseReason;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@link NonBlockingConnection} on a real connected Unix socket, the peer being a blocking JDK
 * {@link SocketChannel} driven from the test thread while the reactor runs on its own.
 */
class NonBlockingConnectionTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Far more than the kernel buffers of a socket pair hold (a few hundred KiB), so writes must be partial. */
    private static final int LARGE = 4 * 1024 * 1024;

    @TempDir
    Path dir;

    private Reactor reactor;
    private Thread loop;
    private int listenFd = -1;
    private SocketChannel peer;
    private volatile NonBlockingConnection connection;
    private final List<Throwable> loopErrors = new CopyOnWriteArrayList<>();

    /** What the connection told its owner, in order. */
    private final List<String> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startLoop() {
        reactor = new Reactor(loopErrors::add);
        loop = new Thread(reactor::run, "connection-test-loop");
        loop.start();
    }

    @AfterEach
    void stopLoop() throws Exception {
        if (connection != null) {
            onLoop(() -> {
                connection.close();
                return null;
            });
        }
        reactor.stop();
        loop.join(WAIT.toMillis());
        reactor.close();
        Fds.close(listenFd);
        if (peer != null) {
            peer.close();
        }
        assertEquals(List.of(), loopErrors, "nothing may fail on the loop");
    }

    /** Runs {@code action} on the loop thread and returns its result. */
    private <T> T onLoop(Supplier<T> action) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        reactor.execute(() -> {
            try {
                result.complete(action.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A connection over a fresh socket pair; the peer end is {@link #peer}. */
    private NonBlockingConnection open(long maxPending, NonBlockingConnection.Listener listener) throws Exception {
        Path path = dir.resolve("s");
        listenFd = UnixStreamSocket.listen(path, 4);
        peer = SocketChannel.open(StandardProtocolFamily.UNIX);
        peer.connect(UnixDomainSocketAddress.of(path));
        int[] fd = {UnixStreamSocket.AGAIN};
        Await.until(WAIT, "the connection", () -> (fd[0] = UnixStreamSocket.accept(listenFd)) >= 0);
        connection = onLoop(() -> new NonBlockingConnection(reactor, fd[0], maxPending, listener));
        return connection;
    }

    /** Records what happens; reads all input in small pieces and stops reading at its end. */
    private class Recorder implements NonBlockingConnection.Listener {
        final StringBuffer input = new StringBuffer();

        @Override
        public void readable() {
            byte[] chunk = new byte[7];
            int n;
            while ((n = connection.read(chunk, 0, chunk.length)) > 0) {
                input.append(new String(chunk, 0, n, StandardCharsets.US_ASCII));
            }
            if (n == 0) {
                events.add("end of stream");
                connection.stopReading();
            }
        }

        @Override
        public void closed(CloseReason reason) {
            events.add("closed " + reason);
        }

        @Override
        public void failed(NativeException failure) {
            events.add("failed " + failure.getMessage());
        }
    }

    private NonBlockingConnection connect(long maxPending, Recorder recorder) throws Exception {
        return open(maxPending, recorder);
    }

    private static byte[] pattern(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + seed);
        }
        return bytes;
    }

    /** Reads from the peer until {@code length} bytes came or the stream ended. */
    private byte[] peerReads(int length) throws IOException {
        ByteBuffer into = ByteBuffer.allocate(length);
        while (into.hasRemaining() && peer.read(into) >= 0) {
            // A blocking read returns as data arrives.
        }
        byte[] bytes = new byte[into.flip().remaining()];
        into.get(bytes);
        return bytes;
    }

    @Test
    void shouldQueueWhatThePeerDoesNotReadAndDeliverItAllInOrderOnceItReads() throws Exception {
        Recorder recorder = new Recorder();
        NonBlockingConnection connection = connect(64L * 1024 * 1024, recorder);
        byte[] first = pattern(LARGE / 2, 1);
        byte[] second = pattern(LARGE / 2, 7);
        long pending = onLoop(() -> {
            connection.send(first);
            connection.send(second);
            return connection.pendingBytes();
        });
        assertTrue(pending > 0 && pending < LARGE, "a partial write, the rest queued: " + pending);
        assertTrue(onLoop(connection::isOpen));

        byte[] received = peerReads(LARGE);
        byte[] expected = new byte[LARGE];
        System.arraycopy(first, 0, expected, 0, first.length);
        System.arraycopy(second, 0, expected, first.length, second.length);
        assertArrayEquals(expected, received);
        Await.until(WAIT, "nothing pending", () -> {
            try {
                return onLoop(connection::pendingBytes) == 0;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertEquals(List.of(), events);
    }

    @Test
    void shouldDropTheConnectionOnceMoreThanTheLimitIsPending() throws Exception {
        Recorder recorder = new Recorder();
        int limit = 1024 * 1024;
        NonBlockingConnection connection = connect(limit, recorder);
        byte[] chunk = pattern(64 * 1024, 3);
        int sent = onLoop(() -> {
            int count = 0;
            while (connection.isOpen()) {
                connection.send(chunk);
                count++;
            }
            connection.send(chunk);
            return count;
        });
        assertEquals(List.of("closed TOO_MUCH_PENDING"), events, "told once, and sending after that does nothing");
        assertTrue((long) sent * chunk.length > limit, "closed only past the limit, after " + sent + " chunks");
        assertEquals(0L, onLoop(connection::pendingBytes));

        // The peer gets what the kernel had taken, then the end.
        ByteBuffer sink = ByteBuffer.allocate(64 * 1024);
        long total = 0;
        int n;
        try {
            while ((n = peer.read(sink.clear())) >= 0) {
                total += n;
            }
        } catch (IOException reset) {
            // A reset is also an end.
        }
        assertTrue(total < (long) sent * chunk.length, "the queue was dropped, not delivered: " + total);
    }

    @Test
    void shouldCloseOnceEverythingQueuedIsWrittenWhenAskedTo() throws Exception {
        Recorder recorder = new Recorder();
        NonBlockingConnection connection = connect(64L * 1024 * 1024, recorder);
        byte[] data = pattern(LARGE, 5);
        onLoop(() -> {
            connection.send(data);
            connection.closeWhenFlushed();
            return null;
        });
        assertTrue(onLoop(connection::isOpen), "still writing");
        assertEquals(List.of(), events);

        assertArrayEquals(data, peerReads(LARGE));
        assertEquals(-1, peer.read(ByteBuffer.allocate(1)), "end of stream after the last byte");
        Await.until(WAIT, "closed", () -> events.contains("closed FLUSHED"));
        assertEquals(List.of("closed FLUSHED"), events);
    }

    @Test
    void shouldCloseAtOnceWhenAskedToWithNothingPending() throws Exception {
        Recorder recorder = new Recorder();
        NonBlockingConnection connection = connect(1024, recorder);
        boolean open = onLoop(() -> {
            connection.send("bye\n".getBytes(StandardCharsets.US_ASCII));
            connection.closeWhenFlushed();
            return connection.isOpen();
        });
        assertFalse(open);
        assertEquals(List.of("closed FLUSHED"), events);
        assertEquals("bye\n", new String(peerReads(4), StandardCharsets.US_ASCII));
        assertEquals(-1, peer.read(ByteBuffer.allocate(1)));
    }

    @Test
    void shouldReportInputThenEndOfStream() throws Exception {
        Recorder recorder = new Recorder();
        connect(1024, recorder);
        peer.write(ByteBuffer.wrap("hello, connection".getBytes(StandardCharsets.US_ASCII)));
        Await.until(WAIT, "input", () -> recorder.input.length() == 17);
        assertEquals("hello, connection", recorder.input.toString());

        peer.shutdownOutput();
        Await.until(WAIT, "end of stream", () -> events.contains("end of stream"));
        assertEquals(List.of("end of stream"), events, "a half-closed peer has not hung up");
    }

    @Test
    void shouldCloseWhenThePeerHangsUpWhileNotReading() throws Exception {
        Recorder recorder = new Recorder();
        NonBlockingConnection connection = connect(1024, recorder);
        onLoop(() -> {
            connection.stopReading();
            return null;
        });
        peer.write(ByteBuffer.wrap("ignored".getBytes(StandardCharsets.US_ASCII)));
        peer.close();
        Await.until(WAIT, "hang-up", () -> events.contains("closed PEER_CLOSED"));
        assertEquals(List.of("closed PEER_CLOSED"), events);
        assertEquals("", recorder.input.toString(), "nothing read after stopReading");
        assertFalse(onLoop(connection::isOpen));
    }

    @Test
    void shouldCloseWhenAWriteFindsThePeerGone() throws Exception {
        Recorder recorder = new Recorder();
        NonBlockingConnection connection = connect(1024, recorder);
        // One loop task, so that the hang-up cannot be seen first: the write itself meets the closed peer.
        List<String> during = onLoop(() -> {
            try {
                peer.close();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            connection.send("anyone?".getBytes(StandardCharsets.US_ASCII));
            return List.copyOf(events);
        });
        assertEquals(List.of("closed PEER_CLOSED"), during, "told from inside send");
        assertFalse(onLoop(connection::isOpen));
    }
}
