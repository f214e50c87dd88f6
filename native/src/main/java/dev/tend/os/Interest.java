package dev.tend.os;

/**
 * What a {@link Reactor} registration waits for: input, room for output, both, or nothing (paused).
 *
 * <p>Hang-ups and errors need no interest: epoll reports them on every registration, and a handler sees
 * them in its {@link Readiness}.
 */
public enum Interest {
    /** Nothing: the registration stays but reports only hang-ups and errors. */
    NONE(0),
    /** Input is available (or end of file). */
    READ(LibC.EPOLLIN),
    /** Output can be written without blocking. */
    WRITE(LibC.EPOLLOUT),
    /** Either of the two. */
    READ_WRITE(LibC.EPOLLIN | LibC.EPOLLOUT);

    private final int epollEvents;

    Interest(int epollEvents) {
        this.epollEvents = epollEvents;
    }

    /** The interest in input, output, both or neither. */
    public static Interest of(boolean read, boolean write) {
        return read ? (write ? READ_WRITE : READ) : (write ? WRITE : NONE);
    }

    /** Whether it includes input. */
    public boolean read() {
        return this == READ || this == READ_WRITE;
    }

    /** Whether it includes room for output. */
    public boolean write() {
        return this == WRITE || this == READ_WRITE;
    }

    /** The epoll event mask this stands for. */
    int epollEvents() {
        return epollEvents;
    }
}
