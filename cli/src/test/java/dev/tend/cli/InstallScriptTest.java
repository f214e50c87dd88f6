package dev.tend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Native;
import dev.tend.testing.Await;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests {@code install.sh} and the launcher ({@code cli/src/main/launcher/tend}) as a user would
 * run them, against a stub build: a copy of both scripts in a fake source tree whose
 * {@code cli/target} holds a {@code tend.jar} of {@link LauncherStub} plus JNA in {@code lib/}.
 *
 * <p>Every process gets a clean environment: a PATH of symlinks to the system's tools minus
 * {@code java}, {@code javac} and {@code mvn} ({@link #tools}), HOME and XDG_CACHE_HOME in the
 * temporary directory, and TEND_JVM_DIRS pointing at fake JDKs: scripts with a {@code release}
 * file of any version that exec the JVM running this test. Fake JDKs have no CDS base archive,
 * so the launcher never gives them JDK-specific flags they might not support.
 */
class InstallScriptTest {
    private static final String MAIN = "dev.tend.cli.LauncherStub";

    @TempDir
    static Path tmp;

    static Path repo;
    static Path realJava;
    static Path tools;
    static Path source;
    static Path emptyDir;

    @BeforeAll
    static void setUp() throws IOException {
        repo = findRepositoryRoot();
        realJava = Path.of(System.getProperty("java.home"), "bin", "java").toRealPath();
        tools = tmp.resolve("tools");
        linkSystemTools(tools, Set.of("java", "javac", "mvn", "mvnw"));
        emptyDir = Files.createDirectories(tmp.resolve("empty"));
        source = tmp.resolve("src tree"); // a space, to catch missing quotes
        makeSourceTree(source);
    }

    // ---- launcher ------------------------------------------------------------------------------

    @Test
    void launcherExecsTheJvm() throws Exception {
        Path prefix = install("exec");
        Map<String, String> env = env();
        env.put("TEND_JAVA", realJava.toString());
        Result r = run(env, tmp, prefix.resolve("bin/tend").toString(), "a b", "*", "", "--x=$HOME");
        r.assertOk();
        Map<String, String> p = r.props();
        assertEquals(Long.toString(r.pid), p.get("pid"), "the launcher must exec the JVM\n" + r);
        assertEquals("4", p.get("args"), r.toString());
        assertEquals("a b", p.get("arg.0"));
        assertEquals("*", p.get("arg.1"));
        assertEquals("", p.get("arg.2"));
        assertEquals("--x=$HOME", p.get("arg.3"));
        assertEquals(prefix.resolve("bin/tend").toRealPath().toString(), p.get("tend.launcher"));
        assertEquals(realJava.getParent().getParent().toString(), p.get("java.home"));
        assertTrue(p.get("jna.platform.library.path").contains("/usr/lib/x86_64-linux-gnu:"), r.toString());
        assertEquals("", r.err, "nothing on stderr");
    }

    @Test
    void launcherPassesTheSoftOpenFileLimit() throws Exception {
        Path prefix = install("rlimit");
        Map<String, String> env = env();
        env.put("TEND_JAVA", realJava.toString());
        Result r = run(env, tmp, "/bin/sh", "-c", "ulimit -S -n 321 && exec \"$0\" \"$@\"",
                prefix.resolve("bin/tend").toString(), "up");
        r.assertOk();
        assertEquals("321", r.props().get("tend.rlimit.nofile"), r.toString());
        assertEquals(Long.toString(r.pid), r.props().get("pid"), r.toString());
        // Only tend up and tend run start workers: client commands are spared the fork it costs.
        r = run(env, tmp, prefix.resolve("bin/tend").toString(), "ps");
        r.assertOk();
        assertEquals("null", r.props().get("tend.rlimit.nofile"), r.toString());
    }

    @Test
    void launcherPicksTheNewestJdk() throws Exception {
        Path prefix = install("newest");
        Path jvms = tmp.resolve("jvms-newest");
        fakeJdk(jvms.resolve("old"), "11.0.2", false);
        fakeJdk(jvms.resolve("a17"), "17.0.1", true);
        fakeJdk(jvms.resolve("b21-9"), "21.0.9", true);
        fakeJdk(jvms.resolve("c21-10"), "21.0.10", true); // 21.0.10 > 21.0.9: numbers, not text
        fakeJdk(jvms.resolve("d8"), "1.8.0_402", false);
        Files.createSymbolicLink(jvms.resolve("default-java"), jvms.resolve("a17"));
        Map<String, String> env = env();
        env.put("TEND_JVM_DIRS", emptyDir + ":" + jvms);
        Result r = run(env, tmp, prefix.resolve("bin/tend").toString(), "x");
        r.assertOk();
        assertEquals("c21-10", r.props().get("env.FAKE_JDK"), r.toString());

        // java on PATH takes part; this one has no release file, so `java -version` is parsed.
        Path pathDir = tmp.resolve("path-java");
        Path noRelease = fakeJdkAnswering(tmp.resolve("jvm-norelease"), "openjdk version \"25.0.1\" 2025-10-21");
        Files.createDirectories(pathDir);
        Files.createSymbolicLink(pathDir.resolve("java"), noRelease.resolve("bin/java"));
        env.put("PATH", pathDir + ":" + tools);
        r = run(env, tmp, prefix.resolve("bin/tend").toString(), "x");
        r.assertOk();
        assertEquals("jvm-norelease", r.props().get("env.FAKE_JDK"), r.toString());

        // ... and loses to a newer JDK in the search directories.
        fakeJdk(jvms.resolve("e26"), "26-ea", true);
        r = run(env, tmp, prefix.resolve("bin/tend").toString(), "x");
        r.assertOk();
        assertEquals("e26", r.props().get("env.FAKE_JDK"), r.toString());
    }

    @Test
    void javaHomeComesBeforeTheSearchUnlessTooOld() throws Exception {
        Path prefix = install("javahome");
        Path jvms = tmp.resolve("jvms-javahome");
        Path old = fakeJdk(jvms.resolve("old"), "11.0.2", false);
        Path j17 = fakeJdk(jvms.resolve("j17"), "17.0.3", true);
        fakeJdk(jvms.resolve("j99"), "99.0.0", true);
        Map<String, String> env = env();
        env.put("TEND_JVM_DIRS", jvms.toString());
        env.put("JAVA_HOME", j17.toString());
        Result r = run(env, tmp, prefix.resolve("bin/tend").toString(), "x");
        r.assertOk();
        assertEquals("j17", r.props().get("env.FAKE_JDK"), r.toString());

        env.put("JAVA_HOME", old.toString());
        r = run(env, tmp, prefix.resolve("bin/tend").toString(), "x");
        r.assertOk();
        assertEquals("j99", r.props().get("env.FAKE_JDK"), r.toString());
    }

    @Test
    void tendJavaIsUsedAloneAndMustBeRecentEnough() throws Exception {
        Path prefix = install("tendjava");
        Path jvms = tmp.resolve("jvms-tendjava");
        Path old = fakeJdk(jvms.resolve("old"), "11.0.2", false);
        Path j21 = fakeJdk(jvms.resolve("j21"), "21.0.1", true);
        fakeJdk(jvms.resolve("j99"), "99.0.0", true);
        Map<String, String> env = env();
        env.put("TEND_JVM_DIRS", jvms.toString());
        env.put("TEND_JAVA", j21.resolve("bin/java").toString());
        Result r = run(env, tmp, prefix.resolve("bin/tend").toString(), "x");
        r.assertOk();
        assertEquals("j21", r.props().get("env.FAKE_JDK"), r.toString());

        env.put("TEND_JAVA", old.resolve("bin/java").toString());
        r = run(env, tmp, prefix.resolve("bin/tend").toString(), "x");
        assertEquals(1, r.exit, r.toString());
        assertTrue(r.err.contains("Java 11.0.2") && r.err.contains("17 or newer"), r.toString());
        assertEquals("", r.out, r.toString());
    }

    @Test
    void noJavaIsAClearError() throws Exception {
        Path prefix = install("nojava");
        Map<String, String> env = env(); // PATH without java, no JAVA_HOME, TEND_JVM_DIRS empty
        env.put("TEND_JVM_DIRS", emptyDir.toString());
        Result r = run(env, tmp, prefix.resolve("bin/tend").toString(), "--version");
        assertEquals(1, r.exit, r.toString());
        assertEquals("", r.out);
        assertTrue(r.err.startsWith("tend: no Java 17 or newer found"), r.toString());
        assertTrue(r.err.contains(emptyDir + "/*/bin/java"), "says where it looked\n" + r);
        assertTrue(r.err.contains("java on PATH (none)"), r.toString());
        assertTrue(r.err.contains("TEND_JAVA=/path/to/bin/java"), "says how to fix it\n" + r);
        assertTrue(r.err.contains("apt-get install openjdk-17"), r.toString());

        env.put("JAVA_HOME", tmp.resolve("no-such-jdk").toString());
        r = run(env, tmp, prefix.resolve("bin/tend").toString(), "--version");
        assertEquals(1, r.exit, r.toString());
        assertTrue(r.err.contains("JAVA_HOME=" + tmp.resolve("no-such-jdk") + " (no bin/java)"), r.toString());
    }

    @Test
    void javaOptsAreAddedLastAndNotGlobbed() throws Exception {
        Path prefix = install("opts");
        Map<String, String> env = env();
        env.put("TEND_JAVA", realJava.toString());
        env.put("TEND_JAVA_OPTS", "-Dtest.opt=hello  -Dtest.glob=* -Dtend.rlimit.nofile=42");
        env.put("TEND_LAUNCHER_DEBUG", "1");
        Result r = run(env, tmp, prefix.resolve("bin/tend").toString(), "x");
        r.assertOk();
        assertEquals("hello", r.props().get("test.opt"), r.toString());
        assertEquals("*", r.props().get("test.glob"), r.toString());
        assertEquals("42", r.props().get("tend.rlimit.nofile"), "user options win\n" + r);
        assertTrue(r.err.startsWith("tend: Java "), r.toString());
        // A client command: the client profile, native access from the jar's manifest.
        assertTrue(r.err.contains(" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 "), r.toString());
        assertTrue(r.err.contains(" -Xshare:auto -Dtest.opt=hello "), r.toString());
        assertFalse(r.err.contains("--enable-native-access"), r.toString());

        r = run(env, tmp, prefix.resolve("bin/tend").toString(), "up", "x");
        r.assertOk();
        assertEquals("hello", r.props().get("test.opt"), r.toString());
        assertEquals("42", r.props().get("tend.rlimit.nofile"), "user options win\n" + r);
        assertTrue(r.err.contains(" --enable-native-access=ALL-UNNAMED "), "the daemon's profile\n" + r);
        assertTrue(r.err.contains(" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto "), r.toString());
        assertFalse(r.err.contains("CompileThresholdScaling"), r.toString());
    }

    @Test
    void launcherRunsFromTheSourceTreeAndThroughSymlinks() throws Exception {
        Map<String, String> env = env();
        env.put("TEND_JAVA", realJava.toString());
        Path inTree = source.resolve("cli/src/main/launcher/tend");
        Result r = run(env, tmp, inTree.toString(), "x");
        r.assertOk();
        assertEquals(inTree.toRealPath().toString(), r.props().get("tend.launcher"), r.toString());

        Path prefix = install("symlink");
        Path link = Files.createDirectories(tmp.resolve("elsewhere")).resolve("tend");
        Files.createSymbolicLink(link, prefix.resolve("bin/tend"));
        r = run(env, tmp, link.toString(), "x");
        r.assertOk();
        assertEquals(prefix.resolve("bin/tend").toRealPath().toString(), r.props().get("tend.launcher"));

        Files.delete(prefix.resolve("lib/tend/tend.jar"));
        r = run(env, tmp, link.toString(), "x");
        assertEquals(1, r.exit, r.toString());
        assertTrue(r.err.contains("cannot find " + prefix.toRealPath().resolve("lib/tend/tend.jar")), r.toString());
    }

    /**
     * On every real JDK 17+ of this machine: JNA loads, nothing is printed on stdout or stderr
     * besides tend's own output (JDK 24+ would warn about native access; CDS logs by default to
     * stdout), and the client commands' class-data archive (an AOT cache from JDK 25, a dynamic
     * CDS archive before) is made by a training run in the background, used, and made again after
     * an upgrade; TEND_CDS=train makes it in the foreground, TEND_CDS=0 not at all.
     */
    @Test
    void realJdksRunCleanlyWithJnaAndClassDataArchives() throws Exception {
        Path prefix = install("realjdks");
        Path tend = prefix.resolve("bin/tend");
        List<Path> jdks = realJdks();
        assertFalse(jdks.isEmpty());
        for (Path home : jdks) {
            int major = majorVersion(home);
            Path cache = Files.createDirectories(tmp.resolve("cache-" + home.getFileName()));
            Map<String, String> env = env();
            env.put("TEND_JAVA", home.resolve("bin/java").toString());
            env.put("XDG_CACHE_HOME", cache.toString());
            env.remove("TEND_CDS");
            String what = "JDK " + major + " in " + home;
            Result r = run(env, tmp, tend.toString(), "jna");
            r.assertOk();
            assertEquals("", r.err, what + ": stderr\n" + r);
            assertEquals(Long.toString(r.pid), r.props().get("pid"), what + "\n" + r);
            assertEquals(Integer.toString(Native.POINTER_SIZE), r.props().get("jna.pointer.size"), what + "\n" + r);
            assertEquals(Long.toString(r.pid), r.props().get("jna.getpid"), what + "\n" + r);

            boolean cds = major >= 25 || Files.exists(home.resolve("lib/server/classes.jsa"));
            if (!cds) {
                assertEquals(List.of(), archives(cache), what);
                continue;
            }
            Path archive = awaitTraining(cache, what);
            FileTime created = Files.getLastModifiedTime(archive);

            Path classLog = tmp.resolve("class-load-" + major + ".txt");
            env.put("TEND_JAVA_OPTS", "-Xlog:class+load=info:file=" + classLog);
            r = run(env, tmp, tend.toString(), "jna");
            r.assertOk();
            assertEquals("", r.err, what + "\n" + r);
            assertEquals(List.of(archive), archives(cache), what);
            assertEquals(created, Files.getLastModifiedTime(archive), what + ": archive rewritten");
            assertTrue(loadedFromArchive(classLog), what + ": stub class not loaded from the archive");

            // An upgrade changes the jar: the archive is made again.
            Path jar = prefix.resolve("lib/tend/tend.jar");
            Files.setLastModifiedTime(jar, FileTime.fromMillis(created.toMillis() + 1));
            env.remove("TEND_JAVA_OPTS");
            r = run(env, tmp, tend.toString(), "jna");
            r.assertOk();
            assertEquals("", r.err, what + "\n" + r);
            Await.until(Duration.ofSeconds(120), what + ": archive made again",
                    () -> modified(archive) > created.toMillis() && !Files.exists(lock(archive)));
            assertEquals(List.of(archive), archives(cache), what);
            env.put("TEND_JAVA_OPTS", "-Xlog:class+load=info:file=" + classLog);
            r = run(env, tmp, tend.toString(), "jna");
            r.assertOk();
            assertTrue(loadedFromArchive(classLog), what + ": new archive not used");

            Files.delete(archive);
            env.remove("TEND_JAVA_OPTS");
            env.put("TEND_CDS", "train");
            r = run(env, tmp, tend.toString(), "jna");
            r.assertOk();
            assertEquals("", r.err, what + "\n" + r);
            assertEquals(List.of(archive), archives(cache), what + ": made in the foreground");

            env.put("TEND_CDS", "0");
            env.put("TEND_LAUNCHER_DEBUG", "1");
            r = run(env, tmp, tend.toString(), "jna");
            r.assertOk();
            assertFalse(r.err.contains("SharedArchiveFile") || r.err.contains("AOTCache"), what + "\n" + r);
        }
    }

    /** Waits for the background training run to put the one archive in place and returns it. */
    private static Path awaitTraining(Path cache, String what) throws IOException {
        Path archive = Await.value(Duration.ofSeconds(120), what + ": the archive of the training run", () -> {
            try {
                List<Path> archives = archives(cache);
                return archives.size() == 1 && !Files.exists(lock(archives.get(0))) ? archives.get(0) : null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        assertEquals(List.of(archive), archives(cache), what);
        return archive;
    }

    private static Path lock(Path archive) {
        return archive.resolveSibling(archive.getFileName() + ".lock");
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    // ---- install.sh ----------------------------------------------------------------------------

    @Test
    void installsTheFilesWithTheirModes() throws Exception {
        Path prefix = tmp.resolve("modes/my prefix");
        Result r = installSh(env(), "--prefix", prefix.toString(), "--no-build");
        r.assertOk();
        Map<String, String> files = snapshot(prefix);
        Set<String> expected = new LinkedHashSet<>(List.of(
                "bin/tend 755", "lib/tend/tend.jar 644", "lib/tend/lib/jna.jar 644",
                "lib/tend/lib/extra-1.0.jar 644", "lib/tend/install-manifest.txt 644",
                "share/bash-completion/completions/tend 644", "share/zsh/site-functions/_tend 644",
                "share/fish/vendor_completions.d/tend.fish 644", "share/man/man1/tend.1 644",
                "share/man/man5/tend.toml.5 644", "share/doc/tend/guide.md 644"));
        assertEquals(expected, files.entrySet().stream().filter(e -> !e.getKey().endsWith("/"))
                .map(e -> e.getKey() + " " + e.getValue().substring(0, 3)).collect(Collectors.toSet()), r.toString());
        files.forEach((path, mode) -> {
            if (path.endsWith("/")) {
                assertTrue(mode.startsWith("755"), path + " " + mode);
            }
        });
        assertEquals(Files.readString(repo.resolve("cli/src/main/launcher/tend")),
                Files.readString(prefix.resolve("bin/tend")));
        assertEquals(Files.readString(source.resolve("completions/_tend")),
                Files.readString(prefix.resolve("share/zsh/site-functions/_tend")));
        List<String> manifest = Files.readAllLines(prefix.resolve("lib/tend/install-manifest.txt"));
        assertTrue(manifest.contains("d ."), "the prefix did not exist: install.sh created it\n" + manifest);
        assertTrue(manifest.contains("f bin/tend") && manifest.contains("f lib/tend/lib/jna.jar"), manifest.toString());
        assertTrue(r.out.contains("tend-stub 1.0"), "runs the installed tend --version\n" + r);
        assertTrue(r.err.contains(prefix + "/bin is not on your PATH"), r.toString());
        assertTrue(r.err.contains("export PATH=\"" + prefix + "/bin:$PATH\""), r.toString());
    }

    @Test
    void installsTheLauncherTextsAfterTheJar() throws Exception {
        Path tree = tmp.resolve("texts-src");
        makeSourceTree(tree);
        Path text = Files.createDirectories(tree.resolve("cli/target/text/help"));
        Files.writeString(text.resolve("tend.txt"), "Usage: tend-stub\n");
        Files.writeString(text.resolve("non-ascii"), "");
        Files.writeString(text.resolveSibling("version"), "tend 9.9\n");
        Path prefix = tmp.resolve("texts");
        Result r = installSh(tree, env(), "--prefix", prefix.toString(), "--no-build");
        r.assertOk();
        // The installed tend --version line is the JVM's, which shows that the installation runs.
        assertTrue(r.out.contains("tend-stub 1.0"), r.toString());
        for (String file : List.of("text/version", "text/help/tend.txt", "text/help/non-ascii")) {
            assertTrue(Files.exists(prefix.resolve("lib/tend/" + file)), file);
            assertFalse(Files.getLastModifiedTime(prefix.resolve("lib/tend/tend.jar"))
                    .compareTo(Files.getLastModifiedTime(prefix.resolve("lib/tend/" + file))) > 0, file + " older than the jar");
        }
        Map<String, String> env = env();
        env.put("TEND_JAVA", realJava.toString());
        Result help = run(env, tmp, prefix.resolve("bin/tend").toString(), "--help");
        help.assertOk();
        assertEquals("Usage: tend-stub\n", help.out, "answered from the installed text, not by the JVM: " + help);
        installSh(tree, env(), "--prefix", prefix.toString(), "--uninstall").assertOk();
        assertFalse(Files.exists(prefix.resolve("lib/tend")), "uninstalled");
    }

    @Test
    void installingTwiceGivesTheSameResult() throws Exception {
        Path prefix = tmp.resolve("twice");
        installSh(env(), "--prefix", prefix.toString(), "--no-build").assertOk();
        Map<String, String> first = snapshot(prefix);
        Object firstInode = Files.getAttribute(prefix.resolve("bin/tend"), "unix:ino");
        Result r = installSh(env(), "--prefix", prefix.toString(), "--no-build");
        r.assertOk();
        assertEquals(first, snapshot(prefix), r.toString());
        // Replaced by rename(2), not rewritten in place: a running launcher keeps its old file.
        assertNotEquals(firstInode, Files.getAttribute(prefix.resolve("bin/tend"), "unix:ino"));
    }

    @Test
    void upgradeRemovesFilesThatAreNoLongerPartOfTend() throws Exception {
        Path tree = tmp.resolve("upgrade-src");
        makeSourceTree(tree);
        Path prefix = tmp.resolve("upgrade");
        installSh(tree, env(), "--prefix", prefix.toString(), "--no-build").assertOk();
        Files.move(tree.resolve("cli/target/lib/extra-1.0.jar"), tree.resolve("cli/target/lib/extra-2.0.jar"));
        Files.delete(tree.resolve("completions/tend.fish"));
        installSh(tree, env(), "--prefix", prefix.toString(), "--no-build").assertOk();
        assertTrue(Files.exists(prefix.resolve("lib/tend/lib/extra-2.0.jar")));
        assertFalse(Files.exists(prefix.resolve("lib/tend/lib/extra-1.0.jar")));
        assertFalse(Files.exists(prefix.resolve("share/fish/vendor_completions.d/tend.fish")));
        List<String> manifest = Files.readAllLines(prefix.resolve("lib/tend/install-manifest.txt"));
        assertTrue(manifest.contains("f lib/tend/lib/extra-2.0.jar"), manifest.toString());
        assertFalse(manifest.contains("f lib/tend/lib/extra-1.0.jar"), manifest.toString());
        // The fish directory install.sh created is still recorded, so uninstall removes it.
        assertTrue(manifest.contains("d share/fish/vendor_completions.d"), manifest.toString());
        try (Stream<Path> all = Files.walk(prefix)) {
            assertEquals(List.of(), all.filter(p -> p.getFileName().toString().contains("tmp")).toList());
        }
    }

    @Test
    void installsTheClientLibrariesUnderShareTendAndUninstallsThem() throws Exception {
        Path tree = tmp.resolve("clients-src");
        makeSourceTree(tree);
        List<String> sources = new ArrayList<>();
        for (String dir : List.of("clients/php", "clients/php/src", "clients/python/tend_state")) {
            try (Stream<Path> files = Files.list(repo.resolve(dir))) {
                files.filter(f -> f.toString().endsWith(".php") || f.toString().endsWith(".py")
                        || f.toString().endsWith("composer.json")).forEach(f -> sources.add(repo.relativize(f).toString()));
            }
        }
        for (String file : sources) {
            Files.createDirectories(tree.resolve(file).getParent());
            Files.copy(repo.resolve(file), tree.resolve(file));
        }
        Files.createDirectories(tree.resolve("clients/python/tend_state/__pycache__"));
        Files.writeString(tree.resolve("clients/python/tend_state/__pycache__/_reader.cpython-311.pyc"), "cache");
        Files.createDirectories(tree.resolve("clients/php/tests"));
        Files.writeString(tree.resolve("clients/php/tests/run.php"), "<?php\n");
        Path prefix = tmp.resolve("clients");
        installSh(tree, env(), "--prefix", prefix.toString(), "--no-build").assertOk();
        for (String file : sources) {
            String installed = "share/tend/" + file.substring("clients/".length());
            assertEquals(Files.readString(repo.resolve(file)), Files.readString(prefix.resolve(installed)), installed);
        }
        assertTrue(Files.exists(prefix.resolve("share/tend/php/src/autoload.php")));
        assertTrue(Files.exists(prefix.resolve("share/tend/python/tend_state/__init__.py")));
        assertFalse(Files.exists(prefix.resolve("share/tend/python/tend_state/__pycache__")), "no caches");
        assertFalse(Files.exists(prefix.resolve("share/tend/php/tests")), "no tests");
        installSh(tree, env(), "--prefix", prefix.toString(), "--uninstall").assertOk();
        assertFalse(Files.exists(prefix.resolve("share")), "uninstall removes share/tend and the directories it made");
    }

    @Test
    void uninstallRemovesExactlyWhatWasInstalled() throws Exception {
        Path prefix = tmp.resolve("uninstall");
        Files.createDirectories(prefix.resolve("bin"));
        Files.createDirectories(prefix.resolve("share/man/man1"));
        Files.writeString(prefix.resolve("bin/other-tool"), "mine");
        Files.writeString(prefix.resolve("share/man/man1/other.1"), "mine");
        Map<String, String> before = snapshot(prefix);

        installSh(env(), "--prefix", prefix.toString(), "--no-build").assertOk();
        assertTrue(Files.exists(prefix.resolve("share/man/man1/tend.1")));
        assertTrue(Files.exists(prefix.resolve("share/doc/tend/guide.md")));
        Result r = installSh(env(), "--prefix", prefix.toString(), "--uninstall");
        r.assertOk();
        assertEquals(before, snapshot(prefix), "only what install.sh added is gone\n" + r);

        r = installSh(env(), "--prefix", prefix.toString(), "--uninstall");
        r.assertOk();
        assertTrue(r.out.contains("Nothing to uninstall"), r.toString());

        // A file that install.sh did not put there keeps its directory alive.
        installSh(env(), "--prefix", prefix.toString(), "--no-build").assertOk();
        Files.writeString(prefix.resolve("lib/tend/notes.txt"), "mine");
        r = installSh(env(), "--prefix", prefix.toString(), "--uninstall");
        r.assertOk();
        assertEquals(Set.of("lib/tend/notes.txt"), Set.copyOf(files(prefix.resolve("lib")).stream()
                .map(p -> prefix.relativize(p).toString()).toList()), r.toString());
        assertTrue(r.err.contains("left in place"), r.toString());

        // A prefix install.sh created is removed altogether.
        Path fresh = tmp.resolve("uninstall-fresh/prefix");
        installSh(env(), "--prefix", fresh.toString(), "--no-build").assertOk();
        installSh(env(), "--prefix", fresh.toString(), "--uninstall").assertOk();
        assertFalse(Files.exists(fresh));
        assertTrue(Files.isDirectory(fresh.getParent()));
    }

    @Test
    void missingMavenIsAClearError() throws Exception {
        Path javaHome = realJava.getParent().getParent();
        assumeTrue(Files.isExecutable(javaHome.resolve("bin/javac")), "needs the tests to run on a JDK");
        Path prefix = tmp.resolve("nomaven");
        Map<String, String> env = env();
        env.put("JAVA_HOME", javaHome.toString());
        Result r = installSh(env, "--prefix", prefix.toString());
        assertEquals(1, r.exit, r.toString());
        assertTrue(r.err.contains("needs Maven") && r.err.contains("apt-get install maven"), r.toString());
        assertFalse(r.err.contains("Exception"), r.toString());
        assertFalse(Files.exists(prefix), "nothing installed");
    }

    @Test
    void missingJdkIsAClearError() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("fake-mvn"));
        Path mvn = bin.resolve("mvn");
        Files.writeString(mvn, "#!/bin/sh\necho 'mvn must not run' >&2\nexit 99\n");
        executable(mvn);
        Path prefix = tmp.resolve("nojdk");
        Map<String, String> env = env();
        env.put("TEND_JVM_DIRS", emptyDir.toString());
        env.put("PATH", bin + ":" + tools);
        Result r = installSh(env, "--prefix", prefix.toString());
        assertEquals(1, r.exit, r.toString());
        assertTrue(r.err.contains("needs a JDK 17 or newer (with javac)"), r.toString());
        assertTrue(r.err.contains("apt-get install openjdk-17-jdk"), r.toString());
        assertFalse(r.err.contains("must not run"), r.toString());

        // A Java 17+ runtime without javac is named as the likely cause.
        Path jvms = tmp.resolve("jvms-jre");
        fakeJdk(jvms.resolve("jre17"), "17.0.2", true);
        env.put("TEND_JVM_DIRS", jvms.toString());
        r = installSh(env, "--prefix", prefix.toString());
        assertEquals(1, r.exit, r.toString());
        assertTrue(r.err.contains("without javac in " + jvms.resolve("jre17")), r.toString());

        env.put("PATH", tools.toString());
        r = installSh(env, "--prefix", prefix.toString());
        assertEquals(1, r.exit, r.toString());
        assertTrue(r.err.contains("apt-get install openjdk-17-jdk maven"), r.toString());
        assertFalse(Files.exists(prefix), "nothing installed");
    }

    @Test
    void runExampleStartsTheDemoInTheInstalledTend() throws Exception {
        Path tree = tmp.resolve("example-src");
        makeSourceTree(tree);
        Path prefix = tmp.resolve("example");
        Result r = installSh(tree, env(), "--prefix", prefix.toString(), "--no-build", "--run-example");
        assertEquals(1, r.exit, r.toString());
        assertTrue(r.err.contains("examples/demo/tend.toml does not exist"), r.toString());
        assertFalse(Files.exists(prefix), "checked before installing");

        Files.createDirectories(tree.resolve("examples/demo"));
        Files.writeString(tree.resolve("examples/demo/tend.toml"), "# demo\n");
        r = installSh(tree, env(), "--prefix", prefix.toString(), "--no-build", "--run-example");
        r.assertOk();
        Map<String, String> p = r.props();
        assertEquals(List.of("run", "-c", "examples/demo/tend.toml", "--", "examples/demo/shop.sh"),
                List.of(p.get("arg.0"), p.get("arg.1"), p.get("arg.2"), p.get("arg.3"), p.get("arg.4")), r.toString());
        assertEquals(tree.toRealPath().toString(), p.get("user.dir"), r.toString());
        assertEquals(Long.toString(r.pid), p.get("pid"), "install.sh execs tend\n" + r);
        assertTrue(r.out.contains("Running the demo"), r.toString());
    }

    @Test
    void helpAndBadOptions() throws Exception {
        Result r = installSh(env(), "--help");
        r.assertOk();
        assertTrue(r.out.startsWith("Usage: ./install.sh"), r.toString());
        r = installSh(env(), "--frobnicate");
        assertEquals(1, r.exit, r.toString());
        assertTrue(r.err.contains("unknown option: --frobnicate"), r.toString());
        r = installSh(env(), "--prefix");
        assertEquals(1, r.exit, r.toString());
    }

    @Test
    void shellcheckIsClean() throws Exception {
        Path shellcheck = Stream.of("/usr/bin/shellcheck", "/usr/local/bin/shellcheck").map(Path::of)
                .filter(Files::isExecutable).findFirst().orElse(null);
        assumeTrue(shellcheck != null, "shellcheck is not installed");
        Result r = run(env(), repo, shellcheck.toString(), "-s", "sh", "install.sh", "cli/src/main/launcher/tend");
        assertEquals(0, r.exit, r.toString());
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** Installs the stub build into a fresh prefix named after the test. */
    private static Path install(String name) throws Exception {
        Path prefix = tmp.resolve("prefix-" + name);
        installSh(env(), "--prefix", prefix.toString(), "--no-build").assertOk();
        return prefix;
    }

    private static Result installSh(Map<String, String> env, String... args) throws Exception {
        return installSh(source, env, args);
    }

    private static Result installSh(Path tree, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(tree.resolve("install.sh").toString());
        command.addAll(Arrays.asList(args));
        Map<String, String> withJava = new HashMap<>(env);
        // The installer runs `tend --version`; the launcher needs a Java for that.
        withJava.putIfAbsent("TEND_JAVA", realJava.toString());
        return run(withJava, tmp, command.toArray(String[]::new));
    }

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", tools.toString());
        env.put("HOME", tmp.resolve("home").toString());
        env.put("XDG_CACHE_HOME", tmp.resolve("home/.cache").toString());
        env.put("LANG", "C.UTF-8");
        env.put("TEND_JVM_DIRS", emptyDir.toString());
        env.put("TEND_CDS", "0");
        return env;
    }

    record Result(int exit, String out, String err, long pid, List<String> command) {
        Map<String, String> props() {
            Map<String, String> props = new TreeMap<>();
            for (String line : out.split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    props.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            return props;
        }

        void assertOk() {
            assertEquals(0, exit, this::toString);
        }

        @Override
        public String toString() {
            return "command: " + command + "\nexit: " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err + "---";
        }
    }

    private static Result run(Map<String, String> env, Path cwd, String... command) throws Exception {
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        Process process = pb.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + List.of(command));
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err), process.pid(),
                List.of(command));
    }

    private static Path findRepositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("install.sh")) && Files.isDirectory(dir.resolve("cli"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no install.sh above " + Path.of("").toAbsolutePath());
    }

    /** A PATH directory with the system's commands, minus the ones a test wants to be missing. */
    private static void linkSystemTools(Path dir, Set<String> left) throws IOException {
        Files.createDirectories(dir);
        for (String system : List.of("/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
            Path sys = Path.of(system);
            if (!Files.isDirectory(sys)) {
                continue;
            }
            try (Stream<Path> entries = Files.list(sys)) {
                for (Path entry : entries.toList()) {
                    String name = entry.getFileName().toString();
                    Path link = dir.resolve(name);
                    if (!left.contains(name) && Files.isExecutable(entry) && !Files.isDirectory(entry)
                            && !Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                        Files.createSymbolicLink(link, entry);
                    }
                }
            }
        }
    }

    /** A source tree like the repository's, built: install.sh, the launcher and a stub cli/target. */
    private static void makeSourceTree(Path tree) throws IOException {
        Files.createDirectories(tree.resolve("cli/src/main/launcher"));
        Files.createDirectories(tree.resolve("cli/target/lib"));
        Files.createDirectories(tree.resolve("completions"));
        Files.createDirectories(tree.resolve("docs/man"));
        Files.writeString(tree.resolve("pom.xml"), "<project/>\n");
        Files.copy(repo.resolve("install.sh"), tree.resolve("install.sh"));
        Files.copy(repo.resolve("cli/src/main/launcher/tend"), tree.resolve("cli/src/main/launcher/tend"));
        executable(tree.resolve("install.sh"));
        executable(tree.resolve("cli/src/main/launcher/tend"));
        Files.writeString(tree.resolve("completions/tend.bash"), "complete -F _tend tend\n");
        Files.writeString(tree.resolve("completions/_tend"), "#compdef tend\n");
        Files.writeString(tree.resolve("completions/tend.fish"), "complete -c tend\n");
        Files.writeString(tree.resolve("docs/man/tend.1"), ".TH TEND 1\n");
        Files.writeString(tree.resolve("docs/man/tend.toml.5"), ".TH TEND.TOML 5\n");
        Files.writeString(tree.resolve("docs/guide.md"), "# Guide\n");

        Path jna = Path.of(URI.create(Native.class.getProtectionDomain().getCodeSource().getLocation().toString()));
        Files.copy(jna, tree.resolve("cli/target/lib/jna.jar"));
        writeJar(tree.resolve("cli/target/lib/extra-1.0.jar"), new Manifest(), Map.of());

        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, MAIN);
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, "lib/jna.jar lib/extra-1.0.jar");
        manifest.getMainAttributes().putValue("Enable-Native-Access", "ALL-UNNAMED");
        String entry = MAIN.replace('.', '/') + ".class";
        try (InputStream in = LauncherStub.class.getResourceAsStream("/" + entry)) {
            writeJar(tree.resolve("cli/target/tend.jar"), manifest, Map.of(entry, in.readAllBytes()));
        }
    }

    private static void writeJar(Path path, Manifest manifest, Map<String, byte[]> entries) throws IOException {
        try (OutputStream file = Files.newOutputStream(path);
                JarOutputStream jar = new JarOutputStream(file, manifest)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                jar.putNextEntry(new JarEntry(e.getKey()));
                jar.write(e.getValue());
                jar.closeEntry();
            }
        }
    }

    /** A fake JDK whose java runs this test's JVM; with {@code runnable} false it fails if run. */
    private static Path fakeJdk(Path home, String version, boolean runnable) throws IOException {
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"fake\"\nJAVA_VERSION=\"" + version + "\"\n");
        String script = runnable
                ? "#!/bin/sh\nFAKE_JDK=" + home.getFileName() + "\nexport FAKE_JDK\nexec '" + realJava + "' \"$@\"\n"
                : "#!/bin/sh\necho 'fake JDK " + version + " must not run' >&2\nexit 97\n";
        Files.writeString(home.resolve("bin/java"), script);
        executable(home.resolve("bin/java"));
        return home;
    }

    /** A fake JDK without a release file whose {@code java -version} prints {@code versionLine}. */
    private static Path fakeJdkAnswering(Path home, String versionLine) throws IOException {
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("bin/java"), "#!/bin/sh\n"
                + "if [ \"$1\" = -version ]; then echo 'Picked up JAVA_TOOL_OPTIONS: x' >&2; echo '" + versionLine
                + "' >&2; exit 0; fi\nFAKE_JDK=" + home.getFileName() + "\nexport FAKE_JDK\nexec '" + realJava
                + "' \"$@\"\n");
        executable(home.resolve("bin/java"));
        return home;
    }

    private static void executable(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** The real JDKs 17+ on this machine: the one running the tests and those in /usr/lib/jvm. */
    private static List<Path> realJdks() throws IOException {
        Set<Path> homes = new LinkedHashSet<>();
        homes.add(realJava.getParent().getParent());
        Path jvm = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvm)) {
            try (Stream<Path> entries = Files.list(jvm)) {
                for (Path home : entries.sorted().toList()) {
                    if (Files.isExecutable(home.resolve("bin/java")) && majorVersion(home) >= 17) {
                        homes.add(home.resolve("bin/java").toRealPath().getParent().getParent());
                    }
                }
            }
        }
        return List.copyOf(homes);
    }

    private static int majorVersion(Path home) throws IOException {
        Path release = home.resolve("release");
        if (!Files.exists(release)) {
            return 0;
        }
        for (String line : Files.readAllLines(release)) {
            if (line.startsWith("JAVA_VERSION=")) {
                String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                if (v.startsWith("1.")) {
                    v = v.substring(2);
                }
                return Integer.parseInt(v.split("[^0-9]", 2)[0]);
            }
        }
        return 0;
    }

    private static List<Path> archives(Path cache) throws IOException {
        Path dir = cache.resolve("tend");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".jsa") || p.toString().endsWith(".aot")).sorted().toList();
        }
    }

    private static boolean loadedFromArchive(Path classLog) throws IOException {
        return Files.readAllLines(classLog).stream()
                .anyMatch(l -> l.contains(MAIN + " source: shared objects file"));
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).toList();
        }
    }

    /** Every path under {@code root} (directories end in "/") with its mode and content digest. */
    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> result = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
                String mode = mode(perms);
                String rel = root.relativize(p).toString();
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    result.put(rel + "/", mode);
                } else {
                    result.put(rel, mode + " " + digest(p));
                }
            }
        }
        return result;
    }

    private static String mode(Set<PosixFilePermission> perms) {
        int mode = 0;
        for (PosixFilePermission perm : perms) {
            mode |= 1 << (8 - perm.ordinal());
        }
        return Integer.toOctalString(mode);
    }

    private static String digest(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
