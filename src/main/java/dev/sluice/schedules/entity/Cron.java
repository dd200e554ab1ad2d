package dev.sluice.schedules.entity;

import dev.sluice.platform.entity.InvalidInput;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * A schedule's {@code Upstash-Cron}: five fields (minute, hour, day of month, month, day of week) with {@code *},
 * numbers, ranges {@code a-b}, steps {@code * /n} and {@code a-b/n}, lists {@code a,b}, month and day names
 * ({@code JAN}, {@code MON}), day of week 0-7 (0 and 7 are Sunday), and an optional {@code CRON_TZ=Area/City }
 * prefix (UTC otherwise). As in Vixie cron, when both day fields are restricted a day matches either.
 */
public final class Cron {

    private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP",
            "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
    /** a schedule that does not fire within this many years never fires (e.g. 30 2 31 2 *) */
    private static final int HORIZON_YEARS = 8;

    private final String text;
    private final ZoneId zone;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean anyDayOfMonth;
    private final boolean anyDayOfWeek;

    private Cron(String text, ZoneId zone, String[] fields) {
        this.text = text;
        this.zone = zone;
        this.minutes = field(fields[0], 0, 59, List.of(), "minute");
        this.hours = field(fields[1], 0, 23, List.of(), "hour");
        this.daysOfMonth = field(fields[2], 1, 31, List.of(), "day of month");
        this.months = field(fields[3], 1, 12, MONTHS, "month");
        BitSet days = field(fields[4], 0, 7, DAYS, "day of week");
        if (days.get(7)) {
            days.set(0);
        }
        this.daysOfWeek = days;
        this.anyDayOfMonth = fields[2].startsWith("*");
        this.anyDayOfWeek = fields[4].startsWith("*");
    }

    public static Cron parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidInput("Upstash-Cron is required, e.g. \"*/5 * * * *\"");
        }
        String expression = text.strip();
        ZoneId zone = ZoneOffset.UTC;
        if (expression.startsWith("CRON_TZ=") || expression.startsWith("TZ=")) {
            int space = expression.indexOf(' ');
            String zoneId = expression.substring(expression.indexOf('=') + 1, space < 0 ? expression.length() : space);
            try {
                zone = ZoneId.of(zoneId);
            } catch (DateTimeException e) {
                throw new InvalidInput("Upstash-Cron: unknown time zone \"" + zoneId + "\"");
            }
            expression = space < 0 ? "" : expression.substring(space + 1).strip();
        }
        String[] fields = expression.split("\\s+");
        if (fields.length != 5) {
            throw new InvalidInput("Upstash-Cron: expected 5 fields (minute hour day-of-month month day-of-week), got \""
                    + text + "\"");
        }
        Cron cron = new Cron(text.strip(), zone, fields);
        cron.next(Instant.EPOCH.plus(365L * 30, ChronoUnit.DAYS)); // rejects expressions that never fire
        return cron;
    }

    public String text() {
        return text;
    }

    /** The first firing strictly after {@code after}, at a whole minute. */
    public Instant next(Instant after) {
        ZonedDateTime t = after.atZone(zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        ZonedDateTime limit = t.plusYears(HORIZON_YEARS);
        while (t.isBefore(limit)) {
            if (!months.get(t.getMonthValue())) {
                t = t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
            } else if (!dayMatches(t)) {
                t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
            } else if (!hours.get(t.getHour())) {
                t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
            } else if (!minutes.get(t.getMinute())) {
                t = t.plusMinutes(1);
            } else {
                return t.toInstant();
            }
        }
        throw new InvalidInput("Upstash-Cron: \"" + text + "\" never fires");
    }

    private boolean dayMatches(ZonedDateTime t) {
        boolean dom = daysOfMonth.get(t.getDayOfMonth());
        boolean dow = daysOfWeek.get(t.getDayOfWeek().getValue() % 7);
        if (anyDayOfMonth || anyDayOfWeek) {
            return dom && dow;
        }
        return dom || dow;
    }

    private static BitSet field(String text, int min, int max, List<String> names, String what) {
        BitSet set = new BitSet(max + 1);
        for (String part : text.split(",", -1)) {
            String range = part;
            int step = 1;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                step = number(part.substring(slash + 1), 1, max, List.of(), what);
                range = part.substring(0, slash);
            }
            int from;
            int to;
            if (range.equals("*")) {
                from = min;
                to = max;
            } else if (range.contains("-")) {
                String[] ends = range.split("-", -1);
                if (ends.length != 2) {
                    throw invalid(what, part);
                }
                from = number(ends[0], min, max, names, what);
                to = number(ends[1], min, max, names, what);
                if (from > to) {
                    throw invalid(what, part);
                }
            } else {
                from = number(range, min, max, names, what);
                to = slash >= 0 ? max : from;
            }
            for (int value = from; value <= to; value += step) {
                set.set(value);
            }
        }
        return set;
    }

    private static int number(String text, int min, int max, List<String> names, String what) {
        int named = names.indexOf(text.toUpperCase(Locale.ROOT));
        if (named >= 0) {
            return named + (names.size() == 12 ? 1 : 0);
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw invalid(what, text);
    }

    private static InvalidInput invalid(String what, String text) {
        return new InvalidInput("Upstash-Cron: invalid " + what + " \"" + text + "\"");
    }

    @Override
    public String toString() {
        return text;
    }
}
