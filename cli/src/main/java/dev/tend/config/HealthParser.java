package dev.tend.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a {@code health} table of a pool or lazy declaration into a {@link HealthCheck}: exactly one probe
 * kind, and its timing with the defaults below. Every malformed value is reported at its key. No I/O: a host
 * must be an IP address or {@code localhost}, never resolved, so that a slow DNS can never hold up the event
 * loop that runs the probes.
 */
final class HealthParser {
    static final Duration INTERVAL = Duration.ofSeconds(10);
    static final Duration TIMEOUT = Duration.ofSeconds(2);
    static final int FAILURES = 3;
    static final Duration START_PERIOD = Duration.ZERO;
    static final int FAILURES_LIMIT = 1000;

    private static final List<String> KINDS = List.of("exec", "tcp", "http");
    private static final Set<String> KEYS = Set.of("exec", "tcp", "http", "interval", "timeout", "failures",
            "start_period");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    private HealthParser() {}

    /** The {@code health} table of {@code owner}: empty when absent or when a value in it was refused. */
    static Optional<HealthCheck> parse(Section owner) {
        // At the top level, health is an unknown key, reported as such: a probe belongs to one pool.
        if (!owner.has("health") || owner.path().isEmpty()) {
            return Optional.empty();
        }
        Section s = owner.table("health");
        if (s == null) {
            return Optional.empty();
        }
        s.rejectUnknown(KEYS);
        List<String> kinds = KINDS.stream().filter(s::has).toList();
        if (kinds.size() != 1) {
            s.error(kinds.isEmpty() ? "" : kinds.get(1), (kinds.isEmpty() ? "no probe: write one of" : "two probes ("
                    + String.join(" and ", kinds) + "): write only one of")
                    + " exec = [\"program\", \"arg\"], tcp = \"127.0.0.1:5432\" or http = \"http://127.0.0.1:8080/health\"");
            return Optional.empty();
        }
        Optional<HealthCheck.Probe> probe = switch (kinds.get(0)) {
            case "exec" -> ConfigParser.command(s, "exec").map(HealthCheck.Exec::new);
            case "tcp" -> tcp(s);
            default -> http(s);
        };
        Duration interval = positive(s, "interval", INTERVAL);
        Duration timeout = positive(s, "timeout", TIMEOUT);
        Long failures = s.has("failures") ? s.integer("failures", 1, FAILURES_LIMIT) : Long.valueOf(FAILURES);
        Duration startPeriod = s.has("start_period") ? s.duration("start_period") : START_PERIOD;
        if (probe.isEmpty() || interval == null || timeout == null || failures == null || startPeriod == null) {
            return Optional.empty();
        }
        return Optional.of(new HealthCheck(probe.get(), interval, timeout, failures.intValue(), startPeriod));
    }

    private static Duration positive(Section s, String key, Duration otherwise) {
        if (!s.has(key)) {
            return otherwise;
        }
        Duration d = s.duration(key);
        if (d != null && d.isZero()) {
            s.error(key, "must be longer than 0");
            return null;
        }
        return d;
    }

    private static Optional<HealthCheck.Probe> tcp(Section s) {
        String text = s.string("tcp");
        if (text == null) {
            return Optional.empty();
        }
        int colon = text.lastIndexOf(':');
        String host = colon < 0 ? "" : text.substring(0, colon);
        Integer port = colon < 0 ? null : port(text.substring(colon + 1));
        Optional<InetAddress> address = colon < 0 ? Optional.empty() : address(unbracket(host));
        if (port == null || address.isEmpty()) {
            s.error("tcp", "\"" + text + "\" is not HOST:PORT with an IP address (or localhost) and a port from 1 to"
                    + " 65535; write e.g. \"127.0.0.1:5432\" or \"[::1]:5432\" (probes do not look names up in DNS)");
            return Optional.empty();
        }
        return Optional.of(new HealthCheck.Tcp(address.get(), port));
    }

    private static Optional<HealthCheck.Probe> http(Section s) {
        String text = s.string("http");
        if (text == null) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            s.error("http", "\"" + text + "\" is not a URL (" + e.getReason() + "); write e.g. \"http://127.0.0.1:8080/health\"");
            return Optional.empty();
        }
        if ("https".equalsIgnoreCase(uri.getScheme())) {
            s.error("http", "https is not supported: the probe speaks plain HTTP only (no TLS); probe a plain HTTP port,"
                    + " or use tcp = \"HOST:PORT\" to check that the TLS port accepts connections");
            return Optional.empty();
        }
        Optional<InetAddress> address = uri.getHost() == null ? Optional.empty() : address(unbracket(uri.getHost()));
        if (!"http".equalsIgnoreCase(uri.getScheme()) || address.isEmpty() || uri.getUserInfo() != null
                || uri.getPort() == 0 || uri.getPort() > 65535 || uri.getRawFragment() != null) {
            s.error("http", "\"" + text + "\" is not a URL of the form http://HOST[:PORT]/PATH with an IP address (or"
                    + " localhost) as HOST; write e.g. \"http://127.0.0.1:8080/health\" (probes do not look names up in"
                    + " DNS)");
            return Optional.empty();
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        String host = uri.getHost() + (uri.getPort() < 0 ? "" : ":" + port);
        return Optional.of(new HealthCheck.Http(text, address.get(), port, host, target));
    }

    private static Integer port(String text) {
        if (!text.matches("\\d{1,5}")) {
            return null;
        }
        int port = Integer.parseInt(text);
        return port >= 1 && port <= 65535 ? port : null;
    }

    private static String unbracket(String host) {
        return host.length() > 1 && host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** An IP address written as a literal, or localhost (127.0.0.1); never a DNS lookup. */
    static Optional<InetAddress> address(String host) {
        try {
            if (host.equals("localhost")) {
                return Optional.of(InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1}));
            }
            var v4 = IPV4.matcher(host);
            if (v4.matches()) {
                byte[] bytes = new byte[4];
                for (int i = 0; i < 4; i++) {
                    int part = Integer.parseInt(v4.group(i + 1));
                    if (part > 255) {
                        return Optional.empty();
                    }
                    bytes[i] = (byte) part;
                }
                return Optional.of(Inet4Address.getByAddress(bytes));
            }
            if (host.indexOf(':') >= 0 && host.matches("[0-9A-Fa-f:.]+")) {
                // A literal with a colon is parsed, never looked up.
                return Optional.of(InetAddress.getByName(host));
            }
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
