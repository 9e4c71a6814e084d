package dev.longhaul.core.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecurrenceTest {
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final ZoneId MADRID = ZoneId.of("Europe/Madrid");

    private static List<Instant> ticks(Recurrence r, String from, int n) {
        List<Instant> ticks = new ArrayList<>();
        Instant at = Instant.parse(from);
        for (int i = 0; i < n; i++) {
            at = r.next(at).orElseThrow();
            ticks.add(at);
        }
        return ticks;
    }

    @Test
    void everyMinuteTicksOnEachMinute() {
        assertEquals(List.of(Instant.parse("2026-11-25T08:01:00Z"), Instant.parse("2026-11-25T08:02:00Z")),
                ticks(Recurrence.cron("* * * * *", UTC), "2026-11-25T08:00:00Z", 2));
        assertEquals(Instant.parse("2026-11-25T08:01:00Z"),
                Recurrence.cron("* * * * *", UTC).next(Instant.parse("2026-11-25T08:00:59.999Z")).orElseThrow());
    }

    @Test
    void threeInTheMorningInMadridFollowsItsOffset() {
        Recurrence r = Recurrence.cron("0 3 * * *", MADRID);
        // winter: UTC+1; summer: UTC+2
        assertEquals(Instant.parse("2026-11-26T02:00:00Z"), r.next(Instant.parse("2026-11-25T08:00:00Z")).orElseThrow());
        assertEquals(Instant.parse("2026-07-02T01:00:00Z"), r.next(Instant.parse("2026-07-01T08:00:00Z")).orElseThrow());
    }

    @Test
    void aTickInTheSpringGapHappensRightAfterItAndARepeatedMinuteOnce() {
        // 2026-03-29: Madrid jumps from 02:00 to 03:00
        Recurrence gap = Recurrence.cron("30 2 * * *", MADRID);
        assertEquals(Instant.parse("2026-03-29T01:30:00Z"), gap.next(Instant.parse("2026-03-28T12:00:00Z")).orElseThrow(),
                "02:30 does not exist that day: 03:30 local");
        // 2026-10-25: 03:00 goes back to 02:00, 02:30 happens twice
        Recurrence overlap = Recurrence.cron("30 2 * * *", MADRID);
        List<Instant> ticks = ticks(overlap, "2026-10-24T12:00:00Z", 2);
        assertEquals(List.of(Instant.parse("2026-10-25T00:30:00Z"), Instant.parse("2026-10-26T01:30:00Z")), ticks);
    }

    @Test
    void listsRangesStepsNamesAndDays() {
        Recurrence r = Recurrence.cron("0,30 9-10 * * MON-FRI", UTC);
        assertEquals(List.of(Instant.parse("2026-11-27T09:00:00Z"), Instant.parse("2026-11-27T09:30:00Z"),
                Instant.parse("2026-11-27T10:00:00Z"), Instant.parse("2026-11-27T10:30:00Z"),
                Instant.parse("2026-11-30T09:00:00Z")), ticks(r, "2026-11-27T08:00:00Z", 5), "Friday, then Monday");
        assertEquals(Instant.parse("2026-11-29T00:00:00Z"),
                Recurrence.cron("0 0 * * 7", UTC).next(Instant.parse("2026-11-25T00:00:00Z")).orElseThrow(), "7 is Sunday");
        assertEquals(List.of(Instant.parse("2026-11-29T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z")),
                ticks(Recurrence.cron("0 0 1 * 0", UTC), "2026-11-25T00:00:00Z", 2),
                "both days restricted: either matches (Sunday the 29th, then the 1st)");
        assertEquals(Instant.parse("2026-11-25T00:15:00Z"),
                Recurrence.cron("*/15 * * * *", UTC).next(Instant.parse("2026-11-25T00:00:00Z")).orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = {"* * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 *", "* * * * 8", "a * * * *",
            "*/0 * * * *", "0 0 30 2 *", "5-1 * * * *", "* * * * * *"})
    void badExpressionsAreRefused(String expression) {
        assertThrows(IllegalArgumentException.class, () -> Recurrence.cron(expression, UTC));
    }

    @Test
    void aRateTicksEveryPeriodFromItsAnchor() {
        Instant anchor = Instant.parse("2026-11-25T08:00:10Z");
        Recurrence r = Recurrence.rate("15 minutes", anchor, Duration.ofMinutes(1));
        assertEquals(List.of(Instant.parse("2026-11-25T08:15:10Z"), Instant.parse("2026-11-25T08:30:10Z")),
                ticks(r, "2026-11-25T08:00:10Z", 2));
        assertEquals(Instant.parse("2026-11-25T09:00:10Z"),
                r.latestDue(Instant.parse("2026-11-25T08:15:10Z"), Instant.parse("2026-11-25T09:05:00Z")));
        assertThrows(IllegalArgumentException.class, () -> Recurrence.rate("30 seconds", anchor, Duration.ofMinutes(1)));
        assertTrue(Recurrence.rate("2 seconds", anchor, Duration.ofSeconds(1)).next(anchor).isPresent());
        for (String bad : List.of("15", "minutes", "0 minutes", "1 week", "15  minutes", "400 days")) {
            assertThrows(IllegalArgumentException.class, () -> Recurrence.rate(bad, anchor, Duration.ofSeconds(1)), bad);
        }
    }

    @Test
    void aCatchUpLandsOnTheLatestDueTick() {
        Recurrence r = Recurrence.cron("* * * * *", UTC);
        assertEquals(Instant.parse("2026-11-25T09:00:00Z"),
                r.latestDue(Instant.parse("2026-11-25T08:01:00Z"), Instant.parse("2026-11-25T09:00:30Z")));
    }
}
