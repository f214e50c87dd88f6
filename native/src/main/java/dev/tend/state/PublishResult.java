package dev.tend.state;

/**
 * The outcome of a publish.
 *
 * @param status  what happened.
 * @param version the slot's published version afterwards (for {@link Status#BUSY}: unknown, -1).
 */
public record PublishResult(Status status, long version) {
    /** What a publish did. */
    public enum Status {
        /** The snapshot is now visible as {@link #version()}. */
        PUBLISHED,
        /** The snapshot equals the published one byte for byte: nothing was written, the version kept. */
        UNCHANGED,
        /** Another publisher holds the slot's lock ({@link Publisher#tryPublish} only); nothing was written. */
        BUSY
    }

    static PublishResult busy() {
        return new PublishResult(Status.BUSY, -1);
    }
}
