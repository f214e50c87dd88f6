package dev.tend.state;

import dev.tend.os.ExitStatus;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * How helper JVMs are started quickly: tests start a few hundred of them, and on 2 cores JVM start-up is
 * most of their cost. Three things help, measured on the 2-core CI machine (time to first publish):
 * C1 only and serial GC (about 200 ms to 150 ms); JNA's stub unpacked once ({@link JnaBoot}); and an
 * application class-data-sharing archive of every class a helper loads (150 ms to 105 ms). The archive
 * needs jars, so the class directories of this test run are packed into jars once.
 */
final class HelperJvm {
    private static List<String> options;

    private HelperJvm() {}

    /** JVM options for a helper, class path included. */
    static synchronized List<String> options() {
        if (options == null) {
            List<String> base = new ArrayList<>(List.of(
                    "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xmx256m", "-Xss512k",
                    // JVM warnings would otherwise interleave with the helpers' line protocol on stdout.
                    "-Xlog:disable", "-Xlog:all=warning:stderr",
                    "-Djna.platform.library.path=" + System.getProperty("jna.platform.library.path", ""),
                    "-Djna.boot.library.path=" + JnaBoot.directory(),
                    "-cp", jarredClassPath()));
            options = Boolean.getBoolean("tend.test.nocds") ? base : withArchive(base);
        }
        return options;
    }

    /** Dumps an archive from one short helper run; without it (any failure) helpers just start slower. */
    private static List<String> withArchive(List<String> base) {
        try {
            Path dir = Files.createTempDirectory("tend-cds");
            Path archive = dir.resolve("helpers.jsa");
            List<String> dump = new ArrayList<>(base);
            dump.add("-XX:ArchiveClassesAtExit=" + archive);
            try (JvmChild warmup = JvmChild.start(dump, StateTestMain.class.getName(), "warmup",
                    dir.resolve("state").toString())) {
                ExitStatus status = warmup.awaitExit(Duration.ofSeconds(60));
                if (!status.success() || !Files.exists(archive)) {
                    return base;
                }
            }
            archive.toFile().deleteOnExit();
            List<String> with = new ArrayList<>(base);
            with.add("-XX:SharedArchiveFile=" + archive);
            return with;
        } catch (IOException e) {
            return base;
        }
    }

    private static String jarredClassPath() {
        try {
            Path jars = Files.createTempDirectory("tend-cp");
            List<String> entries = new ArrayList<>();
            int n = 0;
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path path = Path.of(entry);
                if (Files.isDirectory(path)) {
                    Path jar = jars.resolve("dir" + n++ + ".jar");
                    jar(path, jar);
                    jar.toFile().deleteOnExit();
                    entries.add(jar.toString());
                } else {
                    entries.add(entry);
                }
            }
            return String.join(File.pathSeparator, entries);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void jar(Path directory, Path jar) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(directory)) {
            files = walk.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out)) {
            for (Path file : files) {
                jarOut.putNextEntry(new JarEntry(directory.relativize(file).toString().replace(File.separatorChar,
                        '/')));
                Files.copy(file, jarOut);
                jarOut.closeEntry();
            }
        }
    }
}
