package dev.tend.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FdsTest {
    @TempDir
    Path dir;

    @Test
    void shouldReadAndWriteFromTheBufferPositionAndAdvanceIt() {
        Fds.Pipe pipe = Fds.pipe();
        try {
            ByteBuffer out = ByteBuffer.allocateDirect(16).put("..hello".getBytes(StandardCharsets.US_ASCII));
            out.flip().position(2);
            assertEquals(5, Fds.write(pipe.writeFd(), out));
            assertEquals(7, out.position());

            ByteBuffer in = ByteBuffer.allocate(16).position(3).limit(6);
            assertEquals(3, Fds.read(pipe.readFd(), in), "at most up to the limit");
            assertEquals(6, in.position());
            assertEquals("hel", new String(in.array(), 3, 3, StandardCharsets.US_ASCII));
            assertEquals(0, Fds.read(pipe.readFd(), in), "no room left reads nothing");
            assertEquals(2, Fds.read(pipe.readFd(), in.clear()));

            Fds.setNonBlocking(pipe.readFd());
            assertEquals(Fds.AGAIN, Fds.read(pipe.readFd(), in.clear()));
            Fds.close(pipe.writeFd());
            assertEquals(0, Fds.read(pipe.readFd(), in.clear()), "end of file");
        } finally {
            Fds.close(pipe.readFd());
            Fds.close(pipe.writeFd());
        }
    }

    @Test
    void shouldReportAFullPipeAndAGoneReader() {
        Fds.Pipe pipe = Fds.pipe();
        try {
            Fds.setNonBlocking(pipe.writeFd());
            ByteBuffer chunk = ByteBuffer.allocateDirect(64 * 1024);
            int n;
            while ((n = Fds.write(pipe.writeFd(), chunk.clear())) > 0) {
                // fill the pipe
            }
            assertEquals(Fds.AGAIN, n);
            Fds.close(pipe.readFd());
            NativeException e = assertThrows(NativeException.class, () -> Fds.write(pipe.writeFd(), chunk.clear()));
            assertEquals(Errno.EPIPE, e.errno());
        } finally {
            Fds.close(pipe.readFd());
            Fds.close(pipe.writeFd());
        }
    }

    @Test
    void shouldOpenOrCreateALockFileAndKeepAnExistingOnesContent() throws Exception {
        Path file = dir.resolve("lock");
        int fd = Fds.openOrCreate(file, 0600);
        Fds.close(fd);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        Files.writeString(file, "1234\n");
        fd = Fds.openOrCreate(file, 0644);
        try {
            ByteBuffer in = ByteBuffer.allocate(16);
            assertEquals(5, Fds.read(fd, in));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
                    "an existing file keeps its mode");
        } finally {
            Fds.close(fd);
        }
    }

    @Test
    void shouldCreateOnlyANewFileAndOpenOnlyAnExistingOne() throws Exception {
        Path file = dir.resolve("state");
        NativeException missing = assertThrows(NativeException.class, () -> Fds.openReadWrite(file));
        assertEquals(Errno.ENOENT, missing.errno());
        assertEquals("open " + file + ": ENOENT (No such file or directory)", missing.getMessage());

        Fds.close(Fds.createNew(file, 0600));
        NativeException exists = assertThrows(NativeException.class, () -> Fds.createNew(file, 0600));
        assertEquals(Errno.EEXIST, exists.errno());

        Path link = dir.resolve("link");
        Files.createSymbolicLink(link, dir.resolve("elsewhere"));
        assertEquals(Errno.EEXIST, assertThrows(NativeException.class, () -> Fds.createNew(link, 0600)).errno(),
                "a symbolic link is not followed");
        assertEquals(false, Files.exists(dir.resolve("elsewhere")));
        Fds.close(Fds.openReadWrite(file));
    }

    @Test
    void shouldTellTerminalsFromOtherDescriptorsAsIsattyDoes() throws IOException {
        Fds.Pipe pipe = Fds.pipe();
        int nul = Fds.openReadWrite(Path.of("/dev/null"));
        Path file = Files.writeString(dir.resolve("plain"), "x");
        int plain = Fds.openReadWrite(file);
        List<Integer> fds = new ArrayList<>(List.of(pipe.readFd(), pipe.writeFd(), nul, plain));
        int master = -1;
        if (Files.isReadable(Path.of("/dev/ptmx"))) {
            // A pseudo-terminal's master side is a terminal too (isatty says so).
            master = Fds.openReadWrite(Path.of("/dev/ptmx"));
            fds.add(master);
        }
        try {
            for (int fd : fds) {
                assertEquals(LibC.isatty(fd) == 1, Fds.isTerminal(fd), "fd " + fd + " -> "
                        + Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)));
            }
            if (master >= 0) {
                assertTrue(Fds.isTerminal(master));
            }
            assertFalse(Fds.isTerminal(1_000_000), "a descriptor that is not open");
        } finally {
            for (int fd : fds) {
                Fds.close(fd);
            }
        }
    }

    @Test
    void shouldSeeThePseudoTerminalThatScriptGivesAProgram() throws Exception {
        Path script = Path.of("/usr/bin/script");
        assumeTrue(Files.isExecutable(script), "needs script(1) from util-linux");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String libraryPath = System.getProperty("jna.platform.library.path", "");
        String probe = java + " -cp " + System.getProperty("java.class.path")
                + (libraryPath.isEmpty() ? "" : " -Djna.platform.library.path=" + libraryPath)
                + (Runtime.version().feature() >= 22 ? " --enable-native-access=ALL-UNNAMED" : "")
                + " " + TerminalProbe.class.getName() + " 2>" + dir.resolve("stderr");
        Process process = new ProcessBuilder(script.toString(), "-qec", probe, "/dev/null")
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), out);
        assertTrue(out.contains("stdout=true isatty=true stderr=false isatty=false"), out);
    }
}
