package dev.tend.client;

import java.io.IOException;

/**
 * The supervisor closed a control connection before sending the final message of its reply: it stopped,
 * crashed, or dropped a client that did not read its replies fast enough.
 */
public final class ConnectionLostException extends IOException {
    private static final long serialVersionUID = 1L;

    public ConnectionLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
