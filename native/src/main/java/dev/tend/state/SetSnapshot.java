package dev.tend.state;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The snapshot {@code tend set} publishes, from its arguments: the keys of {@code base} (the current snapshot
 * with {@code --merge}, else none), then those of {@code --json OBJECT}, then each {@code KEY=VALUE}, a later key
 * replacing an earlier one. Shared by the JVM client and the daemon answering the launcher through its command
 * FIFO, so that both publish the same snapshot and refuse the same arguments with the same message.
 */
public final class SetSnapshot {
    private SetSnapshot() {}

    /**
     * @param json        the text of {@code --json}, or null.
     * @param assignments the {@code KEY=VALUE} arguments; a value is stored as its UTF-8 bytes.
     * @throws IllegalArgumentException with the message {@code tend set} prints (a usage error).
     */
    public static Map<String, byte[]> of(Map<String, byte[]> base, String json, List<String> assignments) {
        Map<String, byte[]> data = new LinkedHashMap<>(base);
        if (json != null) {
            try {
                data.putAll(SnapshotJson.parse(json));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--json: " + e.getMessage(), e);
            }
        }
        for (String a : assignments) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("\"" + a + "\" is not KEY=VALUE");
            }
            data.put(a.substring(0, eq), a.substring(eq + 1).getBytes(StandardCharsets.UTF_8));
        }
        return data;
    }
}
