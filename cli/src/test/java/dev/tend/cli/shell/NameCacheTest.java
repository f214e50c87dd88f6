package dev.tend.cli.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tend.protocol.WorkerEntry;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LiveNamesTest {
    private static WorkerEntry worker(String name, String pool) {
        return new WorkerEntry(name, pool, 1, "running", 10, true, false, 0, 0, 0, 0, 0, "-", "", "",
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    @Test
    void shouldTellPoolsFromLazyDeclarations() {
        NameCache.Names names = NameCache.of(List.of(worker("web.1", "web"), worker("web.2", "web"),
                worker("watcher", "watcher"), worker("cache-eu", "cache"), worker("cache-us", "cache")));
        assertEquals(List.of("web.1", "web.2", "watcher", "cache-eu", "cache-us"), names.workers());
        assertEquals(List.of("web", "watcher"), names.pools());
        assertEquals(List.of("cache-eu", "cache-us"), names.lazy());
        assertEquals(List.of("cache"), names.declarations());
    }
}
