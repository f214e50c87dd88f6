package dev.tend.cli.shell;

import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;

/** The commands a console offers, and how to run one in this JVM: the program's side of the console. */
public interface CommandSet {
    /** The commands typed without {@code tend}, in the order {@code help} lists them. */
    List<String> names();

    /** Why {@code name} is not available in the console (a command of tend that is not a client's); empty if it is. */
    Optional<String> refusal(String name);

    /** Runs {@code tend WORDS} against the console's instance and returns its exit code; never exits the JVM. */
    int run(List<String> words);

    /** picocli's model of an offered command, for completion and help (built by reflection: call it lazily). */
    CommandSpec spec(String name);
}
