package dev.tend.config;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;

/**
 * A {@code [pool.NAME.health]} (or {@code [lazy.NAME.health]}) table: how tend checks that a running worker
 * is healthy, how often, and when it gives up on it.
 *
 * @param probe       what is checked.
 * @param interval    the time between the end of one probe and the start of the next.
 * @param timeout     how long one probe may take before it counts as failed (an exec probe is then killed).
 * @param failures    how many consecutive failures make the worker unhealthy: it is then restarted.
 * @param startPeriod how long after a start failures do not count.
 */
public record HealthCheck(Probe probe, Duration interval, Duration timeout, int failures, Duration startPeriod) {
    /** What one probe does. */
    public sealed interface Probe {
        /** The probe as written, for messages: {@code http http://127.0.0.1:8080/health}. */
        String describe();
    }

    /** {@code exec = [...]}: a command run with the worker's cwd and environment; exit status 0 is healthy. */
    public record Exec(Command command) implements Probe {
        @Override
        public String describe() {
            return "exec " + command.display();
        }
    }

    /**
     * {@code tcp = "HOST:PORT"}: a TCP connection to the address can be made.
     *
     * @param address an IP address (written as a literal, or {@code localhost}: probes never ask DNS).
     */
    public record Tcp(InetAddress address, int port) implements Probe {
        @Override
        public String describe() {
            return "tcp " + hostAndPort(address, port);
        }
    }

    /**
     * {@code http = "http://HOST[:PORT]/PATH"}: a GET of the URL answers with a status from 200 to 399.
     *
     * @param url     the URL as written.
     * @param address its host's IP address.
     * @param host    its host as written, for the {@code Host} header.
     * @param target  the path and query to request ({@code /} when the URL has none).
     */
    public record Http(String url, InetAddress address, int port, String host, String target) implements Probe {
        @Override
        public String describe() {
            return "http " + url;
        }
    }

    /** {@code 127.0.0.1:5432}, or {@code [::1]:5432}. */
    public static String hostAndPort(InetAddress address, int port) {
        String host = address.getHostAddress();
        return (address instanceof Inet6Address ? "[" + host + "]" : host) + ":" + port;
    }
}
