package dev.tend.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.os.ExitStatus;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file grows (new table blocks, buffers outgrown and reallocated) while a reader in another process,
 * which mapped the file when it was small, reads and validates continuously.
 */
class GrowthCrossProcessTest {
    @TempDir
    Path dir;

    @Test
    void aReaderInAnotherProcessFollowsEveryKindOfGrowth() {
        try (StateFile file = StateFile.create(dir.resolve("state"));
             RawFile raw = new RawFile(file.path())) {
            file.allocate("grow.1", "grow");
            long initialLength = raw.fileLength();
            try (JvmChild reader = JvmChild.helper("reader", file.path().toString(), "grow.1");
                 Publisher grow = Publisher.openAsSupervisor(file.path(), "grow.1")) {
                assertEquals("started", reader.readLine(Duration.ofSeconds(30)));
                long n = 0;
                int slots = 1;
                for (int size = 512; size <= 900 * 1024; size = size * 3 / 2) {
                    // Each size outgrows the buffers allocated so far; both buffers get reallocated.
                    for (int i = 0; i < 4; i++) {
                        grow.publish(Payloads.make(1, n++, size - i));
                    }
                    // New slots: 150 in all, so the table chains three more blocks.
                    for (int i = 0; i < 6 && slots < 151; i++, slots++) {
                        String name = "new." + slots;
                        file.allocate(name, "new");
                        try (Publisher publisher = Publisher.openAsSupervisor(file.path(), name)) {
                            publisher.publish(Payloads.make(2, slots, 100 + slots * 37));
                        }
                    }
                }
                while (slots < 151) {
                    file.allocate("new." + slots, "new");
                    slots++;
                }
                reader.closeStdin();
                String summary = reader.readLine(Duration.ofSeconds(60));
                assertTrue(summary.startsWith("ok "), summary + "\n" + reader.stderr());
                assertTrue(summary.contains(" slots=151 "), summary);
                assertTrue(summary.endsWith(" lastVersion=" + n), summary + ", expected version " + n);
                assertEquals(new ExitStatus.Exited(0), reader.awaitExit(Duration.ofSeconds(30)));
            }
            assertTrue(raw.fileLength() > initialLength * 50, "the file grew from " + initialLength + " to "
                    + raw.fileLength());
            assertEquals(raw.allocEnd(), raw.fileLength());
        }
    }
}
