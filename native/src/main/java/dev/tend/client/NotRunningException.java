package dev.tend.client;

import java.io.IOException;
import java.nio.file.Path;

/**
 * No tend instance answers on a control socket: the socket file is missing, or nothing listens on it any
 * more (a stale file left by a tend that was killed). Callers usually report "not running" (exit code 3).
 */
public final class NotRunningException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path socketPath;

    /**
     * @param socketPath the socket that was tried.
     * @param message    what was found there; names the path.
     */
    public NotRunningException(Path socketPath, String message, Throwable cause) {
        super(message, cause);
        this.socketPath = socketPath;
    }

    /** The socket that was tried. */
    public Path socketPath() {
        return socketPath;
    }
}
