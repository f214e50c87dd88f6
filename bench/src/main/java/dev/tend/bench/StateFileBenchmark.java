package dev.tend.bench;

import dev.tend.state.BenchAccess;
import dev.tend.state.PublishResult;
import dev.tend.state.Publisher;
import dev.tend.state.SlotReader;
import dev.tend.state.Snapshot;
import dev.tend.state.StateFile;
import dev.tend.state.StateReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/** Single-thread costs of the state file's operations, on a file in /dev/shm. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StateFileBenchmark {
    private Path dir;
    private StateFile file;
    private StateReader reader;
    private SlotReader slot;
    private Publisher publisher;
    private Publisher steady;
    private Map<String, byte[]> a;
    private Map<String, byte[]> b;
    private boolean flip;

    @Setup
    public void setUp() throws IOException {
        dir = Workload.scratchDirectory();
        file = StateFile.create(dir.resolve("state"));
        int slotIndex = file.allocate("bench.1", "bench");
        file.allocate("bench.2", "bench");
        a = Workload.snapshot(1);
        b = Workload.snapshot(2);
        publisher = Publisher.open(file.path(), "bench.1", file.newIncarnation(slotIndex).token());
        publisher.publish(a);
        steady = Publisher.openAsSupervisor(file.path(), "bench.2");
        steady.publish(a);
        reader = StateReader.open(file.path());
        slot = reader.slot("bench.1");
        if (slot.snapshot().encodedLength() != 1092) {
            throw new IllegalStateException("workload is " + slot.snapshot().encodedLength() + " bytes");
        }
    }

    @TearDown
    public void tearDown() {
        publisher.close();
        steady.close();
        reader.close();
        file.close();
        Workload.delete(dir);
    }

    /** The generational-cache check: one acquire load of publishedVersion. */
    @Benchmark
    public long versionCheck() {
        return slot.version();
    }

    /** snapshot() of an unchanged slot: the version check plus returning the cached object. */
    @Benchmark
    public Snapshot snapshotUnchanged() {
        return slot.snapshot();
    }

    /** A full read of the 1 KiB snapshot: seq check, copy, fence, re-check, strict decode (keys as last time). */
    @Benchmark
    public Snapshot readDecode1KiB() {
        return BenchAccess.readUncached(slot);
    }

    /** The same, with the keys checked in full (order, UTF-8) as when they differ from the last snapshot's. */
    @Benchmark
    public Snapshot readDecodeNewKeys1KiB() {
        return BenchAccess.readUncachedNewKeys(slot);
    }

    /** The same, then one value looked up and copied out. */
    @Benchmark
    public byte[] readDecodeGet1KiB() {
        return BenchAccess.readUncached(slot).get("metric.007");
    }

    /** publish() of a changed 1 KiB map: encode, epoch check, lock-free compare, lock word, copy, flip, unlock. */
    @Benchmark
    public PublishResult publish1KiB() {
        flip = !flip;
        return publisher.publish(flip ? a : b);
    }

    /** publish() of a map equal to the published one: encode, epoch check, lock-free compare in place; no write. */
    @Benchmark
    public PublishResult publishUnchanged1KiB() {
        return steady.publish(a);
    }
}
