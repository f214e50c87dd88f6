package dev.tend.cli.docs;

import dev.tend.cli.HelpPages;
import dev.tend.cli.Version;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The texts the launcher prints without a JVM ({@code tend --version}, the usage help), written by the build
 * beside the jar ({@code cli/target/text}; install.sh copies it to {@code PREFIX/lib/tend/text}):
 *
 * <pre>
 * help/NAME.txt, help/NAME.ansi.txt   the jar's pre-rendered pages ({@link HelpPages}), byte for byte
 * help/non-ascii                      the pages (NAME or NAME.ansi, one a line) holding characters beyond
 *                                     ASCII, which a JVM whose output encoding is not UTF-8 prints otherwise
 * version                             the first line of tend --version (the second names the JVM)
 * </pre>
 *
 * The build runs this after packaging the jar: the launcher takes a file only if it is not older than the jar,
 * so a jar built or installed after the texts (a stale directory) sends it to the JVM client.
 */
public final class LauncherTexts {
    /** The directory's name beside the jar. */
    public static final String DIRECTORY = "text";

    private LauncherTexts() {}

    /** Writes the texts into {@code args[0]}, replacing what was there, the version file last. */
    public static void main(String[] args) throws IOException {
        write(Path.of(args[0]));
    }

    /** Writes the texts into {@code dir} from the pages on the class path. */
    public static void write(Path dir) throws IOException {
        deleteTree(dir);
        Path help = Files.createDirectories(dir.resolve("help"));
        List<String> nonAscii = new ArrayList<>();
        for (String name : HelpPageRenderer.names()) {
            for (boolean ansi : new boolean[] {false, true}) {
                String resource = HelpPages.resource(name, ansi);
                byte[] page;
                try (InputStream in = HelpPages.class.getResourceAsStream(resource)) {
                    if (in == null) {
                        throw new IllegalStateException(resource + " is not on the class path: build with mvn process-classes");
                    }
                    page = in.readAllBytes();
                }
                Path file = help.resolve(Path.of(resource).getFileName());
                Files.write(file, page);
                if (!ascii(page)) {
                    String fileName = file.getFileName().toString();
                    nonAscii.add(fileName.substring(0, fileName.length() - ".txt".length()));
                }
            }
        }
        Files.write(help.resolve("non-ascii"), nonAscii, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("version"), Version.tendLine() + "\n", StandardCharsets.UTF_8);
    }

    private static boolean ascii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
