package dev.tend.control;

import dev.tend.state.OwnerToken;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A request of the command FIFO about published state, which the launcher (a shell script, that cannot map the
 * state file) asks tend to do for it; the JVM client reads and writes the file itself, so these are no
 * operations of the control protocol. {@link StateDesk} answers them.
 *
 * <pre>
 * {"op":"get","name":NAME,"key":KEY,"json":BOOL,"terminal":BOOL}       tend get [--json] NAME [KEY]
 * {"op":"set","worker":NAME,"token":HEX,"merge":BOOL,"json":OBJECT,
 *  "assignments":["KEY=VALUE",...],"ring":BOOL}                          tend set [--merge] [--json OBJECT] KEY=VALUE...
 * </pre>
 *
 * {@code key} and {@code json} may be left out (no KEY, no {@code --json OBJECT}); {@code terminal}: the launcher's
 * standard output is a terminal (a raw value then ends with a newline); {@code worker} and {@code token} are the
 * caller's {@code TEND_WORKER} and {@code TEND_STATE_TOKEN}; {@code ring}: its {@code TEND_STATE_FD} is a pipe to
 * tend, on which the JVM client would say that it published.
 */
sealed interface StateRequest {
    String GET = "get";
    String SET = "set";

    /** {@code tend get}. */
    record Get(String name, String key, boolean json, boolean terminal) implements StateRequest {}

    /** {@code tend set}. */
    record Publish(String worker, long token, boolean merge, String json, List<String> assignments, boolean ring)
            implements StateRequest {
        public Publish {
            assignments = List.copyOf(assignments);
        }
    }

    /** Whether {@code op} is one of these requests. */
    static boolean takes(Object op) {
        return GET.equals(op) || SET.equals(op);
    }

    /**
     * Reads the request object.
     *
     * @throws IllegalArgumentException saying which member is missing or of the wrong type.
     */
    static StateRequest of(Map<String, Object> request) {
        if (GET.equals(request.get("op"))) {
            return new Get(text(request, "name", true), text(request, "key", false), flag(request, "json"),
                    flag(request, "terminal"));
        }
        if (!SET.equals(request.get("op"))) {
            throw new IllegalArgumentException("\"op\" is not get or set");
        }
        long token = OwnerToken.parse(text(request, "token", true));
        if (!(request.get("assignments") instanceof List<?> list)) {
            throw new IllegalArgumentException("\"assignments\" is not a list");
        }
        List<String> assignments = new ArrayList<>();
        for (Object a : list) {
            if (!(a instanceof String s)) {
                throw new IllegalArgumentException("\"assignments\" holds something else than strings");
            }
            assignments.add(s);
        }
        return new Publish(text(request, "worker", true), token, flag(request, "merge"), text(request, "json", false),
                assignments, flag(request, "ring"));
    }

    private static String text(Map<String, Object> request, String member, boolean required) {
        Object value = request.get(member);
        if (value instanceof String s) {
            return s;
        }
        if (value == null && !required) {
            return null;
        }
        throw new IllegalArgumentException("\"" + member + "\" is not a string");
    }

    private static boolean flag(Map<String, Object> request, String member) {
        Object value = request.get(member);
        if (value == null || value instanceof Boolean) {
            return Boolean.TRUE.equals(value);
        }
        throw new IllegalArgumentException("\"" + member + "\" is not true or false");
    }
}
