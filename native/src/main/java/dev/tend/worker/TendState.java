package dev.tend.worker;

import dev.tend.state.OwnerToken;
import dev.tend.state.PublishResult;
import dev.tend.state.Publisher;
import dev.tend.state.StateReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * A Java worker's entry point to its supervisor's state file, configured from the environment tend gives
 * every worker:
 * <ul>
 *   <li>{@value #STATE_ENV}: absolute path of the state file;</li>
 *   <li>{@value #WORKER_ENV}: the worker's name, which is also its slot's name (e.g. {@code queue.2});</li>
 *   <li>{@value #TOKEN_ENV}: the secret this process publishes with, drawn by tend for this start of the
 *       worker and given to it alone (16 hexadecimal digits);</li>
 *   <li>{@value #FD_ENV}: the pipe to tend on which {@link #publish} says it published (for
 *       {@code ready = "publish"}).</li>
 * </ul>
 *
 * <pre>{@code
 * try (TendState state = TendState.fromEnvironment()) {
 *     state.publishStrings(Map.of("status", "ready"));
 *     String peer = state.reader().slot("queue").snapshot().getString("status");
 * }
 * }</pre>
 *
 * <p>The publisher and reader are opened on first use. Thread-safe.
 */
public final class TendState implements AutoCloseable {
    /** Environment variable holding the state file's path. */
    public static final String STATE_ENV = "TEND_STATE";
    /** Environment variable holding the worker's (and its slot's) name. */
    public static final String WORKER_ENV = "TEND_WORKER";
    /** Environment variable holding the worker's publishing token. */
    public static final String TOKEN_ENV = "TEND_STATE_TOKEN";
    /** Environment variable holding the descriptor of the state protocol pipe to tend. */
    public static final String FD_ENV = "TEND_STATE_FD";

    private static final byte[] NEWLINE = {'\n'};

    private final Path file;
    private final String workerName;
    private final long token;
    private final int doorbellFd;
    private boolean rung;
    private Publisher publisher;
    private StateReader reader;

    private TendState(Path file, String workerName, long token, int doorbellFd) {
        this.file = file;
        this.workerName = workerName;
        this.token = token;
        this.doorbellFd = doorbellFd;
    }

    /** Reads the process environment; see {@link #fromEnvironment(Map)}. */
    public static TendState fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * Reads the three variables from {@code environment}.
     *
     * @throws IllegalStateException naming the variable that is missing or malformed (the process was not
     *                               started by tend, or with state disabled).
     */
    public static TendState fromEnvironment(Map<String, String> environment) {
        String file = required(environment, STATE_ENV);
        String worker = required(environment, WORKER_ENV);
        String tokenText = required(environment, TOKEN_ENV);
        long token;
        try {
            token = OwnerToken.parse(tokenText);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(TOKEN_ENV + " must be the 16 hexadecimal digits tend gave this process, was \""
                    + tokenText + "\"");
        }
        int fd = -1;
        try {
            fd = Integer.parseInt(environment.getOrDefault(FD_ENV, "-1"));
        } catch (NumberFormatException e) {
            // no pipe to tend: publishing still works, readiness by publish is not signalled
        }
        return new TendState(Path.of(file), worker, token, fd);
    }

    private static String required(Map<String, String> environment, String name) {
        String value = environment.get(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalStateException(name + " is not set: this process was not started by tend as a worker");
        }
        return value;
    }

    /**
     * Publishes a snapshot into this worker's slot (replacing the previous one) and, the first time, tells
     * tend it did, which makes a worker with {@code ready = "publish"} ready.
     */
    public PublishResult publish(Map<String, byte[]> data) {
        PublishResult result = publisher().publish(data);
        ringOnce();
        return result;
    }

    /** {@link #publish} with UTF-8 text values. */
    public PublishResult publishStrings(Map<String, String> data) {
        PublishResult result = publisher().publishStrings(data);
        ringOnce();
        return result;
    }

    /**
     * An empty line on the state protocol pipe: tend reads it as "I published", since a direct write into the
     * mapped file raises no event tend could see.
     */
    private synchronized void ringOnce() {
        if (rung || doorbellFd < 0) {
            return;
        }
        rung = true;
        // Opening the descriptor's /proc link gives a second descriptor on the same pipe without a native
        // library (a short publisher such as `tend set` would spend most of its start-up loading JNA). Only a
        // pipe: its open never waits for a reader, unlike a FIFO's, and never rewinds, unlike a regular file's.
        Path link = Path.of("/proc/self/fd/" + doorbellFd);
        try {
            if (!Files.readSymbolicLink(link).toString().startsWith("pipe:")) {
                return;
            }
            try (OutputStream pipe = Files.newOutputStream(link, StandardOpenOption.WRITE)) {
                pipe.write(NEWLINE);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // Best effort: a tend that has gone (EPIPE) or a descriptor that is not the pipe cannot be told, and
            // the snapshot is published either way.
        }
    }

    /** The publisher of this worker's own slot. */
    public synchronized Publisher publisher() {
        if (publisher == null) {
            publisher = Publisher.open(file, workerName, token);
        }
        return publisher;
    }

    /** A reader of every slot of the file. */
    public synchronized StateReader reader() {
        if (reader == null) {
            reader = StateReader.open(file);
        }
        return reader;
    }

    /** The state file's path. */
    public Path file() {
        return file;
    }

    /** This worker's name. */
    public String workerName() {
        return workerName;
    }

    /** This process's publishing token. */
    public long token() {
        return token;
    }

    /** Closes whatever was opened. */
    @Override
    public synchronized void close() {
        if (publisher != null) {
            publisher.close();
        }
        if (reader != null) {
            reader.close();
        }
    }
}
