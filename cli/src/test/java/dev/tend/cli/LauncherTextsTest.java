package dev.tend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tend.cli.docs.HelpPageRenderer;
import dev.tend.cli.docs.LauncherTexts;
import dev.tend.testing.Launcher;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tend --version} and the usage help, answered by the launcher from the build's texts
 * ({@link LauncherTexts}) without a JVM, print what the JVM client prints, byte for byte, plain and styled, on
 * each JDK at hand; the launcher declines whenever it cannot be sure. Runs an installed layout: the source tree's
 * launcher as {@code PREFIX/bin/tend}, a {@code tend.jar} whose class path is this build's classes, and the
 * texts written beside it by the build's own step.
 */
class LauncherTextsTest {
    @TempDir
    static Path tmp;

    static Path tend;
    static Path jar;
    static Path texts;

    @BeforeAll
    static void install() throws IOException {
        Path prefix = tmp.resolve("prefix");
        Files.createDirectories(prefix.resolve("bin"));
        tend = prefix.resolve("bin/tend");
        Files.copy(Launcher.SCRIPT, tend);
        jar = Files.createDirectories(prefix.resolve("lib/tend")).resolve("tend.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Main.class.getName());
        List<String> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(":")) {
            classPath.add(Path.of(entry).toAbsolutePath().toUri().toString());
        }
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", classPath));
        manifest.getMainAttributes().putValue("Enable-Native-Access", "ALL-UNNAMED");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, manifest)) {
            // the manifest is the whole jar
        }
        texts = jar.resolveSibling(LauncherTexts.DIRECTORY);
        LauncherTexts.write(texts);
        // The texts are written after the jar, as the build writes them; a file system's coarse clock must not
        // make them look older.
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
    }

    /** The JDKs to check: this test's, and every other JDK 17+ in /usr/lib/jvm. */
    static List<Path> javas() throws IOException {
        Set<Path> javas = new LinkedHashSet<>();
        javas.add(Path.of(System.getProperty("java.home"), "bin", "java").toRealPath());
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> homes = Files.list(jvms)) {
                for (Path home : homes.sorted().toList()) {
                    if (Files.isExecutable(home.resolve("bin/java")) && major(home) >= 17) {
                        javas.add(home.resolve("bin/java").toRealPath());
                    }
                }
            }
        }
        return new ArrayList<>(javas);
    }

    private static int major(Path home) throws IOException {
        Path release = home.resolve("release");
        if (!Files.isReadable(release)) {
            return 0;
        }
        for (String line : Files.readAllLines(release)) {
            if (line.startsWith("JAVA_VERSION=\"")) {
                String v = line.substring("JAVA_VERSION=\"".length());
                return Integer.parseInt(v.replaceAll("[^0-9].*", ""));
            }
        }
        return 0;
    }

    /** The feature version of the JDK of {@code java} (its bin/java). */
    private static int feature(Path java) throws IOException {
        return major(java.getParent().getParent());
    }

    @Test
    void shouldPrintEveryPageAsTheJvmClient() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java").toRealPath();
        for (String name : HelpPageRenderer.names()) {
            // tend help --help is not a page's command line for the JVM client either (picocli prints it).
            List<List<String>> forms = name.equals(HelpPages.ROOT)
                    ? List.of(List.of("--help"), List.of("-h"), List.of("help"))
                    : name.equals("help") ? List.of(List.of("help", name))
                    : List.of(List.of("help", name), List.of(name, "--help"), List.of(name, "-h"));
            for (Map<String, String> style : List.of(Map.<String, String>of(), Map.of("CLICOLOR_FORCE", "1"))) {
                Run client = run(java, style, true, forms.get(0));
                assertEquals(0, client.exit, client.toString());
                boolean ascii = StandardCharsets.US_ASCII.newEncoder().canEncode(client.out);
                for (List<String> form : forms) {
                    Run fast = run(java, style, false, form);
                    assertEquals(client.out, fast.out, form + " " + style);
                    assertEquals(0, fast.exit, fast.toString());
                    if (ascii || feature(java) >= 19) {
                        assertEquals("", fast.err, form + " " + style + ": the launcher started a JVM: " + fast);
                    }
                }
            }
        }
    }

    @Test
    void shouldChooseStylesAsTheJvmClient() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java").toRealPath();
        List<Map<String, String>> environments = List.of(Map.of(), Map.of("NO_COLOR", ""), Map.of("NO_COLOR", "1"),
                Map.of("CLICOLOR_FORCE", "1"), Map.of("CLICOLOR_FORCE", "0"), Map.of("CLICOLOR_FORCE", "1", "NO_COLOR", ""),
                Map.of("CLICOLOR", "0"), Map.of("CLICOLOR", "1"), Map.of("ConEmuANSI", "OFF"), Map.of("TERM", "dumb"));
        for (String terminal : List.of("", "pty", "pty, stdin from /dev/null")) {
            for (Map<String, String> environment : environments) {
                Run client = run(java, environment, true, terminal, List.of("help", "ls"));
                Run fast = run(java, environment, false, terminal, List.of("help", "ls"));
                String what = terminal + " " + environment;
                assertEquals(client.out, fast.out, what);
                assertEquals("", fast.err, what + ": the launcher started a JVM: " + fast);
                assertTrue(client.out.contains("Usage:"), what + ": " + client);
            }
        }
        // The two kinds of page are both used.
        assertTrue(run(java, Map.of(), false, "pty", List.of("help", "ls")).out.contains("\u001b["));
        assertFalse(run(java, Map.of(), false, "", List.of("help", "ls")).out.contains("\u001b["));
    }

    @Test
    void shouldPrintTheVersionAsTheJvmClientOnEachJdk() throws Exception {
        for (Path java : javas()) {
            for (String option : List.of("--version", "-V")) {
                Run client = run(java, Map.of(), true, List.of(option));
                Run fast = run(java, Map.of(), false, List.of(option));
                assertEquals(0, client.exit, client.toString());
                assertTrue(client.out.startsWith("tend " + Version.current() + "\nJava "), client.toString());
                assertEquals(client.out, fast.out, java.toString());
                assertEquals(0, fast.exit, fast.toString());
                assertEquals("", fast.err, java + ": the launcher started a JVM: " + fast);
            }
            // A page with characters beyond ASCII: printed without a JVM only where the JVM prints UTF-8.
            Run client = run(java, Map.of("LC_ALL", "C"), true, List.of("help", "run"));
            Run fast = run(java, Map.of("LC_ALL", "C"), false, List.of("help", "run"));
            assertEquals(client.out, fast.out, java.toString());
            assertEquals(feature(java) < 19, fast.err.startsWith("tend: Java "), java + ": " + fast);
        }
    }

    @Test
    void shouldDeclineWhenItCannotBeSure() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java").toRealPath();
        assertDeclined(java, Map.of("JAVA_TOOL_OPTIONS", "-Dpicocli.ansi=true"), List.of("--help"));
        assertDeclined(java, Map.of("JDK_JAVA_OPTIONS", "-Dpicocli.usage.width=100"), List.of("help", "ps"));
        assertDeclined(java, Map.of("TEND_FAST", "0"), List.of("--version"));
        assertDeclined(java, Map.of(), List.of("help", "nosuchcommand"));
        assertDeclined(java, Map.of(), List.of("help", "--help"));

        // A JDK whose VM the launcher cannot name: a vendor it does not know.
        Path other = tmp.resolve("other-jdk");
        Files.createDirectories(other.resolve("bin"));
        Files.createDirectories(other.resolve("lib"));
        Path home = java.getParent().getParent();
        Files.writeString(other.resolve("release"), Files.readString(home.resolve("release"))
                .replaceAll("(?m)^IMPLEMENTOR=.*$", "IMPLEMENTOR=\"Someone Else\""));
        Files.copy(home.resolve("lib/jvm.cfg"), other.resolve("lib/jvm.cfg"));
        Files.writeString(other.resolve("bin/java"), "#!/bin/sh\nexec '" + java + "' \"$@\"\n");
        other.resolve("bin/java").toFile().setExecutable(true);
        assertDeclined(other.resolve("bin/java"), Map.of(), List.of("--version"));

        // A missing page, and texts older than the jar (a jar built or installed after them).
        Path page = texts.resolve("help/ps.txt");
        byte[] kept = Files.readAllBytes(page);
        Files.delete(page);
        try {
            assertDeclined(java, Map.of(), List.of("ps", "--help"));
        } finally {
            Files.write(page, kept);
        }
        FileTime built = Files.getLastModifiedTime(jar);
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        try {
            assertDeclined(java, Map.of(), List.of("--version"));
            assertDeclined(java, Map.of(), List.of("--help"));
        } finally {
            Files.setLastModifiedTime(jar, built);
        }
        assertEquals("", run(java, Map.of(), false, List.of("--help")).err, "answered again");
    }

    /** The launcher went to the JVM client, whose answer it printed. */
    private static void assertDeclined(Path java, Map<String, String> environment, List<String> args) throws Exception {
        Run r = run(java, environment, false, args);
        assertTrue(r.err.startsWith("tend: Java "), args + " " + environment + ": answered by the launcher: " + r);
    }

    /** What a command printed; stderr starts with the launcher's debug line when it started the JVM client. */
    record Run(int exit, String out, String err) {}

    private static Run run(Path java, Map<String, String> environment, boolean client, List<String> args)
            throws Exception {
        return run(java, environment, client, "", args);
    }

    /**
     * Runs {@code tend ARGS}: through the JVM client ({@code client}: TEND_FAST=0), else as the launcher chooses,
     * with TEND_LAUNCHER_DEBUG=1 (a JVM started shows on stderr); {@code terminal} "pty" runs it under script(1).
     */
    private static Run run(Path java, Map<String, String> environment, boolean client, String terminal,
            List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(tend.toString()));
        command.addAll(args);
        if (!terminal.isEmpty()) {
            StringBuilder line = new StringBuilder();
            for (String word : command) {
                line.append('\'').append(word.replace("'", "'\\''")).append("' ");
            }
            if (terminal.contains("stdin")) {
                line.append("</dev/null");
            }
            command = List.of("script", "-qec", line.toString(), "/dev/null");
        }
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(name -> name.startsWith("TEND_") || name.startsWith("CLICOLOR") || name.equals("NO_COLOR")
                || name.equals("ConEmuANSI") || name.equals("ANSICON") || name.endsWith("JAVA_OPTIONS")
                || name.equals("JAVA_TOOL_OPTIONS") || name.equals("JAVA_HOME"));
        env.put("TEND_JAVA", java.toString());
        env.put("TEND_CDS", "0");
        env.put("TEND_RUNTIME_DIR", tmp.resolve("run").toString());
        if (client) {
            env.put("TEND_FAST", "0");
        } else {
            env.put("TEND_LAUNCHER_DEBUG", "1");
        }
        env.putAll(environment);
        Process p = pb.redirectInput(ProcessBuilder.Redirect.PIPE).start();
        p.getOutputStream().close();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread errors = new Thread(() -> {
            try {
                p.getErrorStream().transferTo(err);
            } catch (IOException e) {
                // ended
            }
        });
        errors.start();
        // Byte for byte: one char per byte.
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "tend " + args + " did not end");
        errors.join();
        return new Run(p.exitValue(), out, err.toString(StandardCharsets.UTF_8));
    }
}
