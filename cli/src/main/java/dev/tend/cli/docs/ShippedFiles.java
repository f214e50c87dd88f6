package dev.tend.cli.docs;

import dev.tend.cli.TendCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;

/**
 * The files generated from the command-line model and shipped in the repository: shell completions and
 * the man page; and tend.toml(5), from the keys tables of docs/configuration.md. The build writes them under
 * {@code cli/target/shipped}; a test fails when the copies in the repository differ. {@code main(ROOT)} rewrites the repository's copies:
 * <pre>mvn -q -pl cli -am compile exec:java -Dexec.mainClass=dev.tend.cli.docs.ShippedFiles -Dexec.args=..</pre>
 */
public final class ShippedFiles {
    private ShippedFiles() {}

    /** Path (relative to the repository root) → content. */
    public static Map<String, String> render() {
        CommandLine cli = TendCommand.commandLine();
        Map<String, String> files = new LinkedHashMap<>();
        files.put("completions/tend.bash", BashCompletion.render(cli));
        files.put("completions/_tend", ZshCompletion.render(cli));
        files.put("completions/tend.fish", FishCompletion.render(cli));
        files.put("docs/man/tend.1", ManPage.render(cli));
        files.put("docs/man/tend.toml.5", ConfigManPage.render(configurationPage()));
        return files;
    }

    /** docs/configuration.md, which the build puts beside this class (cli/pom.xml). */
    private static String configurationPage() {
        try (InputStream in = ShippedFiles.class.getResourceAsStream("configuration.md")) {
            if (in == null) {
                throw new IllegalStateException("docs/configuration.md is not on the class path; build with Maven");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes every file under {@code args[0]} (the repository root, or a build directory). */
    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        for (Map.Entry<String, String> file : render().entrySet()) {
            Path target = root.resolve(file.getKey());
            Files.createDirectories(target.getParent());
            Files.writeString(target, file.getValue(), StandardCharsets.UTF_8);
        }
    }
}
