package dev.tend.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code env_file}, the precedence of the layers, and {@code ${VAR}} in the keys that take it; real files. */
class VariablesTest {
    private static final Map<String, String> TEND_ENVIRONMENT =
            Map.of("PATH", "/usr/bin:/bin", "HOME", "/home/ann", "LAYER", "tend", "TEND_WORKER", "outer.1");

    @TempDir
    Path dir;

    private Config load(String toml) throws Exception {
        Files.writeString(dir.resolve("tend.toml"), toml);
        return new ConfigLoader(TEND_ENVIRONMENT).load(dir.resolve("tend.toml"));
    }

    private List<String> errors(String toml) throws Exception {
        Files.writeString(dir.resolve("tend.toml"), toml);
        ConfigException e = assertThrows(ConfigException.class,
                () -> new ConfigLoader(TEND_ENVIRONMENT).load(dir.resolve("tend.toml")));
        return e.errors().stream().map(error -> error.toString().replace(dir.toString(), "DIR"))
                .collect(Collectors.toList());
    }

    @Test
    void shouldLayerTheEnvironmentsInTheDocumentedOrder() throws Exception {
        Files.writeString(dir.resolve("top.env"), "TOP_FILE=${LAYER}\nLAYER=top-file\nAFTER=${LAYER}\n");
        Files.writeString(dir.resolve("pool.env"), "POOL_FILE=${LAYER}\nLAYER=pool-file\n");
        Config c = load("""
                env_file = "top.env"
                [env]
                LAYER = "top-env"
                TOP_ENV = "${LAYER}"
                [pool.a]
                command = ["cat"]
                env_file = "pool.env"
                env = { POOL_ENV = "${LAYER}" }
                [pool.b]
                command = ["cat"]
                env_file = "pool.env"
                env = { LAYER = "pool-env" }
                [pool.c]
                command = ["cat"]
                """);
        Map<String, String> a = c.pools().get("a").worker().env();
        assertEquals("tend", a.get("TOP_FILE"), "a file's references see the layers below it");
        assertEquals("top-file", a.get("AFTER"), "and the values before them in the file");
        assertEquals("top-file", a.get("TOP_ENV"));
        assertEquals("top-env", a.get("POOL_FILE"));
        assertEquals("pool-file", a.get("POOL_ENV"));
        assertEquals("pool-file", a.get("LAYER"));
        assertEquals("pool-env", c.pools().get("b").worker().env().get("LAYER"));
        assertEquals("top-env", c.pools().get("c").worker().env().get("LAYER"));
    }

    @Test
    void shouldReadAListOfFilesLaterOverEarlierWithOptionalOnes() throws Exception {
        Files.writeString(dir.resolve(".env"), "A=1\nB=from-env\n");
        Files.writeString(dir.resolve(".env.local"), "B=local ${A}\n");
        Config c = load("""
                [pool.web]
                command = ["cat"]
                env_file = [".env", { path = ".env.local", required = false }, { path = "absent.env", required = false }]
                """);
        assertEquals(Map.of("A", "1", "B", "local 1"), c.pools().get("web").worker().env());
    }

    @Test
    void shouldExpandCommandArraysCwdAndEnvButNotShellStrings() throws Exception {
        Files.createDirectories(dir.resolve("data/8080"));
        Files.writeString(dir.resolve(".env"), "PORT=8080\n");
        Config c = load("""
                env_file = ".env"
                [pool.web]
                command = ["cat", "--port=${PORT}", "${MODE:-dev}", "$${PORT}", "$HOME", "{name}"]
                cwd = "data/${PORT}"
                env = { URL = "http://localhost:${PORT}/" }
                [pool.sh]
                command = "echo ${PORT} $$"
                """);
        WorkerSettings web = c.pools().get("web").worker();
        assertEquals(List.of("cat", "--port=8080", "dev", "${PORT}", "$HOME", "{name}"), web.command().argv());
        assertEquals(dir.resolve("data/8080"), web.cwd());
        assertEquals("http://localhost:8080/", web.env().get("URL"));
        assertEquals("echo ${PORT} $$", ((Command.Shell) c.pools().get("sh").worker().command()).script());
    }

