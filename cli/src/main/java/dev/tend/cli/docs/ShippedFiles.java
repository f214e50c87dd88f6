package dev.tend.cli.docs;

import dev.tend.cli.TendCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;

/**
 * The files generated from the command-line model and shipped in the repository: shell completions and
 * the man page. The build writes them under {@code cli/target/shipped}; a test fails when the copies in
 * the repository differ. {@code main(ROOT)} rewrites the repository's copies:
 * <pre>mvn -q -pl cli -am compile exec:java -Dexec.mainClass=dev.tend.cli.docs.ShippedFiles -Dexec.args=..</pre>
 */
public final class ShippedFiles {
    private ShippedFiles() {}

    /** Path (relative to the repository root) → content. */
    public static Map<String, String> render() {
        CommandLine cli = TendCommand.commandLine();
        Map<String, String> files = new LinkedHashMap<>();
        files.put("completions/tend.bash", AutoComplete.bash("tend", cli));
        files.put("completions/_tend", ZshCompletion.render(cli));
        files.put("completions/tend.fish", FishCompletion.render(cli));
        files.put("docs/man/tend.1", ManPage.render(cli));
        return files;
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
