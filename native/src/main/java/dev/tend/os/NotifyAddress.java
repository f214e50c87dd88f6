package dev.tend.os;

import com.sun.jna.Memory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An sd_notify socket address in the notation of {@code NOTIFY_SOCKET}: {@code /a/path} for a socket
 * file, {@code @name} for the Linux abstract namespace, and its {@code struct sockaddr_un} encoding.
 * Shared by the receiving ({@link NotifySocket}) and sending ({@link SdNotify}) sides so both agree on
 * the byte layout.
 */
final class NotifyAddress {
    /** {@code sun_path} holds 108 bytes; a file path needs a terminating NUL, so 107 are usable. */
    static final int MAX_PATH_BYTES = 107;
    /** An abstract name follows the leading NUL and needs no terminator: 107 bytes as well. */
    static final int MAX_ABSTRACT_NAME_BYTES = 107;
    private static final int SUN_PATH_OFFSET = 2;

    private final String text;
    private final boolean isAbstract;
    /** What goes into {@code sun_path}: the path bytes, or a NUL followed by the abstract name. */
    private final byte[] sunPath;

    private NotifyAddress(String text, boolean isAbstract, byte[] sunPath) {
        this.text = text;
        this.isAbstract = isAbstract;
        this.sunPath = sunPath;
    }

    /**
     * Parses a {@code NOTIFY_SOCKET} value.
     *
     * @return empty for a form this layer does not speak (unset, empty, {@code vsock:…}, a relative path).
     */
    static Optional<NotifyAddress> parse(String value) {
        if (value == null || value.length() < 2) {
            return Optional.empty();
        }
        if (value.charAt(0) == '/') {
            return Optional.of(path(Path.of(value)));
        }
        if (value.charAt(0) == '@') {
            return Optional.of(abstractName(value.substring(1)));
        }
        return Optional.empty();
    }

    /** A socket file; a relative path is resolved against the working directory. */
    static NotifyAddress path(Path path) {
        String absolute = path.toAbsolutePath().toString();
        if (absolute.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("socket path contains a NUL character: " + absolute.replace('\0', '?'));
        }
        return new NotifyAddress(absolute, false, absolute.getBytes(StandardCharsets.UTF_8));
    }

    /** A name in the abstract namespace, given without the leading {@code @}. */
    static NotifyAddress abstractName(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("abstract socket name is empty");
        }
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        byte[] sunPath = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, sunPath, 1, bytes.length);
        return new NotifyAddress("@" + name, true, sunPath);
    }

    /** The {@code NOTIFY_SOCKET} notation: {@code /path} or {@code @name}. */
    String text() {
        return text;
    }

    boolean isAbstract() {
        return isAbstract;
    }

    /** The socket file, or null for an abstract name. */
    Path file() {
        return isAbstract ? null : Path.of(text);
    }

    /** How many bytes of the name itself (without {@code @}) the address uses. */
    int nameBytes() {
        return isAbstract ? sunPath.length - 1 : sunPath.length;
    }

    /** Whether the name fits into {@code sun_path}. */
    boolean fits() {
        return nameBytes() <= (isAbstract ? MAX_ABSTRACT_NAME_BYTES : MAX_PATH_BYTES);
    }

    /** A zero-filled {@code struct sockaddr_un} holding this address; the caller closes it. */
    Memory sockaddr() {
        if (!fits()) {
            throw new IllegalStateException("address does not fit into sockaddr_un: " + text);
        }
        Memory address = new Memory(LibC.SOCKADDR_UN_SIZE);
        address.clear();
        address.setShort(0, (short) LibC.AF_UNIX);
        address.write(SUN_PATH_OFFSET, sunPath, 0, sunPath.length);
        return address;
    }

    /**
     * The address length to pass with {@link #sockaddr()}. An abstract name is exactly as long as its
     * bytes (a trailing NUL would become part of the name); a path counts its terminating NUL.
     */
    int sockaddrLength() {
        return SUN_PATH_OFFSET + sunPath.length + (isAbstract ? 0 : 1);
    }

    @Override
    public String toString() {
        return text;
    }
}
