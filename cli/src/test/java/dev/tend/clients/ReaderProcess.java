package dev.tend.clients;

import dev.tend.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A client library's reader in a process of its own that stays up, so that the state file can grow under it:
 * it is sent a slot name per line and answers with the slot as one JSON line (tests/conformance_reader.*).
 */
final class ReaderProcess implements AutoCloseable {
    final String label;
    private final Process process;
    private final BufferedReader out;
    private final OutputStream in;

    ReaderProcess(String label, List<String> command) throws IOException {
        this.label = label;
        this.process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = process.getOutputStream();
    }

    Map<String, Object> read(String name) throws IOException {
        in.write((name + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
        String line = out.readLine();
        if (line == null) {
            throw new IOException(label + " reader ended without answering for " + name);
        }
        return Json.parseObject(line);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
