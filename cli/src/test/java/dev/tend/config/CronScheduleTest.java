package dev.tend.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cron parser on a corpus of expressions, each with the times it names after a given moment. */
class CronScheduleTest {
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    /** The next {@code count} times after {@code from} (local time in {@code zone}), as ISO offset date-times. */
    private static List<String> next(String expression, ZoneId zone, String from, int count) throws Exception {
        CronSchedule schedule = CronSchedule.parse(expression);
        ZonedDateTime t = LocalDateTime.parse(from).atZone(zone);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            t = schedule.next(t).orElseThrow();
            out.add(t.toOffsetDateTime().toString());
        }
        return out;
    }

    @Test
    void shouldReadRangesStepsListsAndNames() throws Exception {
        assertEquals(List.of("2026-03-02T10:01Z", "2026-03-02T10:02Z"), next("* * * * *", UTC, "2026-03-02T10:00:30", 2),
                "every minute, strictly after the moment, at whole minutes");
        assertEquals(List.of("2026-03-02T10:15Z", "2026-03-02T10:30Z", "2026-03-02T10:45Z", "2026-03-02T11:00Z"),
                next("*/15 * * * *", UTC, "2026-03-02T10:00", 4));
        assertEquals(List.of("2026-03-02T10:10Z", "2026-03-02T10:30Z", "2026-03-02T10:50Z", "2026-03-02T11:10Z"),
                next("10-59/20 * * * *", UTC, "2026-03-02T10:00", 4));
        assertEquals(List.of("2026-03-02T10:05Z", "2026-03-02T10:35Z", "2026-03-02T11:05Z"),
                next("5/30 * * * *", UTC, "2026-03-02T10:00", 3), "a/n: from a to the end of the range");
        assertEquals(List.of("2026-03-06T18:00Z", "2026-03-09T08:00Z"),
                next("0 8,18 * * mon,FRI", UTC, "2026-03-06T12:00", 2), "names of days, any case; 2026-03-06 is a Friday");
        assertEquals(List.of("2026-06-01T00:00Z", "2026-12-01T00:00Z", "2027-06-01T00:00Z"),
                next("0 0 1 JUN,dec *", UTC, "2026-03-02T00:00", 3));
        assertEquals(List.of("2026-03-08T12:00Z", "2026-03-15T12:00Z"), next("0 12 * * 7", UTC, "2026-03-02T00:00", 2),
                "7 is Sunday, as 0");
        assertEquals(List.of("2026-03-03T00:00Z", "2026-03-04T00:00Z"), next("@daily", UTC, "2026-03-02T10:00", 2));
        assertEquals(List.of("2026-03-02T11:00Z"), next("@hourly", UTC, "2026-03-02T10:00", 1));
        assertEquals(List.of("2026-03-08T00:00Z"), next("@weekly", UTC, "2026-03-02T10:00", 1));
        assertEquals(List.of("2026-04-01T00:00Z"), next("@monthly", UTC, "2026-03-02T10:00", 1));
        assertEquals(List.of("2027-01-01T00:00Z"), next("@yearly", UTC, "2026-03-02T10:00", 1));
    }

    @Test
    void shouldListEveryTimeOfAListOfRangesInOrder() throws Exception {
        assertEquals(List.of("2026-03-02T09:00Z", "2026-03-02T09:30Z", "2026-03-02T12:00Z", "2026-03-02T12:30Z",
                "2026-03-02T17:00Z"), next("0,30 9,12-13/3,17 * * *", UTC, "2026-03-02T08:00", 5),
                "12-13/3 is 12 alone");
    }

    @Test
    void shouldMatchEitherDayFieldWhenBothAreRestricted() throws Exception {
        // The 13th, or any Friday: 2026-03-06 and 2026-03-13 are Fridays, 2026-04-13 a Monday.
        assertEquals(List.of("2026-03-06T00:00Z", "2026-03-13T00:00Z", "2026-03-20T00:00Z", "2026-03-27T00:00Z",
                "2026-04-03T00:00Z", "2026-04-10T00:00Z", "2026-04-13T00:00Z"),
                next("0 0 13 * 5", UTC, "2026-03-02T00:00", 7));
        assertEquals(List.of("2026-03-06T00:00Z", "2026-03-13T00:00Z"), next("0 0 * * 5", UTC, "2026-03-02T00:00", 2),
                "day of month *: only the day of week counts");
        assertEquals(List.of("2026-03-13T00:00Z", "2026-04-13T00:00Z"), next("0 0 13 * *", UTC, "2026-03-02T00:00", 2),
                "day of week *: only the day of month counts");
        assertEquals(List.of("2026-03-06T00:00Z", "2026-03-13T00:00Z"), next("0 0 */1 * 5", UTC, "2026-03-02T00:00", 2),
                "a field starting with * is unrestricted, even with a step: the days must both match");
    }

    @Test
    void shouldFindFebruaryTheTwentyNinthInLeapYearsOnly() throws Exception {
        assertEquals(List.of("2028-02-29T12:00Z", "2032-02-29T12:00Z"), next("0 12 29 2 *", UTC, "2026-03-02T00:00", 2));
        assertEquals(List.of("2026-01-31T00:00Z", "2026-03-31T00:00Z", "2026-05-31T00:00Z"),
                next("0 0 31 * *", UTC, "2026-01-01T00:00", 3), "months without a 31st are passed over");
    }

    @Test
    void shouldFollowTheClockAcrossTheSpringForwardDayInBerlin() throws Exception {
        // 2026-03-29: at 02:00 CET the clocks go to 03:00 CEST; 02:00-02:59 does not exist.
        assertEquals(List.of("2026-03-29T01:45+01:00", "2026-03-29T03:00+02:00", "2026-03-29T03:15+02:00"),
                next("*/15 * * * *", BERLIN, "2026-03-29T01:30", 3), "a job every 15 min just goes on after the gap");
        assertEquals(List.of("2026-03-28T02:30+01:00", "2026-03-29T03:00+02:00", "2026-03-30T02:30+02:00"),
                next("30 2 * * *", BERLIN, "2026-03-28T00:00", 3),
                "a daily job at a time the change skips runs once, right after it");
        assertEquals(List.of("2026-03-29T01:30+01:00", "2026-03-29T03:30+02:00"),
                next("30 * * * *", BERLIN, "2026-03-29T01:00", 2), "with * hours, the skipped 02:30 is not made up");
    }

    @Test
    void shouldRunOnceOrTwiceInTheRepeatedHourOfTheFallBackDayInNewYork() throws Exception {
        // 2026-11-01: at 02:00 EDT the clocks go back to 01:00 EST; 01:00-01:59 happens twice.
        assertEquals(List.of("2026-10-31T01:30-04:00", "2026-11-01T01:30-04:00", "2026-11-02T01:30-05:00"),
                next("30 1 * * *", NEW_YORK, "2026-10-31T00:00", 3), "a job at a fixed hour runs once, at the first 01:30");
        assertEquals(List.of("2026-11-01T01:30-04:00", "2026-11-01T01:00-05:00", "2026-11-01T01:30-05:00",
                "2026-11-01T02:00-05:00"), next("0,30 * * * *", NEW_YORK, "2026-11-01T01:10", 4),
                "a job every half hour goes on through the repeated hour");
    }

    @Test
    void shouldSayWhichFieldIsWrongAndWhatItAllows() {
        assertMessage("* * * *", "has 4 fields; write five: minute hour day-of-month month day-of-week");
        assertMessage("61 * * * *", "minute field \"61\": 61 is out of range; minute takes 0-59");
        assertMessage("* 24 * * *", "hour field \"24\": 24 is out of range; hour takes 0-23");
        assertMessage("* * 0 * *", "day of month field \"0\": 0 is out of range; day of month takes 1-31");
        assertMessage("* * * 13 *", "month field \"13\": 13 is out of range; month takes 1-12 or JAN-DEC");
        assertMessage("* * * * 8", "day of week field \"8\": 8 is out of range; day of week takes 0-7 or SUN-SAT");
        assertMessage("* * * foo *", "month field \"foo\": \"foo\" is not a number or a name");
        assertMessage("*/0 * * * *", "minute field \"*/0\": a step must be at least 1");
        assertMessage("5-1 * * * *", "minute field \"5-1\": range 5-1 runs backwards");
        assertMessage("1,,2 * * * *", "minute field \"1,,2\" has an empty list element");
        assertMessage("0 0 30 2 *", "day of month 30 never occurs in month 2");
        assertMessage("@reboot", "unknown alias @reboot");
    }

    private static void assertMessage(String expression, String expected) {
        CronSchedule.Invalid e = assertThrows(CronSchedule.Invalid.class, () -> CronSchedule.parse(expression), expression);
        assertTrue(e.getMessage().contains(expected), expression + ": " + e.getMessage());
    }
}
