package dev.tend.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class SdNotifyTest {
    @TempDir
    Path dir;

    private static Map<String, String> env(String notifySocket) {
        return Map.of("NOTIFY_SOCKET", notifySocket);
    }

    @Test
    void shouldSendToPathAddress() {
        try (NotifySocket receiver = NotifySocket.bind(dir.resolve("notify"));
             SdNotify sender = SdNotify.fromEnvironment(env(receiver.address())).orElseThrow()) {
            assertEquals(receiver.address(), sender.address());
            assertTrue(sender.send("STOPPING=1"));
            NotifyMessage m = receiver.receive().orElseThrow();
            assertTrue(m.isStopping());
            assertEquals(LibC.getpid(), m.pid());
            assertEquals(LibC.getuid(), m.uid());
            assertEquals(Optional.empty(), sender.lastError());
        }
    }

    @Test
    void shouldSendToAbstractAddress() {
        String name = "tend-test-" + LibC.getpid() + "-" + System.nanoTime();
        try (NotifySocket receiver = NotifySocket.bindAbstract(name);
             SdNotify sender = SdNotify.fromEnvironment(env("@" + name)).orElseThrow()) {
            assertEquals("@" + name, receiver.address());
            assertEquals(Optional.empty(), receiver.path());
            assertTrue(sender.send("WATCHDOG=1"));
            NotifyMessage m = receiver.receive().orElseThrow();
            assertTrue(m.isWatchdog());
            assertEquals(LibC.getpid(), m.pid());
        }
        // The name is exact: with a trailing NUL in the address length, or without the leading one, it
        // would be a different name and this send would fail.
        try (SdNotify sender = SdNotify.fromEnvironment(env("@" + name)).orElseThrow()) {
            assertFalse(sender.send("READY=1"), "nobody bound to the name after close");
        }
    }

    @Test
    void shouldReachAbstractNameBoundByAnotherImplementation() {
        // Bind "\0name" with exactly 2 + 1 + len bytes by hand, the way sd_notify(3) peers do.
        String name = "tend-raw-" + LibC.getpid() + "-" + System.nanoTime();
        int fd = LibC.socket(LibC.AF_UNIX, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC | LibC.SOCK_NONBLOCK, 0);
        assertTrue(fd >= 0);
        try (Memory address = new Memory(LibC.SOCKADDR_UN_SIZE)) {
            address.clear();
            address.setShort(0, (short) LibC.AF_UNIX);
            byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
            address.write(3, bytes, 0, bytes.length);
            assertEquals(0, LibC.bind(fd, address, 3 + bytes.length), "bind");
            try (SdNotify sender = SdNotify.fromEnvironment(env("@" + name)).orElseThrow()) {
                assertTrue(sender.send("READY=1"), () -> sender.lastError().orElse(""));
            }
            ByteBuffer buffer = ByteBuffer.allocate(64);
            assertEquals(7, Fds.read(fd, buffer));
            assertEquals("READY=1", new String(buffer.array(), 0, 7, StandardCharsets.US_ASCII));
        } finally {
            Fds.close(fd);
        }
    }

    @Test
    void shouldIgnoreUnsupportedOrMissingAddress() {
        assertEquals(Optional.empty(), SdNotify.fromEnvironment(Map.of()));
        assertEquals(Optional.empty(), SdNotify.fromEnvironment(env("")));
        assertEquals(Optional.empty(), SdNotify.fromEnvironment(env("vsock:2:1234")));
        assertEquals(Optional.empty(), SdNotify.fromEnvironment(env("relative/path")));
        assertEquals(Optional.empty(), SdNotify.fromEnvironment(env("@")));
    }

    @Test
    void shouldRejectAddressTooLongForSocket() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SdNotify.fromEnvironment(env("/" + "x".repeat(107))));
        assertTrue(e.getMessage().contains("108 bytes"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SdNotify.fromEnvironment(env("@" + "x".repeat(108))));
        SdNotify.fromEnvironment(env("@" + "x".repeat(107))).orElseThrow().close();
    }

    @Test
    void shouldReturnFalseWhenNobodyListens() throws IOException {
        try (SdNotify missing = SdNotify.fromEnvironment(env(dir.resolve("absent").toString())).orElseThrow()) {
            assertFalse(missing.send("READY=1"));
            assertTrue(missing.lastError().orElseThrow().contains("ENOENT"), missing.lastError().toString());
            assertTrue(missing.lastError().orElseThrow().contains(dir.resolve("absent").toString()));
        }
        // A socket file left behind by a receiver that is gone.
        Path stale = dir.resolve("stale");
        NotifySocket receiver = NotifySocket.bind(stale);
        Path kept = dir.resolve("kept");
        Files.move(stale, kept);
        receiver.close();
        try (SdNotify gone = SdNotify.fromEnvironment(env(kept.toString())).orElseThrow()) {
            assertFalse(gone.send("READY=1"));
            assertTrue(gone.lastError().orElseThrow().contains("ECONNREFUSED"), gone.lastError().toString());
        }
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void shouldNotBlockWhenReceiverQueueIsFull() {
        try (NotifySocket receiver = NotifySocket.bind(dir.resolve("notify"));
             SdNotify sender = SdNotify.fromEnvironment(env(receiver.address())).orElseThrow()) {
            int sent = 0;
            // net.unix.max_dgram_qlen is 10 by default; a blocking send would hang here instead.
            while (sender.send("STATUS=" + sent)) {
                sent++;
                assertTrue(sent < 100_000, "the receive queue never filled");
            }
            assertTrue(sender.lastError().orElseThrow().contains("EAGAIN"), sender.lastError().toString());
            for (int i = 0; i < sent; i++) {
                assertEquals(Optional.of(Integer.toString(i)), receiver.receive().orElseThrow().status());
            }
            assertTrue(sender.send("READY=1"), "sends again once the queue drained");
            assertTrue(receiver.receive().orElseThrow().isReady());
        }
    }

    @Test
    void shouldRefuseSendAfterClose() {
        SdNotify sender = SdNotify.fromEnvironment(env("/run/nonexistent/notify")).orElseThrow();
        sender.close();
        sender.close();
        assertThrows(IllegalStateException.class, () -> sender.send("READY=1"));
    }

    @Test
    void shouldComputeWatchdogInterval() {
        Map<String, String> env = new HashMap<>();
        assertEquals(Optional.empty(), SdNotify.watchdogInterval(env, 42), "no WATCHDOG_USEC");
        env.put("WATCHDOG_USEC", "3000000");
        assertEquals(Optional.of(Duration.ofMillis(1500)), SdNotify.watchdogInterval(env, 42), "no WATCHDOG_PID");
        env.put("WATCHDOG_PID", "42");
        assertEquals(Optional.of(Duration.ofMillis(1500)), SdNotify.watchdogInterval(env, 42), "our pid");
        env.put("WATCHDOG_PID", "43");
        assertEquals(Optional.empty(), SdNotify.watchdogInterval(env, 42), "another process's watchdog");
        env.put("WATCHDOG_PID", "junk");
        assertEquals(Optional.empty(), SdNotify.watchdogInterval(env, 42));
        env.remove("WATCHDOG_PID");
        env.put("WATCHDOG_USEC", "1");
        assertEquals(Optional.of(Duration.ofNanos(500)), SdNotify.watchdogInterval(env, 42));
        env.put("WATCHDOG_USEC", "0");
        assertEquals(Optional.empty(), SdNotify.watchdogInterval(env, 42), "zero disables");
        env.put("WATCHDOG_USEC", "-5");
        assertEquals(Optional.empty(), SdNotify.watchdogInterval(env, 42));
        env.put("WATCHDOG_USEC", "soon");
        assertEquals(Optional.empty(), SdNotify.watchdogInterval(env, 42));
    }
}
