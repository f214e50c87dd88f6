package dev.tend.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A throw-away {@code redis-server} on a free loopback port, without persistence. */
final class RedisServer implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path dir;

    private RedisServer(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** Starts one and waits (bounded) until it answers PING. */
    static RedisServer start() throws IOException, InterruptedException {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path dir = Files.createTempDirectory("tend-bench-redis");
        Process process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--loglevel", "warning")
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try (Resp client = new Resp(port)) {
                if ("PONG".equals(client.call("PING"))) {
                    return new RedisServer(process, port, dir);
                }
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IOException("redis-server did not start on port " + port + "; see " + dir, notYet);
                }
                Thread.sleep(10); // a start-up poll, bounded by the deadline above
            }
        }
    }

    int port() {
        return port;
    }

    /** The server's version string, for the report. */
    String version() throws IOException {
        try (Resp client = new Resp(port)) {
            String info = new String((byte[]) client.call("INFO", "server"), StandardCharsets.UTF_8);
            for (String line : info.split("\r\n")) {
                if (line.startsWith("redis_version:")) {
                    return line.substring("redis_version:".length());
                }
            }
            return "unknown";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
        Workload.delete(dir);
    }
}
