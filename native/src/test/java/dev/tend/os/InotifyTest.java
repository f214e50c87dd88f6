package dev.tend.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InotifyTest {
    private static final int ALL = Inotify.CREATE | Inotify.MODIFY | Inotify.CLOSE_WRITE | Inotify.DELETE
            | Inotify.MOVED_FROM | Inotify.MOVED_TO | Inotify.DELETE_SELF;

    @TempDir
    Path dir;

    @Test
    void shouldReportCreateModifyMoveAndDeleteWithNames() throws Exception {
        try (Inotify inotify = Inotify.open()) {
            int wd = inotify.addWatch(dir, ALL);
            List<Inotify.Event> events = new ArrayList<>();
            assertEquals(0, inotify.read(events::add), "nothing yet, and the read does not block");

            Files.writeString(dir.resolve("a.php"), "<?php");
            Files.move(dir.resolve("a.php"), dir.resolve("b.php"));
            Files.createDirectory(dir.resolve("sub"));
            Files.delete(dir.resolve("b.php"));
            inotify.read(events::add);

            assertTrue(events.stream().allMatch(e -> e.wd() == wd), events.toString());
            assertTrue(has(events, Inotify.CREATE, "a.php"), events.toString());
            assertTrue(has(events, Inotify.MODIFY, "a.php"), events.toString());
            assertTrue(has(events, Inotify.CLOSE_WRITE, "a.php"), events.toString());
            Inotify.Event from = find(events, Inotify.MOVED_FROM, "a.php");
            Inotify.Event to = find(events, Inotify.MOVED_TO, "b.php");
            assertEquals(from.cookie(), to.cookie(), "a move's two halves share a cookie");
            Inotify.Event created = find(events, Inotify.CREATE, "sub");
            assertTrue(created.isDirectory());
            assertTrue(has(events, Inotify.DELETE, "b.php"), events.toString());
            assertFalse(find(events, Inotify.DELETE, "b.php").isDirectory());
        }
    }

    @Test
    void shouldBeReadableOnTheLoopWhenEventsAreQueued() throws Exception {
        try (Inotify inotify = Inotify.open(); Reactor reactor = new Reactor(e -> { })) {
            Path sub = Files.createDirectory(dir.resolve("watched"));
            int wd = inotify.addWatch(sub, ALL);
            List<Inotify.Event> events = new ArrayList<>();
            reactor.register(inotify.fd(), Interest.READ, ready -> {
                inotify.read(events::add);
                if (events.stream().anyMatch(e -> e.is(Inotify.IGNORED))) {
                    reactor.stop();
                }
            });
            reactor.schedule(10, TimeUnit.SECONDS, reactor::stop);
            Files.delete(sub);
            reactor.run();
            assertTrue(events.stream().anyMatch(e -> e.wd() == wd && e.is(Inotify.DELETE_SELF)), events.toString());
            assertTrue(events.stream().anyMatch(e -> e.wd() == wd && e.is(Inotify.IGNORED)), events.toString());
        }
    }

    @Test
    void shouldSayThatEventsWereLostWhenTheQueueOverflows() throws Exception {
        OptionalLong queued = readLong(Path.of("/proc/sys/fs/inotify/max_queued_events"));
        assumeTrue(queued.isPresent() && queued.getAsLong() <= 65_536,
                "the queue is too long to fill in a test: " + queued);
        try (Inotify inotify = Inotify.open()) {
            inotify.addWatch(dir, Inotify.CREATE);
            // One event per file: the kernel merges an event only into an identical one just before it.
            for (long i = 0; i <= queued.getAsLong(); i++) {
                Files.createFile(dir.resolve(Long.toString(i)));
            }
            List<Inotify.Event> events = new ArrayList<>();
            inotify.read(events::add);
            Inotify.Event last = events.get(events.size() - 1);
            assertTrue(last.overflow(), "last of " + events.size() + ": " + last);
            assertEquals(-1, last.wd());
        }
    }

    @Test
    void shouldNameThePathOfAWatchThatFails() {
        try (Inotify inotify = Inotify.open()) {
            NativeException e = assertThrows(NativeException.class,
                    () -> inotify.addWatch(dir.resolve("missing"), Inotify.CREATE));
            assertEquals(Errno.ENOENT, e.errno());
            assertTrue(e.getMessage().contains(dir.resolve("missing").toString()), e.getMessage());
        }
    }

    @Test
    void shouldForgiveRemovingAWatchTheKernelAlreadyRemoved() throws Exception {
        try (Inotify inotify = Inotify.open()) {
            Path sub = Files.createDirectory(dir.resolve("gone"));
            int wd = inotify.addWatch(sub, Inotify.CREATE);
            Files.delete(sub);
            inotify.removeWatch(wd);
        }
    }

    @Test
    void shouldExplainTheWatchLimitWithItsValueAndHowToRaiseIt() {
        String message = WatchLimitException.message(WatchLimitException.WATCHES, Path.of("/srv/app/src"),
                OptionalLong.of(8192));
        assertTrue(message.startsWith("cannot watch /srv/app/src: "), message);
        assertTrue(message.contains("fs.inotify.max_user_watches = 8192"), message);
        assertTrue(message.contains("sudo sysctl fs.inotify.max_user_watches=524288"), message);
        assertTrue(message.contains("/etc/sysctl.d/"), message);
        String unknown = WatchLimitException.message(WatchLimitException.INSTANCES, null, OptionalLong.empty());
        assertTrue(unknown.contains("fs.inotify.max_user_instances = unknown"), unknown);
        assertTrue(WatchLimitException.current(WatchLimitException.WATCHES).isPresent(), "read from /proc/sys");
    }

    private static boolean has(List<Inotify.Event> events, int flag, String name) {
        return events.stream().anyMatch(e -> e.is(flag) && e.name().equals(name));
    }

    private static Inotify.Event find(List<Inotify.Event> events, int flag, String name) {
        return events.stream().filter(e -> e.is(flag) && e.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + flag + " " + name + " in " + events));
    }

    private static OptionalLong readLong(Path file) {
        try {
            return OptionalLong.of(Long.parseLong(Files.readAllLines(file).get(0).trim()));
        } catch (Exception e) {
            return OptionalLong.empty();
        }
    }
}
