package dev.tend.cli;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * Stands in for tend's main class in {@link InstallScriptTest}: the test packs it into a stub
 * {@code tend.jar}, starts it through the launcher and reads back, one {@code key=value} per line,
 * what the launcher handed to the JVM.
 */
public final class LauncherStub {
    private LauncherStub() {}

    public static void main(String[] args) {
        if (args.length == 1 && args[0].equals("--version")) {
            System.out.println("tend-stub 1.0");
            return;
        }
        StringBuilder out = new StringBuilder();
        line(out, "pid", ProcessHandle.current().pid());
        for (String property : new String[] {"java.home", "java.version", "user.dir", "tend.launcher",
                "tend.rlimit.nofile", "jna.platform.library.path", "test.opt", "test.glob"}) {
            line(out, property, System.getProperty(property));
        }
        line(out, "env.FAKE_JDK", System.getenv("FAKE_JDK"));
        line(out, "args", args.length);
        for (int i = 0; i < args.length; i++) {
            line(out, "arg." + i, args[i]);
        }
        if (args.length > 0 && args[0].equals("jna")) {
            // Loads JNA's native part (a restricted method on JDK 24+) and looks up libc the way
            // tend-native does, through jna.platform.library.path.
            line(out, "jna.pointer.size", Native.POINTER_SIZE);
            line(out, "jna.getpid", NativeLibrary.getInstance("c").getFunction("getpid").invokeInt(new Object[0]));
        }
        System.out.print(out);
        System.out.flush();
    }

    private static void line(StringBuilder out, String key, Object value) {
        out.append(key).append('=').append(value).append('\n');
    }
}
