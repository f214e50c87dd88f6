package dev.tend.os;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One sd_notify datagram as received by a {@link NotifySocket}.
 *
 * <p>The protocol is newline-separated {@code KEY=VALUE} assignments ({@code READY=1},
 * {@code STATUS=…}, {@code STOPPING=1}, {@code WATCHDOG=1}, …). Empty lines and lines without {@code =}
 * are ignored; the key is everything before the first {@code =}; when a key repeats, the last value wins
 * (at the position of its first occurrence).
 *
 * <p>A datagram longer than the receive buffer arrives cut off. Its {@link #assignments()} are then empty:
 * the last line would be garbled ({@code STATUS=hal} for {@code STATUS=halted}), and acting on part of a
 * message is worse than ignoring it, which is also what systemd does with overlong datagrams.
 *
 * @param text        the payload as received (decoded as UTF-8; possibly cut off, see {@code truncated}).
 * @param assignments the parsed assignments in the order they appeared; unmodifiable.
 * @param pid         the sender's pid from {@code SCM_CREDENTIALS}, or -1 if the datagram carried none.
 *                    Not always the sending process: a privileged sender may claim another pid, and
 *                    {@code systemd-notify} run as root reports its parent's.
 * @param uid         the sender's uid, or -1.
 * @param gid         the sender's gid, or -1.
 * @param truncated   whether the datagram was longer than the receive buffer.
 */
public record NotifyMessage(String text, Map<String, String> assignments, int pid, int uid, int gid,
                            boolean truncated) {

    public NotifyMessage {
        Objects.requireNonNull(text, "text");
        assignments = Collections.unmodifiableMap(new LinkedHashMap<>(assignments));
    }

    /** A message whose assignments are parsed from {@code text}, unless it is {@code truncated}. */
    public static NotifyMessage of(String text, int pid, int uid, int gid, boolean truncated) {
        return new NotifyMessage(text, truncated ? Map.of() : parse(text), pid, uid, gid, truncated);
    }

    /** Parses newline-separated {@code KEY=VALUE} lines into an ordered map. */
    public static Map<String, String> parse(String text) {
        Map<String, String> assignments = new LinkedHashMap<>();
        int start = 0;
        while (start <= text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            int equals = text.indexOf('=', start);
            // "=value" has no key and is not an assignment either.
            if (equals > start && equals < end) {
                assignments.put(text.substring(start, equals), text.substring(equals + 1, end));
            }
            start = end + 1;
        }
        return assignments;
    }

    /** The value of {@code key}, if assigned. */
    public Optional<String> get(String key) {
        return Optional.ofNullable(assignments.get(key));
    }

    /** {@code READY=1}: the sender finished starting up. */
    public boolean isReady() {
        return "1".equals(assignments.get("READY"));
    }

    /** {@code STOPPING=1}: the sender began shutting down. */
    public boolean isStopping() {
        return "1".equals(assignments.get("STOPPING"));
    }

    /** {@code WATCHDOG=1}: a keep-alive ping. */
    public boolean isWatchdog() {
        return "1".equals(assignments.get("WATCHDOG"));
    }

    /** The free-form {@code STATUS=} text, if the message carried one. */
    public Optional<String> status() {
        return get("STATUS");
    }
}
