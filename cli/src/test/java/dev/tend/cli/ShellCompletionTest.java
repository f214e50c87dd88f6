package dev.tend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tend.testing.Await;
import dev.tend.testing.TendProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped shell completions complete the live names of a running tend: bash (driven through COMP_WORDS for the
 * exact candidates, and in a real terminal under tmux), zsh and fish (their scripts call the launcher; a real
 * completion only where those shells are installed). On PATH, {@code tend} is the launcher, and the only Java it
 * could find leaves a mark: no Tab may start a JVM.
 */
class ShellCompletionTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path LAUNCHER = ROOT.resolve("cli/src/main/launcher/tend");
    private static final Path BASH = ROOT.resolve("completions/tend.bash");

    private static final String TOML = """
            [pool.web]
            command = ["cat"]
            count = 2

            [pool.queue]
            command = ["cat"]

            [lazy.cache]
            pattern = "cache-*"
            command = ["cat"]
            """;

    @TempDir
    Path dir;

    @Test
    void bashShouldCompleteTheNamesOfTheRunningTend() throws Exception {
        Path project = Files.createDirectory(dir.resolve("store"));
        try (TendProcess tend = TendProcess.up(project, TOML)) {
            awaitNames(project);
            Map<String, String> expected = new LinkedHashMap<>();
            expected.put("tend stop ", "all cache queue queue.1 web web.1 web.2");
            expected.put("tend restart w", "web web.1 web.2");
            expected.put("tend stop web.1 ", "all cache queue queue.1 web web.1 web.2");
            expected.put("tend start --no-wait q", "queue queue.1");
            expected.put("tend scale ", "queue web");
            expected.put("tend scale web ", "");
            expected.put("tend get ", "queue.1 web.1 web.2");
            expected.put("tend logs -n 5 ", "cache queue queue.1 tend web web.1 web.2");
            expected.put("tend require ", "queue queue.1 web web.1 web.2");
            expected.put("tend stop --name ", "store");
            expected.put("tend ps --name st", "store");
            expected.put("tend stop --n", "--name --no-wait");
            Map<String, String> actual = bashCandidates(project, expected.keySet());
            assertEquals(expected, actual);

            Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
            Map<String, String> named = bashCandidates(elsewhere, List.of("tend stop ", "tend stop --name store ",
                    "tend stop -c ../store/tend.toml q", "tend get --name=store w"));
            assertEquals(Map.of("tend stop ", "all", "tend stop --name store ", expected.get("tend stop "),
                    "tend stop -c ../store/tend.toml q", "queue queue.1", "tend get --name=store w", "web.1 web.2"), named);
        }
    }

    @Test
    void bashShouldListTheWorkersInATerminal() throws Exception {
        assumeTrue(onPath("tmux"), "tmux is not installed");
        Path project = Files.createDirectory(dir.resolve("terminal"));
        try (TendProcess tend = TendProcess.up(project, TOML)) {
            awaitNames(project);
            String socket = "tend-completion-" + ProcessHandle.current().pid();
            List<String> shell = new ArrayList<>(List.of("tmux", "-L", socket, "-f", "/dev/null", "new-session", "-d",
                    "-x", "160", "-y", "40", "-c", project.toString(), "env", "-i"));
            for (Map.Entry<String, String> e : environment().entrySet()) {
                shell.add(e.getKey() + "=" + e.getValue());
            }
            // HISTFILE empty: bash writes no history when tmux hangs it up, which could race the temp directory's removal.
            shell.addAll(List.of("TERM=xterm", "PS1=$ ", "HISTFILE=", "bash", "--norc", "--noprofile"));
            try {
                assertEquals(0, run(shell));
                assertEquals(0, run(List.of("tmux", "-L", socket, "send-keys", "source '" + BASH + "'", "Enter")));
                assertEquals(0, run(List.of("tmux", "-L", socket, "send-keys", "tend stop ", "Tab", "Tab")));
                Await.until(TendProcess.WAIT, "tend stop <Tab><Tab> to list the workers and pools", () -> {
                    String screen = capture(socket);
                    return screen.contains("web.1") && screen.contains("web.2") && screen.contains("queue.1")
                            && screen.contains("cache") && screen.contains("all");
                });
            } finally {
                run(List.of("tmux", "-L", socket, "kill-server"));
            }
            assertFalse(Files.exists(mark()), "a Tab started Java");
        }
    }

    @Test
    void zshAndFishShouldAskTheLauncher() throws Exception {
        String zsh = Files.readString(ROOT.resolve("completions/_tend"), StandardCharsets.UTF_8);
        assertTrue(zsh.contains("\"$launcher\" __complete names $query"), zsh);
        assertTrue(zsh.contains("\"$launcher\" __complete instances"), zsh);
        assertTrue(zsh.contains("'*:TARGET:_tend_live pool,lazy,worker,all'"), "stop's targets");
        assertTrue(zsh.contains("'1:POOL:_tend_live pool'"), "scale's pool");
        assertTrue(zsh.contains(":NAME:_tend_live instances'"), "--name");
        String fish = Files.readString(ROOT.resolve("completions/tend.fish"), StandardCharsets.UTF_8);
        assertTrue(fish.contains("$words[1] __complete names $query"), fish);
        assertTrue(fish.contains("$words[1] __complete instances"), fish);
        assertTrue(fish.contains("complete -c tend -n '__fish_seen_subcommand_from stop; and __tend_position 0 -1"
                + " -c --config --name --timeout' -a '(__tend_live pool,lazy,worker,all)'"), "stop's targets");
        assertTrue(fish.contains("-l name -r -f -a '(__tend_live instances)'"), "--name");
    }

    @Test
    void fishShouldCompleteTheNamesOfTheRunningTend() throws Exception {
        assumeTrue(onPath("fish"), "fish is not installed: only its script was checked (zshAndFishShouldAskTheLauncher)");
        Path project = Files.createDirectory(dir.resolve("fishy"));
        try (TendProcess tend = TendProcess.up(project, TOML)) {
            awaitNames(project);
            String out = shell(project, List.of("fish", "--no-config", "-c",
                    "source " + ROOT.resolve("completions/tend.fish") + "; complete -C 'tend stop '"));
            assertEquals(List.of("all", "cache", "queue", "queue.1", "web", "web.1", "web.2"),
                    out.lines().map(l -> l.split("\t")[0]).sorted().toList());
        }
    }

    @Test
    void zshShouldCompleteTheNamesOfTheRunningTend() throws Exception {
        assumeTrue(onPath("zsh") && onPath("tmux"),
                "zsh (or tmux) is not installed: only its script was checked (zshAndFishShouldAskTheLauncher)");
        Path project = Files.createDirectory(dir.resolve("zstore"));
        Path functions = Files.createDirectories(dir.resolve("zfunc"));
        Files.copy(ROOT.resolve("completions/_tend"), functions.resolve("_tend"));
        try (TendProcess tend = TendProcess.up(project, TOML)) {
            awaitNames(project);
            String socket = "tend-zsh-" + ProcessHandle.current().pid();
            List<String> shell = new ArrayList<>(List.of("tmux", "-L", socket, "-f", "/dev/null", "new-session", "-d",
                    "-x", "160", "-y", "40", "-c", project.toString(), "env", "-i"));
            for (Map.Entry<String, String> e : environment().entrySet()) {
                shell.add(e.getKey() + "=" + e.getValue());
            }
            shell.addAll(List.of("TERM=xterm", "zsh", "-f"));
            try {
                assertEquals(0, run(shell));
                assertEquals(0, run(List.of("tmux", "-L", socket, "send-keys",
                        "fpath=(" + functions + " $fpath); autoload -U compinit; compinit -u -D; PS1='$ '; echo READY",
                        "Enter")));
                // compinit takes a while; keys sent before it is done go to it, not to the line editor.
                Await.until(TendProcess.WAIT, "zsh to load its completion system",
                        () -> capture(socket).lines().anyMatch(l -> l.equals("READY")));
                assertEquals(0, run(List.of("tmux", "-L", socket, "send-keys", "tend stop ", "Tab")));
                Await.until(TendProcess.WAIT, "tend stop <Tab> to list the workers and pools in zsh", () -> {
                    String screen = capture(socket);
                    return screen.contains("web.1") && screen.contains("queue.1") && screen.contains("cache");
                });
            } finally {
                run(List.of("tmux", "-L", socket, "kill-server"));
            }
            assertFalse(Files.exists(mark()), "a Tab started Java");
        }
    }

    /** Waits until the instance in {@code project} has written the names of its workers. */
    private static void awaitNames(Path project) {
        Path names = TendProcess.instanceDirectory(project).resolve("names");
        Await.until(TendProcess.WAIT, "the names file", () -> {
            try {
                return Files.exists(names) && Files.readString(names).contains("worker queue.1\n");
            } catch (IOException e) {
                return false;
            }
        });
    }

    /** What bash offers for each command line (the cursor at its end), with the shipped completion file. */
    private Map<String, String> bashCandidates(Path cwd, Iterable<String> lines) throws Exception {
        StringBuilder script = new StringBuilder("source '" + BASH + "'\n");
        // compopt works only while bash completes a real line; the rest of the script does not notice.
        script.append("compopt() { :; }\n");
        script.append("offer() {\n");
        script.append("  COMP_LINE=$1; COMP_POINT=${#1}; read -ra COMP_WORDS <<<\"$1\"\n");
        script.append("  [[ $1 == *' ' ]] && COMP_WORDS+=('')\n");
        // bash's own split puts = in a word of its own (COMP_WORDBREAKS).
        script.append("  local -a split=(); local w\n");
        script.append("  for w in \"${COMP_WORDS[@]}\"; do\n");
        script.append("    if [[ $w == --*=* ]]; then split+=(\"${w%%=*}\" = \"${w#*=}\"); else split+=(\"$w\"); fi\n");
        script.append("  done\n");
        script.append("  COMP_WORDS=(\"${split[@]}\"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMPREPLY=()\n");
        script.append("  _tend_complete tend\n");
        script.append("  printf '%s\\n' \"$(printf '%s\\n' \"${COMPREPLY[@]}\" | sort | tr '\\n' ' ' | sed 's/ *$//')\"\n");
        script.append("}\n");
        List<String> keys = new ArrayList<>();
        for (String line : lines) {
            keys.add(line);
            script.append("offer '").append(line).append("'\n");
        }
        String out = shell(cwd, List.of("bash", "--norc", "--noprofile", "-c", script.toString()));
        List<String> answers = out.lines().toList();
        assertEquals(keys.size(), answers.size(), out);
        Map<String, String> candidates = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            candidates.put(keys.get(i), answers.get(i));
        }
        assertFalse(Files.exists(mark()), "a completion started Java");
        return candidates;
    }

    /** The environment of the shells: {@code tend} on PATH is the launcher, and the only Java leaves a mark. */
    private Map<String, String> environment() throws IOException {
        Path bin = dir.resolve("bin");
        if (!Files.exists(bin)) {
            Files.createDirectories(bin);
            Files.createSymbolicLink(bin.resolve("tend"), LAUNCHER);
            Path java = bin.resolve("java");
            Files.writeString(java, "#!/bin/sh\ntouch '" + mark() + "'\nexit 1\n");
            assertTrue(java.toFile().setExecutable(true));
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", bin + ":/usr/bin:/bin");
        env.put("HOME", dir.toString());
        env.put("TEND_RUNTIME_DIR", TendProcess.RUNTIME_BASE.toString());
        env.put("TEND_JAVA", bin.resolve("java").toString());
        return env;
    }

    private Path mark() {
        return dir.resolve("java-started");
    }

    private String shell(Path cwd, List<String> command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
        pb.environment().clear();
        pb.environment().putAll(environment());
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the shell did not end");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    private static int run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", command) + " did not end");
        return p.exitValue();
    }

    private static String capture(String socket) {
        try {
            Process p = new ProcessBuilder("tmux", "-L", socket, "capture-pane", "-p").redirectErrorStream(true).start();
            String screen = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            return screen;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }
}