    @Test
    void shouldExpandLogFilesWithEachTablesVariables() throws Exception {
        Config c = load("""
                log_file = "${HOME}/log/{pool}.log"
                env = { LOGS = "top" }
                [pool.web]
                command = ["cat"]
                [pool.jobs]
                command = ["cat"]
                env = { LOGS = "jobs" }
                log_file = "${LOGS}/${MISSING:-x}-{worker}.log"
                """);
        assertEquals(Optional.of("/home/ann/log/{pool}.log"), c.pools().get("web").worker().log().file());
        assertEquals(Optional.of(dir.resolve("jobs/x-{worker}.log").toString()), c.pools().get("jobs").worker().log().file());
        assertEquals(List.of("DIR/tend.toml:3: pool.web.log_file: ${NOPE} is not set; set it in tend's environment, an"
                + " env_file or an env table, give a default (${NOPE:-value}), or write $${NOPE} for the text itself"),
                errors("""
                [pool.web]
                command = ["cat"]
                log_file = "${NOPE}/web.log"
                """));
    }

    @Test
    void shouldExpandTheHomeDirectoryInCwd() throws Exception {
        Config c = load("""
                [pool.web]
                command = ["cat"]
                cwd = "${DIR}"
                env = { DIR = "%s" }
                """.formatted(dir));
        assertEquals(dir, c.pools().get("web").worker().cwd());
    }

    @Test
    void shouldHintAtBracesWhenAnUnbracedVariableMadeCwdMissing() throws Exception {
        assertEquals(List.of("DIR/tend.toml:3: pool.web.cwd: no such directory: DIR/$HOME (relative paths start at the"
                + " configuration file's directory); tend expands only ${VAR} with braces: write ${HOME}"), errors("""
                [pool.web]
                command = ["cat"]
                cwd = "$HOME"
                """));
    }

    @Test
    void shouldReportUnsetVariablesAtTheirKeyAndLine() throws Exception {
        assertEquals(List.of(
                "DIR/tend.toml:3: pool.web.command: ${PORT} is not set; set it in tend's environment, an env_file or an"
                        + " env table, give a default (${PORT:-value}), or write $${PORT} for the text itself",
                "DIR/tend.toml:4: pool.web.cwd: DATA is not set: point DATA at the data directory",
                "DIR/tend.toml:6: pool.web.env.B: \"${A\": ${ without its closing }; write $$ for a literal $"),
                errors("""
                [pool.web]
                # comment
                command = ["cat", "${PORT}"]
                cwd = "${DATA:?point DATA at the data directory}"
                [pool.web.env]
                B = "${A"
                """));
        assertEquals(1, errors("""
                [pool.web]
                command = ["cat", "${TEND_WORKER}"]
                """).stream().filter(e -> e.contains("tend sets the TEND_* variables for each worker")).count(),
                "an enclosing tend's TEND_* are not there to expand");
    }

    @Test
    void shouldReportEnvFileProblemsWithTheirFileAndLineOnce() throws Exception {
        Files.writeString(dir.resolve(".env"), "OK=1\nexport BAD LINE\nREF=${NOPE}\n");
        assertEquals(List.of(
                "DIR/tend.toml:6: pool.b.env_file: no such file: DIR/missing.env; create it, or mark it optional:"
                        + " { path = \"missing.env\", required = false }",
                "DIR/tend.toml:9: pool.c.env_file: element 1 must be a path (\".env\") or { path = \".env.local\","
                        + " required = false }, not an integer",
                "DIR/.env:2: BAD: expected '=' after the name, not \"LINE\"; quote a value that holds spaces",
                "DIR/.env:3: REF: ${NOPE} is not set; set it in tend's environment, an env_file or an env table, give"
                        + " a default (${NOPE:-value}), or write $${NOPE} for the text itself"),
                errors("""
                [pool.a]
                command = ["cat"]
                env_file = ".env"
                [pool.b]
                command = ["cat"]
                env_file = "missing.env"
                [pool.c]
                command = ["cat"]
                env_file = [1, ".env"]
                """));
    }
}
