package dev.tend.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tend.text.Human;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void shouldParseUnitsAndCompounds() {
        assertEquals(Duration.ofMillis(250), Durations.parse("250ms"));
        assertEquals(Duration.ofSeconds(5), Durations.parse("5s"));
        assertEquals(Duration.ofMinutes(2), Durations.parse("2m"));
        assertEquals(Duration.ofHours(1), Durations.parse("1h"));
        assertEquals(Duration.ofSeconds(90), Durations.parse("1m30s"));
        assertEquals(Duration.ofMillis(1500), Durations.parse("1.5s"));
    }

    @Test
    void shouldRejectBadInput() {
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("5"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("five seconds"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse(""));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("5s "+"x"));
    }

    @Test
    void shouldTakeAtMostAYear() {
        assertEquals(Duration.ofDays(365), Durations.parse("8760h"));
        assertEquals(Duration.ofDays(365), Durations.parse("8759h60m"));
        for (String tooLong : new String[] {"8760h1ms", "2562047h", "99999999999999999h", "1" + "0".repeat(400) + "h",
            "8000h".repeat(2000)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(tooLong));
            assertEquals("duration \"" + tooLong + "\" is too long; durations are 0 to 8760h (365 days)", e.getMessage());
        }
    }

    @Test
    void shouldFormatRoundTrip() {
        for (String s : new String[] {"250ms", "5s", "2m", "1h", "1m30s", "1.5s", "0s"}) {
            assertEquals(s, Human.duration(Durations.parse(s)));
        }
    }
}
