package dev.tend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.os.NotifyMessage;
import dev.tend.os.NotifySocket;
import dev.tend.os.Signal;
import dev.tend.testing.Await;
import dev.tend.testing.TendProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tend up under a (simulated) systemd: a real datagram socket in the test receives what tend sends. */
class SystemdNotifyTest {
    @TempDir
    Path dir;

    /** A receiver standing in for systemd's notify socket, read by a thread of its own. */
    private static final class FakeSystemd implements AutoCloseable {
        final NotifySocket socket;
        final List<NotifyMessage> messages = new CopyOnWriteArrayList<>();
        final List<Long> watchdogNanos = new CopyOnWriteArrayList<>();
        private volatile boolean open = true;
        private final Thread reader;

        FakeSystemd(Path path) {
            socket = NotifySocket.bind(path);
            reader = new Thread(() -> {
                while (open) {
                    socket.receive().ifPresentOrElse(m -> {
                        if (m.isWatchdog()) {
                            watchdogNanos.add(System.nanoTime());
                        }
                        messages.add(m);
                    }, () -> LockSupport.parkNanos(1_000_000));
                }
            }, "fake-systemd");
            reader.setDaemon(true);
            reader.start();
        }

        int indexOf(String key, String value) {
            for (int i = 0; i < messages.size(); i++) {
                if (value.equals(messages.get(i).assignments().get(key))) {
                    return i;
                }
            }
            return -1;
        }

        @Override
        public void close() throws InterruptedException {
            open = false;
            reader.join();
            socket.close();
        }
    }

    @Test
    void shouldSendReadyAfterWorkersAreReadyThenStoppingAndWatchdogPings() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-notify")), "systemd-notify is missing");
        Path go = dir.resolve("go");
        Files.writeString(dir.resolve("tend.toml"), """
                [pool.web]
                command = ["cat"]
                [pool.warm]
                command = "while [ ! -e go ]; do sleep 0.05; done; systemd-notify --ready --status=warm; exec cat"
                ready = "notify"
                """);
        try (FakeSystemd systemd = new FakeSystemd(dir.resolve("systemd.sock"));
             TendProcess tend = TendProcess.start(dir, Map.of("NOTIFY_SOCKET", dir.resolve("systemd.sock").toString(),
                     "WATCHDOG_USEC", "300000"), "up")) {
            tend.awaitWorkerPid("warm.1");
            Await.until(TendProcess.WAIT, "a status with web ready",
                    () -> systemd.indexOf("STATUS", "1/2 ready") >= 0);
            assertEquals(-1, systemd.indexOf("READY", "1"), "READY=1 before warm.1 was ready");
            Files.writeString(go, "");
            Await.until(TendProcess.WAIT, "READY=1", () -> systemd.indexOf("READY", "1") >= 0);
            int ready = systemd.indexOf("READY", "1");
            assertEquals("2/2 ready", systemd.messages.get(ready).assignments().get("STATUS"));
            tend.awaitLine("worker status", l -> l.contains("warm.1 is ready"));
            assertTrue(TendProcess.run(dir, "ps").stdout().contains("running (warm)"), "STATUS= of the worker in ps");
            Await.until(TendProcess.WAIT, "three watchdog pings", () -> systemd.watchdogNanos.size() >= 3);
            for (int i = 1; i < systemd.watchdogNanos.size(); i++) {
                long gapMillis = (systemd.watchdogNanos.get(i) - systemd.watchdogNanos.get(i - 1)) / 1_000_000;
                assertTrue(gapMillis >= 100, "pings at half of WATCHDOG_USEC (150 ms), got a gap of " + gapMillis + " ms");
            }
            tend.signal(Signal.TERM);
            assertEquals(0, tend.awaitExit());
            Await.until(TendProcess.WAIT, "STOPPING=1", () -> systemd.indexOf("STOPPING", "1") >= 0);
            assertTrue(systemd.indexOf("STOPPING", "1") > ready, "STOPPING=1 after READY=1");
        }
    }

    @Test
    void shouldAnnounceReloads() throws Exception {
        Files.writeString(dir.resolve("tend.toml"), "[pool.a]\ncommand = [\"cat\"]\n");
        try (FakeSystemd systemd = new FakeSystemd(dir.resolve("systemd.sock"));
             TendProcess tend = TendProcess.start(dir, Map.of("NOTIFY_SOCKET", dir.resolve("systemd.sock").toString()),
                     "up")) {
            Await.until(TendProcess.WAIT, "READY=1", () -> systemd.indexOf("READY", "1") >= 0);
            Files.writeString(dir.resolve("tend.toml"), "[pool.a]\ncommand = [\"cat\"]\n[pool.b]\ncommand = [\"cat\"]\n");
            assertEquals(0, TendProcess.run(dir, "reload").exitCode());
            Await.until(TendProcess.WAIT, "RELOADING=1 then READY=1 again", () -> {
                int reloading = systemd.indexOf("RELOADING", "1");
                if (reloading < 0) {
                    return false;
                }
                for (int i = reloading + 1; i < systemd.messages.size(); i++) {
                    if ("1".equals(systemd.messages.get(i).assignments().get("READY"))) {
                        return true;
                    }
                }
                return false;
            });
            NotifyMessage reloading = systemd.messages.get(systemd.indexOf("RELOADING", "1"));
            assertTrue(Long.parseLong(reloading.assignments().get("MONOTONIC_USEC")) > 0, reloading.text());
        }
    }
}
