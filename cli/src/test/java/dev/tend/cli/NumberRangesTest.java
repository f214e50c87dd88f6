package dev.tend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.json.Json;
import dev.tend.testing.TendProcess;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Numbers past their range, given to a real tend on its command line and its control socket (issue 12). */
class NumberRangesTest {
    @TempDir
    Path dir;

    @Test
    void shouldRefuseDurationFlagsPastAYear() throws Exception {
        TendProcess.Result get = TendProcess.run(dir, "get", "web", "--wait", "9999999999999h");
        assertEquals(2, get.exitCode(), get.toString());
        assertTrue(get.stderr().contains("tend: error: --wait: duration \"9999999999999h\" is too long; durations are 0"
                + " to 8760h (365 days)"), get.toString());
        TendProcess.Result require = TendProcess.run(dir, "require", "web", "--timeout", "2562047h");
        assertEquals(2, require.exitCode(), require.toString());
        assertTrue(require.stderr().contains("--timeout: duration \"2562047h\" is too long"), require.toString());
    }

    @Test
    void shouldRefuseANegativeNumberOfLines() throws Exception {
        TendProcess.Result logs = TendProcess.run(dir, "logs", "-n", "-5");
        assertEquals(2, logs.exitCode(), logs.toString());
        assertEquals("tend: error: --lines: must be 0 or more (got -5)\n", logs.stderr());
    }

    @Test
    void shouldRefuseARequestTimeoutOutOfRange() throws Exception {
        try (TendProcess up = TendProcess.up(dir, "[pool.web]\ncommand = [\"cat\"]\n")) {
            for (long timeout : new long[] {Long.MAX_VALUE, -1}) {
                String reply = raw("{\"op\":\"require\",\"names\":[\"web\"],\"timeout_ms\":" + timeout + "}\n");
                assertEquals(Map.of("ok", false, "code", 2L, "error", "\"timeout_ms\" must be between 0 and"
                        + " 31536000000 (got " + timeout + ")"), Json.parseObject(reply.trim()), reply);
            }
            assertEquals(0, TendProcess.run(dir, "ps").exitCode(), "tend up still answers");
        }
    }

    private String raw(String request) throws Exception {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(TendProcess.instanceDirectory(dir).resolve("control.sock")));
            channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8)));
            return new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
