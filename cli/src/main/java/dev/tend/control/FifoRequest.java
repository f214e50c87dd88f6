package dev.tend.control;

import dev.tend.json.Json;
import dev.tend.protocol.ActionResult;
import dev.tend.protocol.ClientText;
import dev.tend.protocol.Op;
import dev.tend.protocol.Protocol;
import dev.tend.protocol.StatusText;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One request line of the command FIFO ({@link CommandFifo}), as the launcher writes it:
 * {@code tend-request 1 REPLY JSON}, where {@code REPLY} is the name of the FIFO the launcher made for the
 * answer in the same runtime directory ({@code reply.} and up to 64 letters, digits, {@code _} or {@code -}: a
 * name, never a path) and {@code JSON} the request object of the control protocol, for one of
 * {@link #OPERATIONS}: those of the control protocol, and {@code get} and {@code set} ({@link StateRequest}), which
 * only this FIFO takes. A {@code ps} request may say which of the client's outputs to print in a member
 * {@value #PRINT} ({@code table}, the default, {@code json} or {@code ready}: {@link StatusText.View}); the
 * member is taken out before the request is handled. {@value #LS} is the launcher's own: this tend's row of
 * {@code tend ls} ({@link LsRows}), asked as a {@code ps}; its {@value #PRINT} may be {@code json}.
 *
 * @param reply   the reply FIFO's file name.
 * @param request the control-protocol request.
 * @param view    for {@code ps}, which output; null for the actions, printed as {@link ClientText#action}.
 * @param listing for {@value #LS}, which form of the row; null for the other operations.
 */
record FifoRequest(String reply, Map<String, Object> request, StatusText.View view, Listing listing) {
    static final String PREFIX = "tend-request 1 ";
    /** The operation that answers with this tend's row of {@code tend ls}; not one of the control protocol. */
    static final String LS = "ls";
    /** The operations taken, as the status file lists them for the launcher (a launcher newer than this tend
     * asks its JVM client for the others). */
    static final List<String> OPERATIONS = List.of(Op.START.wireName(), Op.STOP.wireName(), Op.RESTART.wireName(),
            Op.SCALE.wireName(), Op.RELOAD.wireName(), Op.DOWN.wireName(), Op.REQUIRE.wireName(), Op.PS.wireName(),
            StateRequest.GET, StateRequest.SET, Op.LOGS.wireName(), LS);
    static final String PRINT = "print";
    private static final Pattern REPLY_NAME = Pattern.compile("reply\\.[A-Za-z0-9_-]{1,64}");
    private static final Set<String> VIEWS = Set.of("table", "json", "ready");

    /** The forms of the {@value #LS} row: its table cells, one a line, or its JSON object. */
    enum Listing { CELLS, JSON }

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
        Object print = request.get(PRINT);
        if (op.equals(LS)) {
            if (request.size() != (print == null ? 1 : 2) || print != null && !print.equals("json")) {
                throw new Malformed("an \"" + LS + "\" takes only \"" + PRINT + "\": \"json\"", reply);
            }
            return new FifoRequest(reply, Map.of(Protocol.OP, Op.PS.wireName()), null,
                    print == null ? Listing.CELLS : Listing.JSON);
        }
        if (print != null && !(op.equals(Op.PS.wireName()) && VIEWS.contains(print))) {
            throw new Malformed("its \"" + PRINT + "\" is not one of " + VIEWS.stream().sorted().toList()
                    + " for a ps", reply);
        }
        if (!op.equals(Op.PS.wireName())) {
            return new FifoRequest(reply, request, null, null);
        }
        Map<String, Object> handled = new LinkedHashMap<>(request);
        handled.remove(PRINT);
        return new FifoRequest(reply, handled,
                StatusText.View.valueOf((print == null ? "table" : (String) print).toUpperCase(Locale.ROOT)), null);
    }

    /** The reply FIFO {@code line} names, or null: to answer a line that cannot be read as text (not UTF-8). */
    static String replyOf(String line) {
        if (!line.startsWith(PREFIX)) {
            return null;
        }
        int space = line.indexOf(' ', PREFIX.length());
        String reply = space < 0 ? line.substring(PREFIX.length()) : line.substring(PREFIX.length(), space);
        return REPLY_NAME.matcher(reply).matches() ? reply : null;
    }

    /**
     * What the client prints for {@code last}, the final message (as the client reads it, through JSON text); null
     * when the launcher must ask through the JVM client instead.
     */
    ClientText text(Map<String, Object> last) {
        if (listing != null) {
            return LsRows.text(last, listing == Listing.JSON);
        }
        return view == null ? ClientText.action(ActionResult.fromJson(last)) : StatusText.of(last, view);
    }

    /** Whether this asks for something (safe to ask again through the JVM client), not for an action. */
    boolean query() {
        return view != null || listing != null;
    }
}
