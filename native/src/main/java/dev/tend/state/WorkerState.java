package dev.tend.state;

import java.nio.file.Path;
import java.util.Map;

/**
 * A Java worker's entry point to its supervisor's state file, configured from the environment tend gives
 * every worker:
 * <ul>
 *   <li>{@value #STATE_ENV}: absolute path of the state file;</li>
 *   <li>{@value #WORKER_ENV}: the worker's name, which is also its slot's name (e.g. {@code queue.2});</li>
 *   <li>{@value #EPOCH_ENV}: the decimal epoch token of this incarnation of the worker.</li>
 * </ul>
 *
 * <pre>{@code
 * try (WorkerState state = WorkerState.fromEnvironment()) {
 *     state.publisher().publishStrings(Map.of("status", "ready"));
 *     String peer = state.reader().slot("queue").snapshot().getString("status");
 * }
 * }</pre>
 *
 * <p>The publisher and reader are opened on first use. Thread-safe.
 */
public final class WorkerState implements AutoCloseable {
    /** Environment variable holding the state file's path. */
    public static final String STATE_ENV = "TEND_STATE";
    /** Environment variable holding the worker's (and its slot's) name. */
    public static final String WORKER_ENV = "TEND_WORKER";
    /** Environment variable holding the worker's epoch token. */
    public static final String EPOCH_ENV = "TEND_STATE_EPOCH";

    private final Path file;
    private final String workerName;
    private final long epoch;
    private Publisher publisher;
    private StateReader reader;

    private WorkerState(Path file, String workerName, long epoch) {
        this.file = file;
        this.workerName = workerName;
        this.epoch = epoch;
    }

    /** Reads the process environment; see {@link #fromEnvironment(Map)}. */
    public static WorkerState fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * Reads the three variables from {@code environment}.
     *
     * @throws IllegalStateException naming the variable that is missing or malformed (the process was not
     *                               started by tend, or with state disabled).
     */
    public static WorkerState fromEnvironment(Map<String, String> environment) {
        String file = required(environment, STATE_ENV);
        String worker = required(environment, WORKER_ENV);
        String epochText = required(environment, EPOCH_ENV);
        long epoch;
        try {
            epoch = Long.parseLong(epochText);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(EPOCH_ENV + " must be a decimal number, was \"" + epochText + "\"");
        }
        return new WorkerState(Path.of(file), worker, epoch);
    }

    private static String required(Map<String, String> environment, String name) {
        String value = environment.get(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalStateException(name + " is not set: this process was not started by tend as a worker");
        }
        return value;
    }

    /** The publisher of this worker's own slot. */
    public synchronized Publisher publisher() {
        if (publisher == null) {
            publisher = Publisher.open(file, workerName, epoch);
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

    /** This incarnation's epoch token. */
    public long epoch() {
        return epoch;
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
