package dev.tend.state;

import static dev.tend.state.StateFileLayout.BLOCK_LENGTH;
import static dev.tend.state.StateFileLayout.INITIAL_ALLOC_END;
import static dev.tend.state.StateFileLayout.LAYOUT_MAJOR_OFFSET;
import static dev.tend.state.StateFileLayout.LAYOUT_MINOR_OFFSET;
import static dev.tend.state.StateFileLayout.MAGIC_OFFSET;
import static dev.tend.state.StateFileLayout.READY;
import static dev.tend.state.StateFileLayout.READY_INIT;
import static dev.tend.state.StateFileLayout.READY_STATE_OFFSET;
import static dev.tend.state.StateFileLayout.SUPERVISOR_START_TICKS_OFFSET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.os.CurrentProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFileTest {
    @TempDir
    Path dir;

    @Test
    void createsAReadyFileWithMode0600() throws IOException {
        Path path = dir.resolve("state");
        try (StateFile file = StateFile.create(path, 4096);
             StateReader reader = StateReader.open(path)) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
            assertEquals(CurrentProcess.pid(), reader.supervisorPid());
            assertTrue(reader.supervisorAlive());
            assertFalse(reader.isClosed());
            assertEquals(4096, reader.maxSnapshotBytes());
            assertEquals(List.of(), reader.slots());
            assertEquals(INITIAL_ALLOC_END, Files.size(path));
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("state"), files.map(p -> p.getFileName().toString()).collect(Collectors.toList()),
                    "no temporary file is left behind");
        }
    }

    @Test
    void createReplacesAnOldFileWhileItsReadersKeepTheirs() {
        Path path = dir.resolve("state");
        try (StateFile old = StateFile.create(path)) {
            old.allocate("w.1", "w");
            try (StateReader oldReader = StateReader.open(path);
                 StateFile fresh = StateFile.create(path)) {
                assertEquals(List.of("w.1"), oldReader.slots());
                try (StateReader newReader = StateReader.open(path)) {
                    assertEquals(List.of(), newReader.slots());
                }
                assertEquals(0, fresh.slotCount());
            }
        }
    }

    @Test
    void createNeedsAnExistingDirectory() {
        Path missing = dir.resolve("no-such-dir").resolve("state");
        StateException e = assertThrows(StateException.class, () -> StateFile.create(missing));
        assertEquals("cannot create state file " + missing + ": directory " + missing.getParent()
                + " does not exist", e.getMessage());
    }

    @Test
    void refusesOutOfRangeLimits() {
        assertThrows(IllegalArgumentException.class, () -> StateFile.create(dir.resolve("a"), 3));
        assertThrows(IllegalArgumentException.class, () -> StateFile.create(dir.resolve("b"), (64L << 20) + 1));
        StateFile.create(dir.resolve("c"), 64L << 20).close();
    }

    @Test
    void allocateIsIdempotentByName() {
        try (StateFile file = StateFile.create(dir.resolve("state"))) {
            assertEquals(0, file.allocate("queue.1", "queue"));
            assertEquals(1, file.allocate("queue.2", "queue"));
            assertEquals(2, file.allocate("redis-main", ""));
            assertEquals(1, file.allocate("queue.2", "queue"));
            assertEquals(3, file.slotCount());
            IllegalArgumentException moved = assertThrows(IllegalArgumentException.class,
                    () -> file.allocate("queue.2", "other"));
            assertTrue(moved.getMessage().contains("pool \"queue\""), moved.getMessage());
        }
    }

    @Test
    void refusesBadNames() {
        try (StateFile file = StateFile.create(dir.resolve("state"))) {
            assertThrows(IllegalArgumentException.class, () -> file.allocate("", ""));
            assertThrows(IllegalArgumentException.class, () -> file.allocate("x".repeat(65), ""));
            assertThrows(IllegalArgumentException.class, () -> file.allocate("é".repeat(33), ""));
            assertThrows(IllegalArgumentException.class, () -> file.allocate("ok", "p".repeat(65)));
            assertThrows(IllegalArgumentException.class, () -> file.allocate("bad\uDC00", ""));
            assertEquals(0, file.allocate("x".repeat(64), "p".repeat(64)));
            assertEquals(1, file.allocate("é".repeat(32), ""));
            try (StateReader reader = StateReader.open(file.path())) {
                assertEquals(List.of("x".repeat(64), "é".repeat(32)), reader.slots());
                assertEquals("p".repeat(64), reader.slot("x".repeat(64)).pool());
            }
        }
    }

    @Test
    void namesResolveExactlyThenByPoolAmongLiveWorkers() {
        try (StateFile file = StateFile.create(dir.resolve("state"));
             StateReader reader = StateReader.open(file.path())) {
            int web1 = file.allocate("web.1", "web");
            file.allocate("redis-main", "");
            assertEquals("web.1", reader.slot("web").name(), "a pool of one is readable by the pool name");
            assertSame(reader.slot("web"), reader.slot("web.1"));
            assertEquals("redis-main", reader.slot("redis-main").name());

            int web2 = file.allocate("web.2", "web");
            StateException ambiguous = assertThrows(StateException.class, () -> reader.slot("web"));
            assertEquals(StateException.Reason.AMBIGUOUS, ambiguous.reason());
            assertEquals("pool web has 2 workers; name one of web.1, web.2", ambiguous.getMessage());

            file.setOwner(web2, OwnerState.REMOVED, 0, 1);
            assertEquals("web.1", reader.slot("web").name(), "removed workers do not count");
            file.setOwner(web1, OwnerState.REMOVED, 0, 1);
            assertEquals(StateException.Reason.NOT_FOUND,
                    assertThrows(StateException.class, () -> reader.slot("web")).reason());
            assertEquals("web.2", reader.slot("web.2").name(), "exact names still resolve when removed");

            file.allocate("web", "");
            assertEquals("web", reader.slot("web").name(), "an exact name beats a pool alias");

            StateException missing = assertThrows(StateException.class, () -> reader.slot("nope"));
            assertEquals(StateException.Reason.NOT_FOUND, missing.reason());
            assertTrue(missing.getMessage().startsWith("no worker named nope"), missing.getMessage());
            assertThrows(StateException.class, () -> reader.slot(""));
        }
    }

    @Test
    void manySlotsGrowTheTableWhileAnEarlierReaderFollows() throws IOException {
        Path path = dir.resolve("state");
        try (StateFile file = StateFile.create(path);
             StateReader reader = StateReader.open(path)) {
            for (int i = 0; i < 200; i++) {
                assertEquals(i, file.allocate("w." + i, "w"));
                file.setOwner(i, OwnerState.RUNNING, 1000 + i, i);
            }
            List<String> names = reader.slots();
            assertEquals(200, names.size());
            for (int i = 0; i < 200; i++) {
                assertEquals("w." + i, names.get(i));
                assertEquals(1000 + i, reader.slot("w." + i).owner().pid());
            }
            // 200 slots need 4 table blocks: 3 more than the first, each 16 KiB.
            assertEquals(INITIAL_ALLOC_END + 3L * BLOCK_LENGTH, Files.size(path));
        }
    }

    @Test
    void twoFilesShareNothing() {
        try (StateFile a = StateFile.create(dir.resolve("a"));
             StateFile b = StateFile.create(dir.resolve("b"))) {
            a.allocate("w.1", "w");
            b.allocate("w.1", "w");
            b.allocate("only-b", "");
            try (Publisher publisher = Publisher.openAsSupervisor(a.path(), "w.1");
                 StateReader readerA = StateReader.open(a.path());
                 StateReader readerB = StateReader.open(b.path())) {
                publisher.publishStrings(Map.of("k", "a"));
                assertEquals("a", readerA.slot("w.1").snapshot().getString("k"));
                assertEquals(0, readerB.slot("w.1").version());
                assertEquals(List.of("w.1"), readerA.slots());
                assertEquals(List.of("w.1", "only-b"), readerB.slots());
            }
        }
    }

    @Test
    void ownerInfoAndEpochsReachReaders() {
        try (StateFile file = StateFile.create(dir.resolve("state"));
             StateReader reader = StateReader.open(file.path())) {
            int slot = file.allocate("w.1", "w");
            SlotReader slotReader = reader.slot("w.1");
            assertEquals(new Owner(OwnerState.NONE, 0, 0, 0, false), slotReader.owner());
            StateFile.Incarnation first = file.newIncarnation(slot);
            StateFile.Incarnation second = file.newIncarnation(slot);
            assertEquals(1, first.epoch());
            assertEquals(2, second.epoch());
            assertNotEquals(first.token(), second.token(), "a new random token for each start");
            file.setOwner(slot, OwnerState.RUNNING, 4242, 1234);
            assertEquals(new Owner(OwnerState.RUNNING, 4242, 2, 1234, true), slotReader.owner());
            file.setOwner(slot, OwnerState.BACKOFF, 0, 1300);
            assertEquals(new Owner(OwnerState.BACKOFF, 0, 2, 1300, false), slotReader.owner());
            assertThrows(IllegalArgumentException.class, () -> file.setOwner(5, OwnerState.RUNNING, 1, 1));
            assertThrows(IllegalArgumentException.class, () -> file.newIncarnation(-1));
        }
    }

    @Test
    void readersTellADeadOrReplacedSupervisor() throws IOException {
        Path path = dir.resolve("state");
        try (StateFile file = StateFile.create(path);
             StateReader reader = StateReader.open(path);
             RawFile raw = new RawFile(path)) {
            int slot = file.allocate("w.1", "w");
            file.setOwner(slot, OwnerState.RUNNING, 99, 1);
            assertTrue(reader.supervisorAlive());
            assertTrue(reader.slot("w.1").owner().running());
            // Same pid, other start time: the pid was recycled by another process.
            raw.putLong(SUPERVISOR_START_TICKS_OFFSET, raw.getLong(SUPERVISOR_START_TICKS_OFFSET) + 1);
            try (StateReader recycled = StateReader.open(path)) {
                assertFalse(recycled.supervisorAlive());
                assertFalse(recycled.slot("w.1").owner().running(), "nobody maintains the owner state");
            }
        }
        try (StateReader reader = StateReader.open(path)) {
            assertTrue(reader.isClosed());
            assertFalse(reader.supervisorAlive());
            assertEquals(List.of("w.1"), reader.slots(), "a closed file stays readable");
        }
    }

    @Test
    void closedFileRefusesPublishers() {
        Path path = dir.resolve("state");
        try (StateFile file = StateFile.create(path)) {
            file.allocate("w.1", "w");
        }
        StateException e = assertThrows(StateException.class, () -> Publisher.openAsSupervisor(path, "w.1"));
        assertEquals(StateException.Reason.INCOMPATIBLE, e.reason());
        assertTrue(e.getMessage().contains("is closed"), e.getMessage());
    }

    private StateException refusal(Path path) {
        return assertThrows(StateException.class, () -> StateReader.open(path));
    }

    @Test
    void refusesFilesThatAreNotReadyOrNotStateFiles() throws IOException {
        Path path = dir.resolve("state");
        StateFile.create(path).close();
        try (RawFile raw = new RawFile(path)) {
            raw.putInt(LAYOUT_MAJOR_OFFSET, 3);
            StateException major = refusal(path);
            assertEquals(StateException.Reason.INCOMPATIBLE, major.reason());
            assertEquals("state file " + path + " has layout version 3.1; this reader understands 2.x only",
                    major.getMessage());
            raw.putInt(LAYOUT_MAJOR_OFFSET, 1);
            assertEquals("state file " + path + " has layout version 1.1; this reader understands 2.x only",
                    refusal(path).getMessage(), "1.x publishers used another lock: 2.0 is not compatible with them");
            raw.putInt(LAYOUT_MAJOR_OFFSET, 2);
            raw.putInt(LAYOUT_MINOR_OFFSET, 7);
            StateReader.open(path).close();

            raw.putLong(READY_STATE_OFFSET, READY_INIT);
            assertEquals("state file " + path + " is not ready: its creator has not finished writing it",
                    refusal(path).getMessage());
            raw.putLong(READY_STATE_OFFSET, READY);
            raw.putLong(MAGIC_OFFSET, 0x1234);
            assertEquals(path + " is not a tend state file (bad magic number)", refusal(path).getMessage());
        }
        Path zeros = dir.resolve("zeros");
        Files.write(zeros, new byte[INITIAL_ALLOC_END]);
        assertTrue(refusal(zeros).getMessage().contains("is not ready"), "an all-zero file is one being created");
        Path small = dir.resolve("small");
        Files.writeString(small, "hello");
        assertEquals(small + " is not a tend state file: it is only 5 bytes long", refusal(small).getMessage());
        StateException missing = refusal(dir.resolve("missing"));
        assertEquals(StateException.Reason.NOT_FOUND, missing.reason());
    }

    @Test
    void publisherOfAnUnknownSlotIsRefused() {
        try (StateFile file = StateFile.create(dir.resolve("state"))) {
            StateException e = assertThrows(StateException.class, () -> Publisher.open(file.path(), "ghost", 1));
            assertEquals(StateException.Reason.NOT_FOUND, e.reason());
        }
    }
}
