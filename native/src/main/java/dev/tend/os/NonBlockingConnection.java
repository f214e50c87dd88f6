package dev.tend.os;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * One connected, non-blocking stream socket served by a {@link Reactor}: the byte-moving half of a
 * protocol connection. It owns the descriptor, the queue of bytes waiting to be sent, and the epoll
 * interest that follows from both, so that the protocol on top deals in whole messages only.
 *
 * <h2>Output</h2>
 * {@link #send} queues bytes and writes what the socket takes at once; the rest goes out as the peer reads,
 * the connection asking the loop for write readiness only while something is queued. A peer that stops
 * reading cannot make the queue grow without bound: once more than {@code maxPendingBytes} are unsent, the
 * connection closes ({@link CloseReason#TOO_MUCH_PENDING}). {@link #closeWhenFlushed()} ends a connection
 * after its last bytes are written.
 *
 * <h2>Input</h2>
 * While reading is on (from construction until {@link #stopReading()}), the listener's
 * {@link Listener#readable()} is called whenever input, end of stream or a hang-up is there; it then calls
 * {@link #read} until that returns {@link #AGAIN} or 0, or it stops reading. The socket is level-triggered:
 * what is left unread is reported again, so at end of stream the listener must stop reading or close.
 * While reading is off, a hang-up closes the connection ({@link CloseReason#PEER_CLOSED}): nothing queued
 * could be delivered any more.
 *
 * <h2>Closing</h2>
 * When the connection closes by itself, the listener hears why, once: {@link Listener#closed} or
 * {@link Listener#failed}. {@link #close()} by the owner is silent. Either way the descriptor is closed and
 * the queue dropped; later calls of {@link #send} do nothing.
 *
 * <p>Reads and writes pass through the reactor's one I/O buffer, so a connection holds no native memory of
 * its own. Threading: construct, use and close it on the reactor's loop thread; the listener is called there,
 * possibly from inside {@link #send} or {@link #closeWhenFlushed()}.
 */
public final class NonBlockingConnection implements AutoCloseable {
    /** Returned by {@link #read}: nothing to read now. */
    public static final int AGAIN = Fds.AGAIN;

    /** Why a connection closed by itself. */
    public enum CloseReason {
        /** {@link #closeWhenFlushed()} was called and everything queued has been written. */
        FLUSHED,
        /** The peer has gone: a write found it closed, or it hung up while reading was off. */
        PEER_CLOSED,
        /** More bytes were queued than the limit while the peer was not reading them. */
        TOO_MUCH_PENDING
    }

    /** The owner's side of a connection. Called on the loop thread. */
    public interface Listener {
        /** Input, end of stream or a hang-up is there: {@link #read} until it returns {@link #AGAIN} or 0. */
        void readable();

        /** The connection has closed by itself, for {@code reason}. */
        void closed(CloseReason reason);

        /** Writing failed in a way a vanished peer does not explain; the connection has closed. */
        void failed(NativeException failure);
    }

    private final Reactor reactor;
    private final int fd;
    private final long maxPendingBytes;
    private final Listener listener;
    private final Reactor.Registration registration;
    private final ArrayDeque<byte[]> output = new ArrayDeque<>();
    /** Bytes of the head of {@link #output} already written. */
    private int outputOffset;
    private long pendingBytes;
    private Interest interest = Interest.READ;
    private boolean reading = true;
    private boolean closeWhenFlushed;
    private boolean shutdownWhenFlushed;
    private boolean closed;

    /**
     * Takes over {@code fd} and starts watching it, reading on.
     *
     * @param fd              a connected stream socket, non-blocking; closed by this connection from now on
     *                        (if this constructor throws, the caller still owns it).
     * @param maxPendingBytes how many unsent bytes may be queued before the connection is dropped.
     * @throws NativeException when the reactor cannot watch the descriptor.
     */
    public NonBlockingConnection(Reactor reactor, int fd, long maxPendingBytes, Listener listener) {
        this.reactor = Objects.requireNonNull(reactor, "reactor");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.fd = fd;
        this.maxPendingBytes = maxPendingBytes;
        this.registration = reactor.register(fd, interest, this::onReady);
    }

    /** The socket's descriptor (for {@code SO_PEERCRED} and diagnostics; the connection owns it). */
    public int fd() {
        return fd;
    }

    /** Whether it is still open. */
    public boolean isOpen() {
        return !closed;
    }

    /** Bytes queued and not yet accepted by the socket. */
    public long pendingBytes() {
        return pendingBytes;
    }

    /**
     * Reads what is there now, at most {@code length} bytes (and at most 64 KiB), into
     * {@code into[offset..]}.
     *
     * @return the byte count; 0 at end of stream (also for a peer that closed with our bytes unread); or
     *     {@link #AGAIN} when nothing is available now.
     * @throws NativeException when reading fails otherwise (the connection stays open: the caller decides).
     * @throws IllegalStateException once the connection is closed.
     */
    public int read(byte[] into, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, into.length);
        if (closed) {
            throw new IllegalStateException("connection closed");
        }
        ByteBuffer buffer = reactor.ioBuffer();
        buffer.limit(Math.min(length, buffer.capacity()));
        int n = UnixStreamSocket.read(fd, buffer);
        if (n > 0) {
            buffer.get(0, into, offset, n);
        }
        return n;
    }

    /** Stops reading: {@link Listener#readable()} is called no more, and what the peer sends stays unread. */
    public void stopReading() {
        reading = false;
        updateInterest();
    }

    /** Reads again after {@link #stopReading()}. */
    public void resumeReading() {
        if (!closeWhenFlushed) {
            reading = true;
            updateInterest();
        }
    }

    /**
     * Queues {@code bytes} (not copied: the caller must not change them) and writes as much as the socket
     * takes now. Does nothing once closed.
     *
     * <p>May close the connection before returning, telling the listener: the peer is gone, the limit of
     * pending bytes is passed, or this was the last output after {@link #closeWhenFlushed()}.
     */
    public void send(byte[] bytes) {
        if (closed || bytes.length == 0) {
            return;
        }
        output.add(bytes);
        pendingBytes += bytes.length;
        // While waiting for write readiness the socket is known to be full: don't try, just queue.
        if (!interest.write()) {
            flush();
        }
        if (!closed && pendingBytes > maxPendingBytes) {
            closeFor(CloseReason.TOO_MUCH_PENDING);
        }
    }

    /**
     * Stops reading and closes the connection once everything queued is written ({@link CloseReason#FLUSHED}):
     * at once, before returning, when nothing is pending.
     */
    public void closeWhenFlushed() {
        if (closed) {
            return;
        }
        closeWhenFlushed = true;
        reading = false;
        settle();
    }

    /**
     * Ends the output once everything queued is written ({@code shutdown(SHUT_WR)}): the peer then reads end of
     * stream, while reading goes on. For a peer that must finish sending before it reads (it would otherwise
     * see its writes fail on a closed socket), after which the owner closes.
     */
    public void shutdownOutputWhenFlushed() {
        if (closed) {
            return;
        }
        shutdownWhenFlushed = true;
        settle();
    }

    private void onReady(Readiness ready) {
        if (closed) {
            return;
        }
        if (reading && (ready.readable() || ready.hangUpOrError())) {
            listener.readable();
            if (closed) {
                return;
            }
        }
        if (!reading && ready.hangUpOrError()) {
            // epoll reports a hang-up even with no interest: the peer has closed, nothing queued can reach it.
            closeFor(CloseReason.PEER_CLOSED);
            return;
        }
        if (ready.writable()) {
            flush();
        }
    }

    private void flush() {
        ByteBuffer buffer = reactor.ioBuffer();
        while (!output.isEmpty()) {
            // Gather the head of the queue into one write: many small messages cost one system call.
            buffer.clear();
            int offset = outputOffset;
            for (byte[] chunk : output) {
                int take = Math.min(chunk.length - offset, buffer.remaining());
                buffer.put(chunk, offset, take);
                offset = 0;
                if (!buffer.hasRemaining()) {
                    break;
                }
            }
            buffer.flip();
            int n;
            try {
                n = UnixStreamSocket.write(fd, buffer);
            } catch (NativeException e) {
                release();
                listener.failed(e);
                return;
            }
            if (n == UnixStreamSocket.AGAIN) {
                break;
            }
            if (n == UnixStreamSocket.CLOSED) {
                closeFor(CloseReason.PEER_CLOSED);
                return;
            }
            consume(n);
        }
        settle();
    }

    private void consume(int n) {
        pendingBytes -= n;
        while (n > 0) {
            byte[] head = output.peek();
            int left = head.length - outputOffset;
            if (n >= left) {
                output.poll();
                outputOffset = 0;
                n -= left;
            } else {
                outputOffset += n;
                n = 0;
            }
        }
    }

    /** After output moved or the plan changed: close if all is said, else watch for what is still wanted. */
    private void settle() {
        if (closed) {
            return;
        }
        if (closeWhenFlushed && pendingBytes == 0) {
            closeFor(CloseReason.FLUSHED);
        } else {
            if (shutdownWhenFlushed && pendingBytes == 0) {
                shutdownWhenFlushed = false;
                UnixStreamSocket.shutdownOutput(fd);
            }
            updateInterest();
        }
    }

    private void updateInterest() {
        if (closed) {
            return;
        }
        Interest wanted = Interest.of(reading, pendingBytes > 0);
        if (wanted != interest) {
            registration.modify(wanted);
            interest = wanted;
        }
    }

    private void closeFor(CloseReason reason) {
        if (closed) {
            return;
        }
        release();
        listener.closed(reason);
    }

    /** Closes the connection now, dropping unsent bytes, without telling the listener. Idempotent. */
    @Override
    public void close() {
        release();
    }

    private void release() {
        if (closed) {
            return;
        }
        closed = true;
        registration.cancel();
        Fds.close(fd);
        output.clear();
        outputOffset = 0;
        pendingBytes = 0;
    }
}
