package dev.tend.bench;

import dev.tend.os.CurrentProcess;
import dev.tend.os.ProcessInfo;
import dev.tend.state.BenchAccess;
import dev.tend.state.PublishResult;
import dev.tend.state.StateFile;
import dev.tend.state.StateFileLayout;
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

/**
 * Where a publish's time goes: encoding, the write itself, the slot lock word; and, for comparison, the two
 * system calls of layout 1.x's OFD lock and a bare system call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PublishBreakdownBenchmark {
    private Path dir;
    private StateFile file;
    private BenchAccess.Parts parts;
    private Map<String, byte[]> a;
    private Map<String, byte[]> b;
    private boolean flip;
    private long otherProcess;

    @Setup
    public void setUp() throws IOException {
        dir = Workload.scratchDirectory();
        file = StateFile.create(dir.resolve("state"));
        file.allocate("bench.1", "bench");
        parts = new BenchAccess.Parts(file.path(), "bench.1");
        a = Workload.snapshot(1);
        b = Workload.snapshot(2);
        ProcessHandle parent = ProcessHandle.current().parent().orElseThrow();
        otherProcess = StateFileLayout.lockOwner(parent.pid(), ProcessInfo.startTime((int) parent.pid()).orElseThrow());
    }

    @TearDown
    public void tearDown() {
        parts.close();
        file.close();
        Workload.delete(dir);
    }

    /** Canonical encoding of the 16-entry, 1092-byte map by a publisher's encoder: the same keys as last time. */
    @Benchmark
    public int encode1KiB() {
        flip = !flip;
        return parts.encode(flip ? a : b);
    }

    /** The same map by a fresh encoder: keys encoded, validated and sorted, a new buffer (first publish). */
    @Benchmark
    public int encodeNewKeys1KiB() {
        return BenchAccess.encodeNewKeys(a);
    }

    /** Encode plus the latch protocol (compare, seq, copy, flip), no lock. */
    @Benchmark
    public PublishResult publishWithoutLock1KiB() {
        flip = !flip;
        return parts.publishUnlocked(flip ? a : b);
    }

    /** Taking and dropping the slot's lock word, uncontended: a CAS and a release store. */
    @Benchmark
    public void lockUnlock() {
        parts.lockUnlock();
    }

    /**
     * What a contended publisher pays to decide whether the holder is alive: one read of /proc/PID/stat (here of
     * the benchmark's parent process, which is alive). Never paid on the uncontended path.
     */
    @Benchmark
    public boolean holderAliveCheck() {
        return BenchAccess.holderAlive(otherProcess);
    }

    /** Taking and dropping layout 1.x's per-slot OFD lock: two fcntl calls. */
    @Benchmark
    public void ofdLockUnlock() {
        parts.ofdLockUnlock();
    }

    /** The floor of any system call through JNA on this machine. */
    @Benchmark
    public int getpidSyscall() {
        return CurrentProcess.pid();
    }
}
