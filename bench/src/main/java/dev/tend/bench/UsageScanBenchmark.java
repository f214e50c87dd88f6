package dev.tend.bench;

import dev.tend.os.ChildProcess;
import dev.tend.os.Signal;
import dev.tend.os.SpawnRequest;
import dev.tend.os.Spawner;
import dev.tend.os.UsageScanner;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one usage sample ({@link UsageScanner#scan}): one pass over {@code /proc} with {@code workers} idle
 * workers, each a process group of its own, as tend's sampler takes it every 5 s. The scan reads every process on
 * the machine, so the figure depends on how many there are besides the workers: setup prints the count.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class UsageScanBenchmark {
    @Param({"100"})
    public int workers;

    private final List<ChildProcess> children = new ArrayList<>();
    private int[] groups;
    private UsageScanner scanner;

    @Setup
    public void setUp() {
        groups = new int[workers];
        for (int i = 0; i < workers; i++) {
            ChildProcess child = Spawner.spawn(new SpawnRequest(Path.of("/bin/sleep"), List.of("sleep", "3600"),
                    Path.of("/"), Map.of("PATH", "/usr/bin:/bin"), 0, -1));
            children.add(child);
            groups[i] = child.pid();
        }
        scanner = new UsageScanner();
        String[] entries = new File("/proc").list();
        long processes = entries == null ? 0 : Arrays.stream(entries).filter(n -> n.chars().allMatch(Character::isDigit)).count();
        System.out.println("processes on the machine: " + processes + ", of which " + workers + " workers");
    }

    @TearDown
    public void tearDown() {
        for (ChildProcess child : children) {
            child.signalGroup(Signal.KILL);
            child.close();
        }
    }

    /**
     * The CPU time of one sample, which a busy machine does not inflate as it does the wall time JMH reports:
     * {@code java -cp CP dev.tend.bench.UsageScanBenchmark [workers [samples]]}.
     */
    public static void main(String[] args) {
        UsageScanBenchmark bench = new UsageScanBenchmark();
        bench.workers = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int samples = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        bench.setUp();
        try {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            for (int i = 0; i < samples; i++) {
                bench.scan();
            }
            long cpu = threads.getCurrentThreadCpuTime();
            long wall = System.nanoTime();
            for (int i = 0; i < samples; i++) {
                bench.scan();
            }
            cpu = threads.getCurrentThreadCpuTime() - cpu;
            wall = System.nanoTime() - wall;
            System.out.printf(Locale.ROOT, "one sample: %.0f µs of CPU (user and system), %.0f µs of wall time; %d samples%n",
                    cpu / 1e3 / samples, wall / 1e3 / samples, samples);
        } finally {
            bench.tearDown();
        }
    }

    /** One sample: every process's stat read and summed by group. */
    @Benchmark
    public UsageScanner.Sample scan() {
        return scanner.scan(groups);
    }
}
