package dev.tend.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads members of a reply the way a client should: leniently, since a reply comes from a running tend that
 * may be older or newer than the client. A member that is missing or of another type reads as empty, 0 or
 * false. Requests are read strictly, by {@link Request#parse}.
 */
final class Members {
    private Members() {}

    static String text(Map<String, ?> json, String key) {
        Object v = json.get(key);
        return v instanceof String s ? s : "";
    }

    static long number(Map<String, ?> json, String key) {
        return json.get(key) instanceof Long n ? n : 0;
    }

    static boolean flag(Map<String, ?> json, String key) {
        return Boolean.TRUE.equals(json.get(key));
    }

    static List<String> texts(Map<String, ?> json, String key) {
        List<String> out = new ArrayList<>();
        if (json.get(key) instanceof List<?> list) {
            list.forEach(o -> out.add(String.valueOf(o)));
        }
        return out;
    }

    /** The objects of an array member; anything else in it is skipped. */
    static List<Map<String, ?>> objects(Map<String, ?> json, String key) {
        List<Map<String, ?>> out = new ArrayList<>();
        if (json.get(key) instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> m) {
                    @SuppressWarnings("unchecked")
                    Map<String, ?> object = (Map<String, ?>) m;
                    out.add(object);
                }
            }
        }
        return out;
    }
}
