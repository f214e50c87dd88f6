package dev.tend.config;

import java.time.DayOfWeek;
import java.time.Month;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A five-field cron expression ({@code minute hour day-of-month month day-of-week}) and the times it names. Each
 * field is {@code *}, a number, a range {@code a-b}, a step <code>&#42;/n</code>, {@code a-b/n} or {@code a/n} (from
 * {@code a} to the end of the field's range), or a list of those separated by commas; months and days of the week
 * may be written as names ({@code JAN}, {@code MON}), and day of the week 7 is Sunday like 0. The aliases
 * {@code @yearly} ({@code @annually}), {@code @monthly}, {@code @weekly}, {@code @daily} ({@code @midnight}) and
 * {@code @hourly} stand for their usual expressions.
 *
 * <p>As in Vixie cron, when both day fields are restricted (neither starts with {@code *}) a day matches if
 * either matches; otherwise both must.
 *
 * <p>Days when the clocks change ({@link #next}): the times are read in the zone's local time. A time skipped by a
 * change forward (02:30 on the night the clocks go from 02:00 to 03:00) runs at the first instant after the skip
 * if the hour field is restricted; with {@code *} in the hour field the clock's own times are simply followed. A
 * time that happens twice (clocks back from 03:00 to 02:00) runs once, at its first occurrence, if the hour field
 * is restricted; with {@code *} it runs at both (a job every 15 minutes goes on every 15 minutes).
 */
public final class CronSchedule {
    private static final Map<String, String> ALIASES = Map.of(
            "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");
    private static final List<String> MONTHS =
            List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
    /** How far {@link #next} looks: further than any expression that can match at all (Feb 29 is every 4–8 years). */
    private static final int SEARCH_YEARS = 9;

    private final String text;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean domRestricted;
    private final boolean dowRestricted;
    private final boolean hourRestricted;

    /** An expression that cannot be read: which field is wrong, and what it allows. */
    public static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message);
        }
    }

    private record Field(String name, int min, int max, List<String> names, int nameBase) {
        String allowed() {
            return name + " takes " + min + "-" + max + (names.isEmpty() ? ""
                    : " or " + names.get(0) + "-" + names.get(names.size() - 1)) + ", *, lists (a,b), ranges (a-b) and"
                    + " steps (*/n, a-b/n)";
        }
    }

    private static final Field MINUTE = new Field("minute", 0, 59, List.of(), 0);
    private static final Field HOUR = new Field("hour", 0, 23, List.of(), 0);
    private static final Field DAY_OF_MONTH = new Field("day of month", 1, 31, List.of(), 0);
    private static final Field MONTH = new Field("month", 1, 12, MONTHS, 1);
    private static final Field DAY_OF_WEEK = new Field("day of week", 0, 7, DAYS, 0);

    private CronSchedule(String text, String[] fields) throws Invalid {
        this.text = text;
        minutes = parse(fields[0], MINUTE);
        hours = parse(fields[1], HOUR);
        daysOfMonth = parse(fields[2], DAY_OF_MONTH);
        months = parse(fields[3], MONTH);
        BitSet dow = parse(fields[4], DAY_OF_WEEK);
        if (dow.get(7)) {
            dow.set(0);
            dow.clear(7);
        }
        daysOfWeek = dow;
        hourRestricted = !fields[1].startsWith("*");
        domRestricted = !fields[2].startsWith("*");
        dowRestricted = !fields[4].startsWith("*");
        if (domRestricted && !dowRestricted && !anyDayExists()) {
            throw new Invalid("day of month " + fields[2] + " never occurs in month " + fields[3]
                    + ": no month chosen has that many days");
        }
    }

    /** Reads an expression: five fields separated by spaces, or an alias such as {@code @daily}. */
    public static CronSchedule parse(String text) throws Invalid {
        String trimmed = text.strip();
        String expanded = trimmed.startsWith("@") ? ALIASES.get(trimmed.toLowerCase(Locale.ROOT)) : trimmed;
        if (expanded == null) {
            throw new Invalid("unknown alias " + trimmed + "; use @yearly, @monthly, @weekly, @daily or @hourly,"
                    + " or five fields");
        }
        String[] fields = expanded.isEmpty() ? new String[0] : expanded.split("\\s+");
        if (fields.length != 5) {
            throw new Invalid("has " + fields.length + " field" + (fields.length == 1 ? "" : "s") + "; write five:"
                    + " minute hour day-of-month month day-of-week, e.g. \"*/5 * * * *\" (or an alias such as @hourly)");
        }
        return new CronSchedule(trimmed, fields);
    }

    private static BitSet parse(String field, Field f) throws Invalid {
        BitSet set = new BitSet(f.max + 1);
        for (String part : field.split(",", -1)) {
            if (part.isEmpty()) {
                throw new Invalid(f.name + " field \"" + field + "\" has an empty list element; " + f.allowed());
            }
            int step = 1;
            String range = part;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                range = part.substring(0, slash);
                step = number(part.substring(slash + 1), field, f, false);
                if (step < 1) {
                    throw new Invalid(f.name + " field \"" + field + "\": a step must be at least 1; " + f.allowed());
                }
            }
            int from;
            int to;
            if (range.equals("*")) {
                from = f.min;
                to = f.max == 7 ? 6 : f.max;
            } else {
                int dash = range.indexOf('-');
                if (dash > 0) {
                    from = number(range.substring(0, dash), field, f, true);
                    to = number(range.substring(dash + 1), field, f, true);
                    if (to < from) {
                        throw new Invalid(f.name + " field \"" + field + "\": range " + range + " runs backwards; "
                                + f.allowed());
                    }
                } else {
                    from = number(range, field, f, true);
                    to = slash >= 0 ? (f.max == 7 ? 6 : f.max) : from;
                }
            }
            for (int v = from; v <= to; v += step) {
                set.set(v);
            }
        }
        return set;
    }

    private static int number(String token, String field, Field f, boolean inRange) throws Invalid {
        int value;
        int named = f.names.indexOf(token.toUpperCase(Locale.ROOT));
        if (named >= 0 && inRange) {
            value = named + f.nameBase;
        } else {
            try {
                value = Integer.parseInt(token);
            } catch (NumberFormatException e) {
                throw new Invalid(f.name + " field \"" + field + "\": \"" + token + "\" is not a number"
                        + (f.names.isEmpty() || !inRange ? "" : " or a name") + "; " + f.allowed());
            }
        }
        if (inRange && (value < f.min || value > f.max)) {
            throw new Invalid(f.name + " field \"" + field + "\": " + value + " is out of range; " + f.allowed());
        }
        return value;
    }

    private boolean anyDayExists() {
        for (int m = months.nextSetBit(1); m >= 0; m = months.nextSetBit(m + 1)) {
            int longest = Month.of(m).maxLength();
            if (daysOfMonth.nextSetBit(1) <= longest) {
                return true;
            }
        }
        return false;
    }

    /**
     * The first time after {@code after} (strictly, at a whole minute) that the expression names, in
     * {@code after}'s zone; empty only if none comes within {@value #SEARCH_YEARS} years.
     */
    public Optional<ZonedDateTime> next(ZonedDateTime after) {
        ZoneRules rules = after.getZone().getRules();
        ZonedDateTime limit = after.plusYears(SEARCH_YEARS);
        // Minutes and hours are added on the instant time line, so a repeated hour is visited twice, a skipped one never.
        ZonedDateTime t = after.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        while (t.isBefore(limit)) {
            if (!months.get(t.getMonthValue())) {
                t = t.toLocalDate().withDayOfMonth(1).plusMonths(1).atStartOfDay(t.getZone());
                continue;
            }
            if (!dayMatches(t)) {
                t = t.toLocalDate().plusDays(1).atStartOfDay(t.getZone());
                continue;
            }
            if (hourRestricted && skippedTimeDue(t, rules)) {
                return Optional.of(t);
            }
            if (!hours.get(t.getHour())) {
                t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
                continue;
            }
            if (!minutes.get(t.getMinute())) {
                t = t.plusMinutes(1);
                continue;
            }
            if (hourRestricted && !t.withEarlierOffsetAtOverlap().equals(t)) {
                // The second occurrence of a repeated local time: a job at a fixed hour ran at the first.
                t = t.plusMinutes(1);
                continue;
            }
            return Optional.of(t);
        }
        return Optional.empty();
    }

    /** {@code t} is the first instant after a change forward, and a time the expression names was skipped by it. */
    private boolean skippedTimeDue(ZonedDateTime t, ZoneRules rules) {
        ZoneOffsetTransition transition = rules.previousTransition(t.toInstant().plusNanos(1));
        if (transition == null || !transition.isGap() || !transition.getInstant().equals(t.toInstant())) {
            return false;
        }
        for (var local = transition.getDateTimeBefore(); local.isBefore(transition.getDateTimeAfter());
                local = local.plusMinutes(1)) {
            if (hours.get(local.getHour()) && minutes.get(local.getMinute()) && months.get(local.getMonthValue())
                    && dayMatches(local.toLocalDate().atStartOfDay(t.getZone()))) {
                return true;
            }
        }
        return false;
    }

    private boolean dayMatches(ZonedDateTime t) {
        boolean dom = daysOfMonth.get(t.getDayOfMonth());
        boolean dow = daysOfWeek.get(t.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : t.getDayOfWeek().getValue());
        if (domRestricted && dowRestricted) {
            return dom || dow;
        }
        return dom && dow;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CronSchedule other && other.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /** The expression as written. */
    @Override
    public String toString() {
        return text;
    }
}
