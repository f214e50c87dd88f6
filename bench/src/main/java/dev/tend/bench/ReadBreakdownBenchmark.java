package dev.tend.bench;

import dev.tend.state.BenchAccess;
import dev.tend.state.Snapshot;
import java.nio.ByteBuffer;
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
import org.openjdk.jmh.annotations.Warmup;

/** Where a read's time goes: the private copy out of (direct) memory, and the strict decode of the copy. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ReadBreakdownBenchmark {
    private ByteBuffer mapped;
    private byte[] payload;
    private Snapshot previous;

    @Setup
    public void setUp() {
        payload = BenchAccess.encodeToArray(Workload.snapshot(1));
        mapped = ByteBuffer.allocateDirect(4096);
        mapped.put(64, payload);
        previous = BenchAccess.decode(payload.clone(), null);
    }

    /** A new array of the payload's length, filled from direct memory: the reader's private copy. */
    @Benchmark
    public byte[] copy1KiB() {
        byte[] copy = new byte[payload.length];
        mapped.get(64, copy, 0, copy.length);
        return copy;
    }

    /** Strict decode when the keys equal the last snapshot's: bounds checked, keys compared. */
    @Benchmark
    public Snapshot decodeSameKeys1KiB() {
        return BenchAccess.decode(payload, previous);
    }

    /** Strict decode with nothing to compare against: bounds, key order and UTF-8 all checked. */
    @Benchmark
    public Snapshot decodeNewKeys1KiB() {
        return BenchAccess.decode(payload, null);
    }
}
