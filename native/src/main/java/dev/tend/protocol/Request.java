package dev.tend.protocol;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request of the control protocol, one per connection: what a client writes with {@link #toJson()} and
 * the service reads back with {@link #parse}, members and defaults as docs/control-protocol.md lists them.
 */
public sealed interface Request {
    /** The operation. */
    Op op();

    /** The request line's object, {@code op} first. */
    Map<String, Object> toJson();

    /**
     * {@code ps}: the instance and every worker.
     *
     * @param table answer with {@link StatusTable}'s lines ({@code table}) instead of the worker objects.
     */
    record Ps(boolean table) implements Request {
        /** Whether a ps that does not say asks for the table: no, for the worker objects. */
        public static final boolean DEFAULT_TABLE = false;

        /** The status with its worker objects. */
        public Ps() {
            this(DEFAULT_TABLE);
        }

        @Override
        public Op op() {
            return Op.PS;
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> m = start(Op.PS);
            if (table != DEFAULT_TABLE) {
                m.put(Protocol.TABLE, table);
            }
            return m;
        }
    }

    /**
     * {@code start}, {@code stop} or {@code restart} of workers, pools, lazy declarations or {@code all}.
     *
     * @param untilDone answer once the action is done rather than once it has begun ({@code wait}).
     * @param rolling   restart one target at a time, each ready before the next is stopped (restart only).
     * @param withDependents stop also the workers that depend on the targets, first (stop only).
     */
    record Action(Op op, List<String> targets, boolean untilDone, boolean rolling, boolean withDependents)
            implements Request {
        /** Whether a restart that does not say is rolling: no, all targets at once. */
        public static final boolean DEFAULT_ROLLING = false;
        /** Whether a stop that does not say stops dependents too: no, it is refused while they run. */
        public static final boolean DEFAULT_WITH_DEPENDENTS = false;

        public Action {
            if (op != Op.START && op != Op.STOP && op != Op.RESTART) {
                throw new IllegalArgumentException(op + " is not start, stop or restart");
            }
            if (rolling && op != Op.RESTART) {
                throw new IllegalArgumentException(op + " cannot be rolling; only restart can");
            }
            if (withDependents && op != Op.STOP) {
                throw new IllegalArgumentException(op + " does not take dependents; only stop does");
            }
            targets = List.copyOf(targets);
        }

        /** A start, stop or restart of the targets all at once. */
        public Action(Op op, List<String> targets, boolean untilDone) {
            this(op, targets, untilDone, DEFAULT_ROLLING, DEFAULT_WITH_DEPENDENTS);
        }

        /** A start, stop or restart of the targets, rolling or not, without their dependents. */
        public Action(Op op, List<String> targets, boolean untilDone, boolean rolling) {
            this(op, targets, untilDone, rolling, DEFAULT_WITH_DEPENDENTS);
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> m = start(op);
            m.put(Protocol.TARGETS, targets);
            m.put(Protocol.WAIT, untilDone);
            if (op == Op.RESTART) {
                m.put(Protocol.ROLLING, rolling);
            }
            if (op == Op.STOP && withDependents) {
                m.put(Protocol.WITH_DEPENDENTS, true);
            }
            return m;
        }
    }

    /**
     * {@code scale}: a pool's number of workers.
     *
     * @param count     a number of workers ({@code 3}) or a share of the processors ({@code 50%}), as given.
     * @param untilDone answer once added workers are ready or removed ones are gone ({@code wait}).
     */
    record Scale(String pool, String count, boolean untilDone, boolean force) implements Request {
        /** Without {@code force}: a named worker (a pool whose count is 1) is not scaled past one. */
        public Scale(String pool, String count, boolean untilDone) {
            this(pool, count, untilDone, false);
        }

        @Override
        public Op op() {
            return Op.SCALE;
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> m = start(Op.SCALE);
            m.put(Protocol.POOL, pool);
            m.put(Protocol.COUNT, count);
            m.put(Protocol.WAIT, untilDone);
            if (force) {
                m.put(Protocol.FORCE, true);
            }
            return m;
        }
    }

    /** {@code require}: named workers started if needed, and ready within {@code timeout}. */
    record Require(List<String> names, Duration timeout) implements Request {
        /** The timeout of a request that gives none, in seconds (so that a command's help can show it). */
        public static final long DEFAULT_TIMEOUT_SECONDS = 30;
        /** The timeout of a request that gives none. */
        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS);
        /**
         * The longest timeout a request may give: a year, the longest duration tend takes anywhere (a deadline
         * near {@code Long.MAX_VALUE} would overflow the clock's arithmetic).
         */
        public static final Duration LONGEST_TIMEOUT = Duration.ofDays(365);

        public Require {
            names = List.copyOf(names);
        }

        @Override
        public Op op() {
            return Op.REQUIRE;
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> m = start(Op.REQUIRE);
            m.put(Protocol.NAMES, names);
            m.put(Protocol.TIMEOUT_MS, timeout.toMillis());
            return m;
        }
    }

    /** {@code reload}: the configuration file applied again. */
    record Reload() implements Request {
        @Override
        public Op op() {
            return Op.RELOAD;
        }

        @Override
        public Map<String, Object> toJson() {
            return start(Op.RELOAD);
        }
    }

    /** {@code down}: every worker stopped, and {@code tend up} ended. */
    record Down() implements Request {
        @Override
        public Op op() {
            return Op.DOWN;
        }

        @Override
        public Map<String, Object> toJson() {
            return start(Op.DOWN);
        }
    }

    /**
     * {@code logs}: recent output, and with {@code follow} the lines that come after.
     *
     * @param targets workers, pools, lazy declarations, {@code tend} or {@code all}; none means everything.
     * @param lines   how many recent lines to send first; a negative number counts as 0.
     * @param files   whether the client reads the history of log files itself: the recent lines are then
     *                followed by a {@link LogFiles} event naming the targets' files, before the lines that come
     *                after.
     */
    record Logs(List<String> targets, int lines, boolean follow, boolean files) implements Request {
        /** The number of recent lines of a request that gives none. */
        public static final int DEFAULT_LINES = 100;

        public Logs {
            targets = List.copyOf(targets);
            lines = Math.max(0, lines);
        }

        /** A request of a client that does not read log files. */
        public Logs(List<String> targets, int lines, boolean follow) {
            this(targets, lines, follow, false);
        }

        @Override
        public Op op() {
            return Op.LOGS;
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> m = start(Op.LOGS);
            m.put(Protocol.TARGETS, targets);
            m.put(Protocol.LINES, lines);
            m.put(Protocol.FOLLOW, follow);
            if (files) {
                m.put(Protocol.FILES, true);
            }
            return m;
        }
    }

    /**
     * {@code subscribe}: the status of the instance now, then again whenever it changes, until the client goes
     * away (the {@link InstanceStatus#EVENT} events; no final message).
     */
    record Subscribe() implements Request {
        @Override
        public Op op() {
            return Op.SUBSCRIBE;
        }

        @Override
        public Map<String, Object> toJson() {
            return start(Op.SUBSCRIBE);
        }
    }

    /**
     * Reads a request. Members an operation does not use are ignored; a member it uses that is missing (where
     * there is no default) or of the wrong type is refused, with a message that names it.
     */
    static Request parse(Map<String, ?> json) throws BadRequestException {
        Object name = json.get(Protocol.OP);
        Op op = name instanceof String s ? Op.named(s).orElse(null) : null;
        if (op == null) {
            throw new BadRequestException("unknown op \"" + name + "\"; known: " + Op.names());
        }
        // Members are checked in the documented order, so that the first wrong one is the one reported.
        return switch (op) {
            case PS -> new Ps(flag(json, Protocol.TABLE, Ps.DEFAULT_TABLE));
            case START -> new Action(op, strings(json, Protocol.TARGETS), wait(json));
            case STOP -> new Action(op, strings(json, Protocol.TARGETS), wait(json), Action.DEFAULT_ROLLING,
                    flag(json, Protocol.WITH_DEPENDENTS, Action.DEFAULT_WITH_DEPENDENTS));
            case RESTART -> new Action(op, strings(json, Protocol.TARGETS), wait(json),
                    flag(json, Protocol.ROLLING, Action.DEFAULT_ROLLING));
            case SCALE -> new Scale(string(json, Protocol.POOL), count(json), wait(json), flag(json, Protocol.FORCE, false));
            case REQUIRE -> new Require(names(json), Duration.ofMillis(integer(json, Protocol.TIMEOUT_MS,
                    Require.DEFAULT_TIMEOUT.toMillis(), 0, Require.LONGEST_TIMEOUT.toMillis())));
            case RELOAD -> new Reload();
            case DOWN -> new Down();
            case LOGS -> new Logs(json.containsKey(Protocol.TARGETS) ? strings(json, Protocol.TARGETS) : List.of(),
                    (int) Math.min(Integer.MAX_VALUE, integer(json, Protocol.LINES, Logs.DEFAULT_LINES, Long.MIN_VALUE,
                            Long.MAX_VALUE)),
                    flag(json, Protocol.FOLLOW, false), flag(json, Protocol.FILES, false));
            case SUBSCRIBE -> new Subscribe();
        };
    }

    private static Map<String, Object> start(Op op) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(Protocol.OP, op.wireName());
        return m;
    }

    private static boolean wait(Map<String, ?> json) throws BadRequestException {
        return flag(json, Protocol.WAIT, true);
    }

    private static boolean flag(Map<String, ?> json, String key, boolean absent) throws BadRequestException {
        Object v = json.get(key);
        if (v == null) {
            return absent;
        }
        if (!(v instanceof Boolean b)) {
            throw new BadRequestException("\"" + key + "\" must be true or false");
        }
        return b;
    }

    private static String string(Map<String, ?> json, String key) throws BadRequestException {
        if (!(json.get(key) instanceof String s)) {
            throw new BadRequestException("\"" + key + "\" must be a string");
        }
        return s;
    }

    /** {@code count}: a number of workers, or a string such as {@code "4"} or {@code "50%"}. */
    private static String count(Map<String, ?> json) throws BadRequestException {
        Object v = json.get(Protocol.COUNT);
        if (v instanceof Long n) {
            return Long.toString(n);
        }
        if (v instanceof String s) {
            return s;
        }
        throw new BadRequestException("\"" + Protocol.COUNT + "\" must be a number or a string such as \"50%\"");
    }

    private static long integer(Map<String, ?> json, String key, long absent, long min, long max)
            throws BadRequestException {
        Object v = json.get(key);
        if (v == null) {
            return absent;
        }
        if (!(v instanceof Long n)) {
            throw new BadRequestException("\"" + key + "\" must be an integer");
        }
        if (n < min || n > max) {
            throw new BadRequestException("\"" + key + "\" must be between " + min + " and " + max + " (got " + n + ")");
        }
        return n;
    }

    /** {@code names} of {@code require}: at least one, since requiring nothing would succeed vacuously. */
    private static List<String> names(Map<String, ?> json) throws BadRequestException {
        List<String> names = strings(json, Protocol.NAMES);
        if (names.isEmpty()) {
            throw new BadRequestException("\"" + Protocol.NAMES + "\" must name at least one worker");
        }
        return names;
    }

    private static List<String> strings(Map<String, ?> json, String key) throws BadRequestException {
        if (!(json.get(key) instanceof List<?> list)) {
            throw new BadRequestException("\"" + key + "\" must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof String s)) {
                throw new BadRequestException("\"" + key + "\" must be an array of strings");
            }
            out.add(s);
        }
        return out;
    }
}
