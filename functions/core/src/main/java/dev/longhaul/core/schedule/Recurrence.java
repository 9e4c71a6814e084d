package dev.longhaul.core.schedule;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a recurring schedule ticks: a five-field cron expression ({@code minute hour
 * day-of-month month day-of-week}, as crontab(5) reads it: {@code *}, lists, ranges, steps,
 * month and day names, Sunday as 0 or 7, and a day that matches when either day field does if
 * both are restricted) evaluated on the wall clock of a time zone, or a rate ({@code "15
 * minutes"}) counted from an anchor.
 *
 * <p>On the wall clock, a tick that falls in a daylight-saving gap happens at the first instant
 * after it, and a minute that repeats when clocks go back ticks once.
 */
public final class Recurrence {
    private static final Pattern RATE = Pattern.compile("^([1-9][0-9]{0,5}) (second|seconds|minute|minutes|hour|hours|day|days)$");
    private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP",
            "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
    /** How far ahead a cron expression is searched for its next tick before deciding there is none. */
    private static final int SEARCH_YEARS = 5;
    /** The most ticks a catch-up walks over to find the latest due one. */
    private static final int MAX_CATCH_UP = 1_000_000;

    private final String text;
    private final ZoneId zone;
    private final Duration period;
    private final Instant anchor;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean anyDayOfMonth;
    private final boolean anyDayOfWeek;

    private Recurrence(String text, ZoneId zone, Duration period, Instant anchor, String[] cron) {
        this.text = text;
        this.zone = zone;
        this.period = period;
        this.anchor = anchor;
        if (cron == null) {
            minutes = hours = daysOfMonth = months = daysOfWeek = null;
            anyDayOfMonth = anyDayOfWeek = false;
            return;
        }
        minutes = field(cron[0], 0, 59, List.of(), "minute");
        hours = field(cron[1], 0, 23, List.of(), "hour");
        daysOfMonth = field(cron[2], 1, 31, List.of(), "day of month");
        months = field(cron[3], 1, 12, MONTHS, "month");
        BitSet days = field(cron[4], 0, 7, DAYS, "day of week");
        if (days.get(7)) {
            days.set(0);
        }
        daysOfWeek = days;
        anyDayOfMonth = cron[2].startsWith("*");
        anyDayOfWeek = cron[4].startsWith("*");
    }

    /**
     * A cron expression on the wall clock of {@code zone}.
     *
     * @throws IllegalArgumentException naming what is wrong, also when it never ticks
     */
    public static Recurrence cron(String expression, ZoneId zone) {
        String[] fields = expression.trim().split("\\s+");
        if (fields.length != 5) {
            throw new IllegalArgumentException("must have 5 fields: minute hour day-of-month month day-of-week");
        }
        Recurrence recurrence = new Recurrence(expression.trim(), zone, null, null, fields);
        if (recurrence.next(Instant.EPOCH.plus(Duration.ofDays(365L * 56))).isEmpty()) {
            throw new IllegalArgumentException("never ticks");
        }
        return recurrence;
    }

    /**
     * A rate such as {@code "15 minutes"}, ticking every period from {@code anchor} on.
     *
     * @param shortest the shortest period allowed
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Recurrence rate(String text, Instant anchor, Duration shortest) {
        Matcher m = RATE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("must be a count and a unit, such as \"15 minutes\" (second, minute, hour or day)");
        }
        long count = Long.parseLong(m.group(1));
        ChronoUnit unit = switch (m.group(2).replaceAll("s$", "")) {
            case "second" -> ChronoUnit.SECONDS;
            case "minute" -> ChronoUnit.MINUTES;
            case "hour" -> ChronoUnit.HOURS;
            default -> ChronoUnit.DAYS;
        };
        Duration period = Duration.of(count, unit);
        if (period.compareTo(shortest) < 0) {
            throw new IllegalArgumentException("must be at least " + shortest.toSeconds() + " seconds");
        }
        if (period.compareTo(Duration.ofDays(366)) > 0) {
            throw new IllegalArgumentException("must be at most 366 days");
        }
        return new Recurrence(text, ZoneId.of("UTC"), period, anchor, null);
    }

    /** The first tick strictly after {@code after}; empty when there is none within five years. */
    public Optional<Instant> next(Instant after) {
        if (period != null) {
            long periods = after.isBefore(anchor) ? 0 : Duration.between(anchor, after).toMillis() / period.toMillis() + 1;
            return Optional.of(anchor.plus(period.multipliedBy(periods)));
        }
        LocalDateTime candidate = LocalDateTime.ofInstant(after, zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        LocalDateTime limit = candidate.plusYears(SEARCH_YEARS);
        while (candidate.isBefore(limit)) {
            if (!months.get(candidate.getMonthValue())) {
                candidate = candidate.withDayOfMonth(1).withHour(0).withMinute(0).plusMonths(1);
            } else if (!dayMatches(candidate)) {
                candidate = candidate.withHour(0).withMinute(0).plusDays(1);
            } else if (!hours.get(candidate.getHour())) {
                candidate = candidate.withMinute(0).plusHours(1);
            } else if (!minutes.get(candidate.getMinute())) {
                candidate = candidate.plusMinutes(1);
            } else {
                Instant instant = candidate.atZone(zone).toInstant();
                if (instant.isAfter(after)) {
                    return Optional.of(instant);
                }
                candidate = candidate.plusMinutes(1); // the repeated hour of a change back: once is enough
            }
        }
        return Optional.empty();
    }

    /**
     * The latest tick at or before {@code now}, starting from a due tick {@code due}: ticks missed
     * meanwhile are walked over (and skipped by the caller).
     */
    public Instant latestDue(Instant due, Instant now) {
        if (period != null) {
            long periods = Duration.between(anchor, now).toMillis() / period.toMillis();
            Instant latest = anchor.plus(period.multipliedBy(Math.max(0, periods)));
            return latest.isBefore(due) ? due : latest;
        }
        Instant tick = due;
        for (int i = 0; i < MAX_CATCH_UP; i++) {
            Optional<Instant> next = next(tick);
            if (next.isEmpty() || next.get().isAfter(now)) {
                break;
            }
            tick = next.get();
        }
        return tick;
    }

    private boolean dayMatches(LocalDateTime time) {
        int dayOfWeek = time.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : time.getDayOfWeek().getValue();
        boolean dom = daysOfMonth.get(time.getDayOfMonth());
        boolean dow = daysOfWeek.get(dayOfWeek);
        if (anyDayOfMonth && anyDayOfWeek) {
            return true;
        }
        if (anyDayOfMonth) {
            return dow;
        }
        if (anyDayOfWeek) {
            return dom;
        }
        return dom || dow;
    }

    private static BitSet field(String field, int min, int max, List<String> names, String what) {
        BitSet values = new BitSet(max + 1);
        for (String part : field.split(",", -1)) {
            String item = part.toUpperCase(Locale.ROOT);
            try {
                int step = 1;
                int slash = item.indexOf('/');
                if (slash >= 0) {
                    step = Integer.parseInt(item.substring(slash + 1));
                    item = item.substring(0, slash);
                }
                int from;
                int to;
                if (item.equals("*")) {
                    from = min;
                    to = max;
                } else if (item.contains("-")) {
                    String[] range = item.split("-", 2);
                    from = value(range[0], names, min);
                    to = value(range[1], names, min);
                } else {
                    from = value(item, names, min);
                    to = slash >= 0 ? max : from;
                }
                if (from < min || to > max || from > to || step <= 0) {
                    throw new IllegalArgumentException(what + " " + field + " is out of range " + min + "-" + max);
                }
                for (int value = from; value <= to; value += step) {
                    values.set(value);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(what + " " + field + " is not a number, range, list or step");
            }
        }
        return values;
    }

    private static int value(String item, List<String> names, int min) {
        int named = names.indexOf(item);
        return named >= 0 ? named + min : Integer.parseInt(item);
    }

    @Override
    public String toString() {
        return text;
    }
}
