package dev.tend.state;

import dev.tend.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Snapshots as JSON, in the shape of docs/state-file.md §12: a value that is valid UTF-8 is a JSON string,
 * any other value an object {@code {"base64": "…"}}.
 *
 * <p>Reading (the fd-3 protocol, {@code tend set --json}) also accepts numbers and booleans, stored as their
 * JSON text ({@code 17}, {@code true}), because that is what people write.
 */
public final class SnapshotJson {
    private SnapshotJson() {}

    /**
     * A snapshot from one JSON object.
     *
     * @throws IllegalArgumentException saying what is wrong: not JSON, not an object, a key that is empty, not
     *                                  Unicode or over 1024 bytes, a value of another type.
     */
    public static Map<String, byte[]> parse(String json) {
        Map<String, Object> object;
        try {
            object = Json.parseObject(json);
        } catch (Json.ParseException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        Map<String, byte[]> data = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : object.entrySet()) {
            checkKey(e.getKey());
            data.put(e.getKey(), value(e.getKey(), e.getValue()));
        }
        return data;
    }

    /** A bad key is refused here, where it is bad input, rather than by the publisher, deep in a publish. */
    private static void checkKey(String key) {
        try {
            SnapshotCodec.keyBytes(key);
        } catch (StateException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static byte[] value(String key, Object v) {
        if (v instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        if (v instanceof Number || v instanceof Boolean) {
            return Json.write(v).getBytes(StandardCharsets.UTF_8);
        }
        if (v instanceof Map<?, ?> m && m.size() == 1 && m.get("base64") instanceof String b64) {
            try {
                return Base64.getDecoder().decode(b64);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("value of \"" + key + "\": invalid base64: " + e.getMessage(), e);
            }
        }
        throw new IllegalArgumentException("value of \"" + key + "\" must be a string, a number, a boolean or"
                + " {\"base64\": \"...\"}, not " + Json.typeName(v));
    }

    /** A value as JSON: a string if it is valid UTF-8, else {@code {"base64": "…"}}. */
    public static Object value(byte[] bytes) {
        return Utf8.isValid(bytes, 0, bytes.length) ? new String(bytes, StandardCharsets.UTF_8)
                : Map.of("base64", Base64.getEncoder().encodeToString(bytes));
    }

    /** One slot: name, version, age, owner and data, as {@code tend get --json} prints it. */
    public static Map<String, Object> slot(SlotReader slot) {
        Snapshot snapshot = slot.snapshot();
        Owner owner = slot.owner();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", slot.name());
        out.put("version", snapshot.version());
        // The age of the snapshot printed, not of a newer one published meanwhile.
        out.put("age_ms", snapshot.version() == 0 ? null : snapshot.ageMillis());
        Map<String, Object> ownerJson = new LinkedHashMap<>();
        ownerJson.put("state", owner.state().label());
        ownerJson.put("pid", owner.pid());
        ownerJson.put("running", owner.running());
        out.put("owner", ownerJson);
        Map<String, Object> data = new LinkedHashMap<>();
        snapshot.toMap().forEach((key, bytes) -> data.put(key, value(bytes)));
        out.put("data", data);
        return out;
    }
}
