package dev.tend.protocol;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The member names of the control protocol's messages (docs/control-protocol.md), written once for the
 * service, the client commands and {@code Require}. A name used by several messages (such as {@code pool})
 * has one constant. The typed messages of this package ({@link Request}, {@link ActionResult},
 * {@link InstanceStatus}, {@link WorkerEntry}, {@link FailureReport}, {@link LogEvent}) read and write them.
 */
public final class Protocol {
    // Framing: every request and the final message of every reply.
    /** The operation of a request (a string, see {@link Op}). */
    public static final String OP = "op";
    /** Marks the final message of a reply: {@code true} or {@code false}. */
    public static final String OK = "ok";
    /** The failure's message for humans. */
    public static final String ERROR = "error";
    /** The failure's {@link ExitCode}, as its number. */
    public static final String CODE = "code";
    /** Marks a message before the final one, and names its kind ({@link LogEvent#NAME}). */
    public static final String EVENT = "event";
    /**
     * A request member of every operation: asks the server to send a {@link #HEARTBEAT} event whenever this
     * many milliseconds pass while the request is in hand, so that a client can tell a tend that is working
     * (stopping workers for 30 s) from one that does not answer at all (stopped, wedged).
     */
    public static final String HEARTBEAT_MS = "heartbeat_ms";
    /** The {@link #EVENT} kind of a heartbeat: {@code {"event": "heartbeat"}}, no other member. */
    public static final String HEARTBEAT = "heartbeat";
    /** The shortest heartbeat interval the server sends at; a smaller {@link #HEARTBEAT_MS} counts as this. */
    public static final long MIN_HEARTBEAT_MS = 100;

    // Request members.
    public static final String TABLE = "table";
    public static final String TARGETS = "targets";
    /** {@code scale}: scale a named worker (a pool whose count is 1) past one all the same. */
    public static final String FORCE = "force";
    public static final String WAIT = "wait";
    public static final String ROLLING = "rolling";
    public static final String WITH_DEPENDENTS = "with_dependents";
    public static final String POOL = "pool";
    public static final String COUNT = "count";
    public static final String NAMES = "names";
    public static final String TIMEOUT_MS = "timeout_ms";
    public static final String LINES = "lines";
    public static final String FOLLOW = "follow";
    public static final String FILES = "files";

    // The action result and the status (ps).
    public static final String MESSAGE = "message";
    public static final String WORKERS = "workers";
    public static final String FAILURES = "failures";
    public static final String INSTANCE = "instance";
    public static final String PID = "pid";
    public static final String CONFIG = "config";
    public static final String STOPPING = "stopping";

    // The worker object (POOL, INSTANCE, PID and FAILURES too).
    public static final String NAME = "name";
    public static final String STATE = "state";
    public static final String READY = "ready";
    public static final String FINISHED_CLEANLY = "finished_cleanly";
    public static final String UPTIME_MS = "uptime_ms";
    public static final String STATE_SINCE_EPOCH_MS = "state_since_epoch_ms";
    public static final String RESTARTS = "restarts";
    public static final String ATTEMPTS = "attempts";
    public static final String LAST_EXIT = "last_exit";
    public static final String REASON = "reason";
    public static final String STATUS = "status";
    public static final String STATE_VERSION = "state_version";
    public static final String STATE_AGE_MS = "state_age_ms";
    public static final String CPU_PERCENT = "cpu_percent";
    public static final String RSS_BYTES = "rss_bytes";
    public static final String HEALTH = "health";
    public static final String NEXT_RUN_EPOCH_MS = "next_run_epoch_ms";
    public static final String NEXT_RUN_IN_MS = "next_run_in_ms";
    public static final String LAST_RUN_MS = "last_run_ms";

    // The health object (STATUS, FAILURES and MESSAGE too).
    public static final String PROBE = "probe";
    public static final String THRESHOLD = "threshold";
    public static final String LAST_RESULT = "last_result";
    public static final String LAST_CHECK_EPOCH_MS = "last_check_epoch_ms";
    public static final String OUTPUT = "output";

    // The failure report (POOL, REASON, LAST_EXIT and ATTEMPTS too).
    public static final String WORKER = "worker";
    public static final String COMMAND = "command";
    public static final String RAN_FOR_MS = "ran_for_ms";
    public static final String STDERR = "stderr";

    // The log event.
    public static final String SEQ = "seq";
    public static final String TIME_MS = "time_ms";
    public static final String SOURCE = "source";
    public static final String CHANNEL = "channel";
    public static final String PATH = "path";
    public static final String TEXT = "text";

    private Protocol() {}

    /**
     * The final message of a failure that has nothing more to say:
     * {@code {"ok": false, "error": message, "code": N}}, members in the documented order.
     */
    public static Map<String, Object> failure(ExitCode code, String message) {
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put(OK, false);
        reply.put(ERROR, message);
        reply.put(CODE, code.code());
        return reply;
    }
}
