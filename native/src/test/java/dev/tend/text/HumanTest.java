package dev.tend.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HumanTest {
    @Test
    void durationsAreExactInTheConfigurationsSyntax() {
        assertEquals("0s", Human.duration(Duration.ZERO));
        assertEquals("0s", Human.duration(Duration.ofNanos(999_999)), "under a millisecond");
        assertEquals("250ms", Human.duration(Duration.ofMillis(250)));
        assertEquals("5s", Human.duration(Duration.ofSeconds(5)));
        assertEquals("1.5s", Human.duration(Duration.ofMillis(1500)));
        assertEquals("61.5s", Human.duration(Duration.ofMillis(61_500)), "a fraction stays in seconds");
        assertEquals("2m", Human.duration(Duration.ofMinutes(2)));
        assertEquals("1m30s", Human.duration(Duration.ofSeconds(90)));
        assertEquals("1h", Human.duration(Duration.ofHours(1)));
        assertEquals("2h1m5s", Human.duration(Duration.ofSeconds(7265)));
    }

    @Test
    void elapsedTimesAreRoundedDownForAGlance() {
        assertEquals("0ms", Human.elapsed(Duration.ZERO));
        assertEquals("850ms", Human.elapsed(Duration.ofMillis(850)));
        assertEquals("1s", Human.elapsed(Duration.ofMillis(1999)));
        assertEquals("3m5s", Human.elapsed(Duration.ofMillis(185_400)));
        assertEquals("59m59s", Human.elapsed(Duration.ofSeconds(3599)));
        assertEquals("2h1m", Human.elapsed(Duration.ofSeconds(7265)));
    }

    @Test
    void sizesReadNaturally() {
        assertEquals("0 bytes", Human.bytes(0));
        assertEquals("1 byte", Human.bytes(1));
        assertEquals("1023 bytes", Human.bytes(1023));
        assertEquals("1 KiB", Human.bytes(1024));
        assertEquals("1.5 KiB", Human.bytes(1536));
        assertEquals("1 MiB", Human.bytes((1L << 20) + 1), "rounded to a tenth");
        assertEquals("64 MiB", Human.bytes(64L << 20));
        assertEquals("2 GiB", Human.bytes(Integer.MAX_VALUE));
        assertEquals("2048 GiB", Human.bytes(2048L << 30), "GiB is the largest unit");
    }
}
