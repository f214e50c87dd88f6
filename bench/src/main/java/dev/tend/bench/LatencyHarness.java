package dev.tend.bench;

import dev.tend.state.OwnerState;
import dev.tend.state.Publisher;
import dev.tend.state.SlotReader;
import dev.tend.state.Snapshot;
import dev.tend.state.StateFile;
import dev.tend.state.StateReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Cross-process publish-to-visible latency: two processes ping-pong through two slots (or, as the baseline,
 * through two Redis pub/sub channels). Each message carries its send time ({@code System.nanoTime()},
 * CLOCK_MONOTONIC, which all processes of a machine share), so the receiver measures one-way latency
 * directly; the sender also measures the round trip, and how long its own {@code publish()} call took (so
 * that the rest of the one-way latency can be told apart: the transfer and the receiver's read).
 *
 * <pre>
 * java -cp "$(cat bench/target/classpath.txt):bench/target/tend-bench-0.1.0.jar" \
 *      dev.tend.bench.LatencyHarness [tend|redis] [messages] [payloadBytes]
 * </pre>
 */
public final class LatencyHarness {
    private static final int WARMUP = 20_000;

    private LatencyHarness() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].startsWith("--")) {
            echo(args);
            return;
        }
        String transport = args.length > 0 ? args[0] : "tend";
        int messages = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int payload = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        if (transport.equals("tend")) {
            tend(messages, payload);
        } else {
            redis(messages, payload);
        }
    }

    // ---- the sender (this process) ------------------------------------------------------------

    private static void tend(int messages, int payload) throws Exception {
        Path dir = Workload.scratchDirectory();
        try (StateFile file = StateFile.create(dir.resolve("state"))) {
            int ping = file.allocate("ping.1", "ping");
            int pong = file.allocate("pong.1", "pong");
            file.setOwner(ping, OwnerState.RUNNING, 0, System.currentTimeMillis());
            file.setOwner(pong, OwnerState.RUNNING, 0, System.currentTimeMillis());
            Process echo = startEcho("--tend-echo", file.path().toString(), Integer.toString(messages + WARMUP));
            try (Publisher publisher = Publisher.open(file.path(), "ping.1", file.newIncarnation(ping).token());
                 StateReader reader = StateReader.open(file.path())) {
                SlotReader replies = reader.slot("pong.1");
                byte[] filler = new byte[payload];
                long[] rtt = new long[messages];
                long[] publishCall = new long[messages];
                for (int i = 0; i < messages + WARMUP; i++) {
                    long before = replies.version();
                    long t0 = System.nanoTime();
                    publisher.publish(Map.of("seq", longBytes(i), "t0", longBytes(t0), "fill", filler));
                    // Taken after the flip: it does not delay what the receiver measures.
                    long published = System.nanoTime();
                    while (replies.version() == before) {
                        Thread.onSpinWait();
                    }
                    long t1 = System.nanoTime();
                    if (toLong(replies.snapshot().get("seq")) != i) {
                        throw new IllegalStateException("reply out of order at " + i);
                    }
                    if (i >= WARMUP) {
                        rtt[i - WARMUP] = t1 - t0;
                        publishCall[i - WARMUP] = published - t0;
                    }
                }
                report("tend", payload, rtt, echo);
                Arrays.sort(publishCall);
                System.out.println("  publish() call (sender):  " + percentiles(publishCall));
            }
        } finally {
            Workload.delete(dir);
        }
    }

    private static void redis(int messages, int payload) throws Exception {
        try (RedisServer server = RedisServer.start();
             Resp sender = new Resp(server.port());
             Resp replies = new Resp(server.port())) {
            replies.call("SUBSCRIBE", "pong");
            Process echo = startEcho("--redis-echo", Integer.toString(server.port()),
                    Integer.toString(messages + WARMUP));
            byte[] filler = new byte[payload];
            long[] rtt = new long[messages];
            for (int i = 0; i < messages + WARMUP; i++) {
                long t0 = System.nanoTime();
                sender.call("PUBLISH", "ping", message(i, t0, filler));
                @SuppressWarnings("unchecked")
                List<Object> reply = (List<Object>) replies.read();
                long t1 = System.nanoTime();
                if (ByteBuffer.wrap((byte[]) reply.get(2)).order(ByteOrder.LITTLE_ENDIAN).getLong(0) != i) {
                    throw new IllegalStateException("reply out of order at " + i);
                }
                if (i >= WARMUP) {
                    rtt[i - WARMUP] = t1 - t0;
                }
            }
            report("redis " + server.version() + " (TCP loopback, pub/sub)", payload, rtt, echo);
        }
    }

    private static Process startEcho(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LatencyHarness.class.getName()));
        command.addAll(Arrays.asList(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        String ready = out.readLine();
        if (!"ready".equals(ready)) {
            throw new IOException("echo process said " + ready);
        }
        return process;
    }

    private static void report(String transport, int payload, long[] rtt, Process echo) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(echo.getInputStream(), StandardCharsets.UTF_8));
        String oneWay = out.readLine();
        echo.waitFor();
        Arrays.sort(rtt);
        System.out.printf(Locale.ROOT, "%s, %d-byte filler, %d messages after %d warm-up%n", transport, payload,
                rtt.length, WARMUP);
        System.out.println("  one-way (receiver clock): " + oneWay);
        long[] half = Arrays.stream(rtt).map(v -> v / 2).toArray();
        System.out.println("  round trip / 2:           " + percentiles(half));
    }

    // ---- the echo process -----------------------------------------------------------------------

    private static void echo(String[] args) throws Exception {
        int total = Integer.parseInt(args[2]);
        long[] oneWay = new long[total - WARMUP];
        if (args[0].equals("--tend-echo")) {
            Path path = Path.of(args[1]);
            try (StateReader reader = StateReader.open(path);
                 Publisher publisher = Publisher.openAsSupervisor(path, "pong.1")) {
                SlotReader pings = reader.slot("ping.1");
                // Read before saying ready: the first ping may come right after, and must not be taken for the
                // starting point (the two processes would then wait for each other for ever).
                long seen = pings.version();
                System.out.println("ready");
                System.out.flush();
                Map<String, byte[]> reply = new HashMap<>();
                for (int i = 0; i < total; i++) {
                    long version;
                    while ((version = pings.version()) == seen) {
                        Thread.onSpinWait();
                    }
                    Snapshot ping = pings.snapshot();
                    long t1 = System.nanoTime();
                    seen = version;
                    if (i >= WARMUP) {
                        oneWay[i - WARMUP] = t1 - toLong(ping.get("t0"));
                    }
                    reply.put("seq", ping.get("seq"));
                    publisher.publish(reply);
                }
            }
        } else {
            int port = Integer.parseInt(args[1]);
            try (Resp subscriber = new Resp(port); Resp publisher = new Resp(port)) {
                subscriber.call("SUBSCRIBE", "ping");
                System.out.println("ready");
                System.out.flush();
                for (int i = 0; i < total; i++) {
                    @SuppressWarnings("unchecked")
                    List<Object> message = (List<Object>) subscriber.read();
                    long t1 = System.nanoTime();
                    byte[] body = (byte[]) message.get(2);
                    if (i >= WARMUP) {
                        oneWay[i - WARMUP] = t1 - ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN).getLong(8);
                    }
                    publisher.call("PUBLISH", "pong", Arrays.copyOf(body, 8));
                }
            }
        }
        Arrays.sort(oneWay);
        System.out.println(percentiles(oneWay));
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static byte[] message(long seq, long t0, byte[] filler) {
        return ByteBuffer.allocate(16 + filler.length).order(ByteOrder.LITTLE_ENDIAN).putLong(seq).putLong(t0)
                .put(filler).array();
    }

    private static String percentiles(long[] sorted) {
        return String.format(Locale.ROOT, "p50 %s  p90 %s  p99 %s  p99.9 %s  max %s", micros(sorted, 0.50),
                micros(sorted, 0.90), micros(sorted, 0.99), micros(sorted, 0.999), micros(sorted, 1.0));
    }

    private static String micros(long[] sorted, double quantile) {
        int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
        return String.format(Locale.ROOT, "%.2f µs", sorted[Math.max(0, index)] / 1000.0);
    }

    private static byte[] longBytes(long value) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
    }

    private static long toLong(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }
}
