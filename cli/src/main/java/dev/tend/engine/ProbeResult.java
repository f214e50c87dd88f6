package dev.tend.engine;

import java.util.List;

/**
 * How one run of a health probe ended.
 *
 * @param passed whether it found the worker healthy.
 * @param how    what happened, for people: {@code HTTP 200 OK}, {@code connection refused (ECONNREFUSED)},
 *               {@code timed out after 2s}, {@code exit status 1}.
 * @param output what the probe saw last: an exec probe's last lines of output, an HTTP status line.
 */
record ProbeResult(boolean passed, String how, List<String> output) {
    ProbeResult {
        output = List.copyOf(output);
    }
}
