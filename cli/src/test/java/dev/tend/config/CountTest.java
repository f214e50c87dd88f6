package dev.tend.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** One reading of a count, for {@code count} in the file and {@code tend scale}. */
class CountTest {
    @Test
    void shouldReadNumbersAndShares() {
        assertEquals(new Count.Fixed(4), Count.parse("4", Count.FEWEST_DECLARED));
        assertEquals(new Count.Fixed(10_000), Count.parse(" 10000 ", Count.FEWEST_DECLARED));
        assertEquals(new Count.Fixed(0), Count.parse("0", Count.FEWEST_SCALED));
        assertEquals(new Count.CpuShare(50), Count.parse("50%", Count.FEWEST_SCALED));
        assertEquals(new Count.CpuShare(10_000), Count.parse("10000%", Count.FEWEST_DECLARED));
        assertEquals(new Count.Fixed(3), Count.workers(3, Count.FEWEST_DECLARED));
    }

    @Test
    void shouldResolveSharesToAtLeastOne() {
        assertEquals(4, Count.parse("50%", 1).resolve(8));
        assertEquals(1, Count.parse("1%", 1).resolve(8));
        assertEquals(16, Count.parse("200%", 1).resolve(8));
    }

    @Test
    void shouldSayWhatIsWrong() {
        Count.Invalid zero = assertThrows(Count.Invalid.class, () -> Count.parse("0", Count.FEWEST_DECLARED));
        assertEquals("must be between 1 and 10000 (got 0)", zero.getMessage());
        assertFalse(zero.malformed());
        assertEquals("must be between 0 and 10000 (got 10001)",
                assertThrows(Count.Invalid.class, () -> Count.parse("10001", Count.FEWEST_SCALED)).getMessage());
        assertEquals("must be between 0 and 10000 (got 99999999999999999999)",
                assertThrows(Count.Invalid.class, () -> Count.parse("99999999999999999999", 0)).getMessage());
        assertEquals("must be between 1 and 10000 (got -1)",
                assertThrows(Count.Invalid.class, () -> Count.workers(-1, Count.FEWEST_DECLARED)).getMessage());
        assertEquals("a share of processors must be between 1% and 10000% (got 0%)",
                assertThrows(Count.Invalid.class, () -> Count.parse("0%", Count.FEWEST_SCALED)).getMessage());
        for (String text : new String[] {"lots", "", "%", "-1", "+4", "4.5", "50 %", "0x10"}) {
            Count.Invalid e = assertThrows(Count.Invalid.class, () -> Count.parse(text, Count.FEWEST_SCALED), text);
            assertTrue(e.malformed(), text);
            assertEquals("give a number of workers (0 to 10000) or a share of the processors such as 50%", e.getMessage());
        }
    }
}
