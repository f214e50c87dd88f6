package dev.tend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every duration option goes through one converter and reports a bad value the same way. */
class DurationOptionsTest {
    private static final String WHY = "bad duration \"soon\"; write a number and a unit (ms, s, m, h), e.g."
            + " \"250ms\", \"5s\", \"1m30s\"";

    private record Outcome(int exitCode, String stderr) {}

    private static Outcome run(String... args) {
        CommandLine cl = TendCommand.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        return new Outcome(cl.execute(args), err.toString());
    }

    @Test
    void shouldNameTheOptionAndSayWhatADurationLooksLike() {
        for (List<String> args : List.of(
                List.of("require", "--timeout", "soon", "cache-eu"),
                List.of("run", "--ready-timeout", "soon", "--", "true"),
                List.of("get", "--wait", "soon", "config"),
                List.of("systemd", "--watchdog", "soon"))) {
            Outcome r = run(args.toArray(String[]::new));
            String option = args.get(1);
            assertEquals(2, r.exitCode(), args + ": " + r);
            assertEquals("tend: error: " + option + ": " + WHY + System.lineSeparator(), r.stderr(), args.toString());
        }
    }

    @Test
    void shouldLeaveOtherUsageErrorsToPicocli() {
        Outcome r = run("require", "--nonsense", "cache-eu");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.stderr().startsWith("Unknown option: '--nonsense'"), r.stderr());
        assertTrue(r.stderr().contains("Usage: tend require"), r.stderr());
    }
}
