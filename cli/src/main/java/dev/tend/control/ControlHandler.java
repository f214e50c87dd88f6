package dev.tend.control;

import java.util.Map;

/**
 * Serves the requests of the control socket. Called on the event loop's thread, once per connection, with
 * the one JSON object the client sent; answers through {@link Reply}, now or later (a request may wait for
 * workers to stop or become ready, or stream log lines until the client goes away).
 */
@FunctionalInterface
public interface ControlHandler {
    void handle(Map<String, Object> request, Reply reply);
}
