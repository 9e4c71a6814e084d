package dev.longhaul.local;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An EventBridge schedule expression: {@code rate(5 minutes)}, {@code cron(0 12 * * ? *)} (minutes,
 * hours, day of month, month, day of week 1-7 = SUN-SAT, year) or Scheduler's one-time
 * {@code at(2026-11-25T08:00:00)}. The cron special characters {@code L}, {@code W} and {@code #}
 * are not supported locally and are rejected when read.
 */
final class ScheduleExpression {

    private static final Pattern RATE = Pattern.compile("rate\\(\\s*(\\d+)\\s+(minute|minutes|hour|hours|day|days)\\s*\\)");
    private static final Pattern CRON = Pattern.compile("cron\\((.*)\\)");
    private static final Pattern AT = Pattern.compile("at\\((\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2})\\)");
    private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP",
            "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
    /** How far ahead {@link #next} looks for a cron match before deciding there is none. */
    private static final int SEARCH_YEARS = 5;

    private final String text;
    private final Duration rate;
    private final Instant at;
    private final ZoneId zone;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final BitSet years;
    private final boolean anyDayOfMonth;
    private final boolean anyDayOfWeek;

    private ScheduleExpression(String text, Duration rate, Instant at, ZoneId zone, String[] cron) {
        this.text = text;
        this.rate = rate;
        this.at = at;
        this.zone = zone;
        if (cron == null) {
            minutes = hours = daysOfMonth = months = daysOfWeek = years = null;
            anyDayOfMonth = anyDayOfWeek = false;
            return;
        }
        minutes = field(cron[0], 0, 59, List.of(), "minutes");
        hours = field(cron[1], 0, 23, List.of(), "hours");
        daysOfMonth = field(cron[2], 1, 31, List.of(), "day-of-month");
        months = field(cron[3], 1, 12, MONTHS, "month");
        daysOfWeek = field(cron[4], 1, 7, DAYS, "day-of-week");
        years = field(cron[5], 1970, 2199, List.of(), "year");
        anyDayOfMonth = cron[2].equals("?") || cron[2].equals("*");
        anyDayOfWeek = cron[4].equals("?") || cron[4].equals("*");
        if (!cron[2].equals("?") && !cron[4].equals("?")) {
            throw new IllegalArgumentException(text + ": one of day-of-month and day-of-week must be ?");
        }
    }

    static ScheduleExpression parse(String expression, ZoneId zone) {
        String text = expression.trim();
        Matcher rate = RATE.matcher(text);
        if (rate.matches()) {
            long value = Long.parseLong(rate.group(1));
            if (value <= 0) {
                throw new IllegalArgumentException(text + ": a rate must be positive");
            }
            ChronoUnit unit = rate.group(2).startsWith("minute") ? ChronoUnit.MINUTES
                    : rate.group(2).startsWith("hour") ? ChronoUnit.HOURS : ChronoUnit.DAYS;
            return new ScheduleExpression(text, Duration.of(value, unit), null, zone, null);
        }
        Matcher at = AT.matcher(text);
        if (at.matches()) {
            return new ScheduleExpression(text, null, LocalDateTime.parse(at.group(1)).atZone(zone).toInstant(), zone, null);
        }
        Matcher cron = CRON.matcher(text);
        if (cron.matches()) {
            String[] fields = cron.group(1).trim().split("\\s+");
            if (fields.length != 6) {
                throw new IllegalArgumentException(text + ": a cron expression has 6 fields");
            }
            return new ScheduleExpression(text, null, null, zone, fields);
        }
        throw new IllegalArgumentException(text + " is not rate(...), cron(...) or at(...)");
    }

    /** Whether this is a {@code rate} of exactly this period. */
    boolean isRate(Duration period) {
        return rate != null && rate.equals(period);
    }

    /** The first firing strictly after {@code after}; empty when there is none (a past {@code at}). */
    Optional<Instant> next(Instant after, Instant started) {
        if (rate != null) {
            // A rate schedule fires one period after it is created, then every period.
            long periods = Math.max(0, Duration.between(started, after).toMillis() / rate.toMillis()) + 1;
            return Optional.of(started.plus(rate.multipliedBy(periods)));
        }
        if (at != null) {
            return at.isAfter(after) ? Optional.of(at) : Optional.empty();
        }
        ZonedDateTime candidate = after.atZone(zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        ZonedDateTime limit = candidate.plusYears(SEARCH_YEARS);
        while (candidate.isBefore(limit)) {
            if (!years.get(candidate.getYear()) || !months.get(candidate.getMonthValue())) {
                candidate = candidate.withDayOfMonth(1).withHour(0).withMinute(0).plusMonths(1);
                continue;
            }
            if (!dayMatches(candidate)) {
                candidate = candidate.withHour(0).withMinute(0).plusDays(1);
                continue;
            }
            if (!hours.get(candidate.getHour())) {
                candidate = candidate.withMinute(0).plusHours(1);
                continue;
            }
            if (!minutes.get(candidate.getMinute())) {
                candidate = candidate.plusMinutes(1);
                continue;
            }
            return Optional.of(candidate.toInstant());
        }
        return Optional.empty();
    }

    private boolean dayMatches(ZonedDateTime time) {
        int dayOfWeek = time.getDayOfWeek() == DayOfWeek.SUNDAY ? 1 : time.getDayOfWeek().getValue() + 1;
        boolean dom = daysOfMonth.get(time.getDayOfMonth());
        boolean dow = daysOfWeek.get(dayOfWeek);
        if (anyDayOfMonth && anyDayOfWeek) {
            return true;
        }
        return anyDayOfMonth ? dow : dom;
    }

    private static BitSet field(String field, int min, int max, List<String> names, String what) {
        BitSet values = new BitSet(max + 1);
        for (String part : field.split(",")) {
            String item = part.toUpperCase(Locale.ROOT);
            if (item.equals("L") || item.matches(".*\\dL") || item.matches("\\d*L?W") || item.contains("#")) {
                throw new IllegalArgumentException("cron " + what + " " + field
                        + ": L, W and # are not supported by the local cloud");
            }
            int step = 1;
            int slash = item.indexOf('/');
            if (slash >= 0) {
                step = Integer.parseInt(item.substring(slash + 1));
                item = item.substring(0, slash);
            }
            int from;
            int to;
            if (item.equals("*") || item.equals("?")) {
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
                throw new IllegalArgumentException("cron " + what + " " + field + " is out of range " + min + "-" + max);
            }
            for (int value = from; value <= to; value += step) {
                values.set(value);
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
