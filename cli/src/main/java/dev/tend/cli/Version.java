package dev.tend.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** tend's version, written into the jar by the build. */
public final class Version implements CommandLine.IVersionProvider {
    /** The version string, such as {@code 0.1.0}. */
    public static String current() {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return p.getProperty("version", "unknown");
    }

    /** The first line of {@code tend --version}, such as {@code tend 0.1.0}; the second names the JVM. */
    public static String tendLine() {
        return "tend " + current();
    }

    @Override
    public String[] getVersion() {
        return new String[] {tendLine(), "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"};
    }
}
