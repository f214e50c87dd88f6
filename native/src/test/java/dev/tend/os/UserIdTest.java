package dev.tend.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class UserIdTest {
    @Test
    void shouldBeTheRealUidThatGetuidAndIdReport() throws Exception {
        assertEquals(LibC.getuid(), UserId.real());
        Process id = new ProcessBuilder("id", "-ru").start();
        String out = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(id.waitFor(30, TimeUnit.SECONDS));
        assertEquals(Integer.parseInt(out), UserId.real());
    }
}
