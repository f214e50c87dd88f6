package dev.tend.state;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The secret a worker presents to publish into its own slot: 64 random bits, drawn by the supervisor for
 * each start of the worker and given to that process only, in its environment ({@code TEND_STATE_TOKEN}).
 * The state file holds a one-way hash of it ({@code ownerTokenHash}), which any reader can see and no one
 * can turn back into the token; the incarnation number ({@code ownerEpoch}) is public and is not a token.
 * See docs/state-file.md for what this guards against, and what it cannot.
 */
public final class OwnerToken {
    /** {@code ownerTokenHash} of a slot no worker may publish into (no process was started for it yet). */
    public static final long NONE = 0;

    private OwnerToken() {}

    /** Drawn lazily: readers and publishers never seed a SecureRandom. */
    private static final class Source {
        static final SecureRandom RANDOM = new SecureRandom();
    }

    /** A new token whose hash is not {@link #NONE}. Supervisor only. */
    static long draw() {
        while (true) {
            long token = Source.RANDOM.nextLong();
            if (hash(token) != NONE) {
                return token;
            }
        }
    }

    /** The first 64 bits (little-endian) of the SHA-256 of the token's 8 little-endian bytes. */
    public static long hash(long token) {
        try {
            byte[] bytes = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(token).array();
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return ByteBuffer.wrap(digest).order(ByteOrder.LITTLE_ENDIAN).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The token as the environment carries it: 16 lowercase hexadecimal digits. */
    public static String format(long token) {
        return HexFormat.of().toHexDigits(token);
    }

    /**
     * Reads {@link #format}'s text.
     *
     * @throws IllegalArgumentException unless it is exactly 16 hexadecimal digits.
     */
    public static long parse(String text) {
        if (text.length() != 16) {
            throw new IllegalArgumentException("not 16 hexadecimal digits");
        }
        try {
            return HexFormat.fromHexDigitsToLong(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not 16 hexadecimal digits", e);
        }
    }
}
