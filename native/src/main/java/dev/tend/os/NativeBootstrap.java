package dev.tend.os;

/**
 * Settings that must be in place before JNA's {@code NativeLibrary} class initialises.
 *
 * <p>Without {@code jna.platform.library.path}, JNA's static initialiser runs {@code /sbin/ldconfig -p}
 * through {@code Runtime.exec}: a child started by the JDK inside a supervisor, which also resets the
 * SIGCHLD disposition. The tend launcher passes the property; this fills it in for every other JVM
 * (tests, Java workers using tend-native) as long as JNA has not been touched yet.
 */
final class NativeBootstrap {
    private static final String LIBRARY_PATH =
            "/usr/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu:/usr/lib/aarch64-linux-gnu:/lib/aarch64-linux-gnu"
                    + ":/usr/lib64:/lib64:/usr/lib:/lib";

    private NativeBootstrap() {}

    static void prepare() {
        if (System.getProperty("jna.platform.library.path") == null) {
            System.setProperty("jna.platform.library.path", LIBRARY_PATH);
        }
    }
}
