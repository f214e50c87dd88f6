package dev.tend.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
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
 * The same workload against a loopback Redis (TCP, one connection, no pipelining), the usual way to share
 * such state between processes. Needs {@code redis-server} on the PATH; the benchmark starts its own.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RedisBaselineBenchmark {
    private RedisServer server;
    private Resp client;
    private byte[] encodedA;
    private byte[] encodedB;
    private boolean flip;

    @Setup
    public void setUp() throws IOException, InterruptedException {
        server = RedisServer.start();
        client = new Resp(server.port());
        encodedA = encode(Workload.snapshot(1));
        encodedB = encode(Workload.snapshot(2));
        client.call("SET", "bench:blob", encodedA);
        client.call("SET", "bench:version", "1");
        client.call(Workload.hsetArguments("bench:hash", Workload.snapshot(1)));
    }

    /** The tend encoding, so that Redis moves exactly the bytes the state file moves. */
    private static byte[] encode(Map<String, byte[]> map) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer header = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        out.writeBytes(header.putInt(map.size()).array());
        new TreeMap<>(map).forEach((k, v) -> {
            byte[] key = k.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(key.length).array());
            out.writeBytes(key);
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(v.length).array());
            out.writeBytes(v);
        });
        return out.toByteArray();
    }

    @TearDown
    public void tearDown() throws IOException, InterruptedException {
        client.close();
        server.close();
    }

    /** Counterpart of versionCheck: GET of a small version key. */
    @Benchmark
    public Object getVersion() throws IOException {
        return client.call("GET", "bench:version");
    }

    /** Counterpart of readDecode1KiB (without the decode): GET of the 1092-byte encoded snapshot. */
    @Benchmark
    public Object getBlob1KiB() throws IOException {
        return client.call("GET", "bench:blob");
    }

    /** The map kept as a Redis hash: HGETALL of its 16 fields. */
    @Benchmark
    public Object hgetall16() throws IOException {
        return client.call("HGETALL", "bench:hash");
    }

    /** Counterpart of publish1KiB: SET of a changed 1092-byte encoded snapshot. */
    @Benchmark
    public Object setBlob1KiB() throws IOException {
        flip = !flip;
        return client.call("SET", "bench:blob", flip ? encodedA : encodedB);
    }
}
