package dev.tend.os;

/**
 * What epoll reported for a ready descriptor, as a {@link Reactor.Handler} receives it.
 *
 * <p>{@code hangUp} and {@code error} come whatever the registration's {@link Interest}: for a pipe or
 * socket, a hang-up means the other end is closed (a read returns end of file once the data still queued
 * is read); an error means the descriptor failed, and the next read or write says how.
 *
 * @param readable input (or end of file) is available ({@code EPOLLIN}).
 * @param writable output can be written without blocking ({@code EPOLLOUT}).
 * @param hangUp   the other end is closed ({@code EPOLLHUP}).
 * @param error    the descriptor has a pending error ({@code EPOLLERR}).
 */
public record Readiness(boolean readable, boolean writable, boolean hangUp, boolean error) {
    // One instance per combination, so that dispatching an event allocates nothing.
    private static final Readiness[] ALL = new Readiness[16];

    static {
        for (int i = 0; i < ALL.length; i++) {
            ALL[i] = new Readiness((i & 1) != 0, (i & 2) != 0, (i & 4) != 0, (i & 8) != 0);
        }
    }

    /** Whether the other end is gone or the descriptor failed: {@code hangUp || error}. */
    public boolean hangUpOrError() {
        return hangUp || error;
    }

    /** The readiness an epoll event mask stands for; bits other than these four are ignored. */
    static Readiness ofEpollEvents(int events) {
        return ALL[((events & LibC.EPOLLIN) != 0 ? 1 : 0)
                | ((events & LibC.EPOLLOUT) != 0 ? 2 : 0)
                | ((events & LibC.EPOLLHUP) != 0 ? 4 : 0)
                | ((events & LibC.EPOLLERR) != 0 ? 8 : 0)];
    }
}
