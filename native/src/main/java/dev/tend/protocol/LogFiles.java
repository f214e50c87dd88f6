package dev.tend.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The event a {@code logs} request with {@code files} gets after the recent lines: which log file each
 * stream of the targets' workers is written to. Streams that go to tend's stdout are not listed.
 *
 * @param routes one entry per worker and stream that has a log file.
 */
public record LogFiles(List<Route> routes) {
    /** The {@code event} member of this event. */
    public static final String NAME = "log_files";

    /**
     * One stream's file.
     *
     * @param source  the worker's name.
     * @param channel {@code stdout} or {@code stderr}.
     * @param path    the file (absolute); rotated files are {@code path.1}, {@code path.2}, … (newest first).
     */
    public record Route(String source, String channel, String path) {}

    public LogFiles {
        routes = List.copyOf(routes);
    }

    /** The event message. */
    public Map<String, Object> toJson() {
        List<Object> list = new ArrayList<>();
        for (Route r : routes) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(Protocol.SOURCE, r.source());
            m.put(Protocol.CHANNEL, r.channel());
            m.put(Protocol.PATH, r.path());
            list.add(m);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(Protocol.EVENT, NAME);
        m.put(Protocol.FILES, list);
        return m;
    }

    /** The event read from a reply. */
    public static LogFiles fromJson(Map<String, ?> json) {
        List<Route> routes = new ArrayList<>();
        for (Map<String, ?> m : Members.objects(json, Protocol.FILES)) {
            routes.add(new Route(Members.text(m, Protocol.SOURCE), Members.text(m, Protocol.CHANNEL),
                    Members.text(m, Protocol.PATH)));
        }
        return new LogFiles(routes);
    }
}
