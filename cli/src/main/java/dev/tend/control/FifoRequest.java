package dev.tend.control;

import dev.tend.json.Json;
import dev.tend.protocol.Op;
import dev.tend.protocol.Protocol;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One request line of the command FIFO ({@link CommandFifo}), as the launcher writes it:
 * {@code tend-request 1 REPLY JSON}, where {@code REPLY} is the name of the FIFO the launcher made for the
 * answer in the same runtime directory ({@code reply.} and up to 64 letters, digits, {@code _} or {@code -}: a
 * name, never a path) and {@code JSON} the request object of the control protocol. Only the operations whose
 * answer is an action result, printed by the client as {@code ActionText}, are taken.
 *
 * @param reply   the reply FIFO's file name.
 * @param request the control-protocol request.
 */
record FifoRequest(String reply, Map<String, Object> request) {
    static final String PREFIX = "tend-request 1 ";
    private static final Pattern REPLY_NAME = Pattern.compile("reply\\.[A-Za-z0-9_-]{1,64}");
    private static final Set<String> OPERATIONS = Set.of(Op.START.wireName(), Op.STOP.wireName(),
            Op.RESTART.wireName(), Op.SCALE.wireName(), Op.RELOAD.wireName(), Op.DOWN.wireName(),
            Op.REQUIRE.wireName());

    /**
     * A line that is not a request this version takes; the message says why, for the log and, when the line
     * named a reply FIFO ({@link #reply()} is not null), for the launcher waiting on it.
     */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        private final transient String reply;

        Malformed(String message, String reply) {
            super(message);
            this.reply = reply;
        }

        String reply() {
            return reply;
        }
    }

    /** Reads one line (without its newline). */
    static FifoRequest parse(String line) throws Malformed {
        if (!line.startsWith(PREFIX)) {
            throw new Malformed("it does not begin with \"" + PREFIX.strip() + "\"", null);
        }
        int space = line.indexOf(' ', PREFIX.length());
        String reply = space < 0 ? line.substring(PREFIX.length()) : line.substring(PREFIX.length(), space);
        if (!REPLY_NAME.matcher(reply).matches()) {
            throw new Malformed("its reply FIFO is not named reply.ID", null);
        }
        if (space < 0) {
            throw new Malformed("it has no request", reply);
        }
        Map<String, Object> request;
        try {
            request = Json.parseObject(line.substring(space + 1));
        } catch (IllegalArgumentException e) {
            throw new Malformed("its request is not a JSON object: " + e.getMessage(), reply);
        }
        if (!(request.get(Protocol.OP) instanceof String op) || !OPERATIONS.contains(op)) {
            throw new Malformed("its request has no \"op\" answered here (" + String.join(", ",
                    OPERATIONS.stream().sorted().toList()) + ")", reply);
        }
        return new FifoRequest(reply, request);
    }
}
