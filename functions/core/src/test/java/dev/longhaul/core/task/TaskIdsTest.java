package dev.longhaul.core.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.core.testing.MutableClock;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TaskIdsTest {
    private static final String VALID = "01jh5k3v9qz8x7w6t5s4r3p2n1m0kjhgfedc";

    @Test
    void idsAreThirtySixWellFormedCharacters() {
        TaskIds ids = TaskIds.create();
        for (int i = 0; i < 1000; i++) {
            String id = ids.newId();
            assertEquals(36, id.length());
            assertTrue(id.matches("[0-9abcdefghjkmnpqrstvwxyz]{36}"), id);
            assertTrue(TaskIds.isWellFormed(id), id);
        }
    }

    @Test
    void idsAreUniqueEvenWithinOneMillisecond() {
        TaskIds ids = new TaskIds(Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC),
                new SecureRandom());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            assertTrue(seen.add(ids.newId()));
        }
    }

    @Test
    void idsSortByCreationTime() {
        MutableClock clock = MutableClock.at("1970-01-01T00:00:00.001Z");
        TaskIds ids = new TaskIds(clock, new SecureRandom());
        List<String> made = new ArrayList<>();
        Duration[] steps = {Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(255),
            Duration.ofMillis(1), Duration.ofSeconds(1), Duration.ofDays(1), Duration.ofDays(20_000),
            Duration.ofDays(40_000), Duration.ofMillis(1)};
        made.add(ids.newId());
        for (Duration step : steps) {
            clock.advance(step);
            for (int i = 0; i < 50; i++) {
                made.add(ids.newId());
            }
            String last = made.get(made.size() - 1);
            // every id of this millisecond sorts after every id of the earlier ones
            for (String earlier : made.subList(0, made.size() - 50)) {
                for (String now : made.subList(made.size() - 50, made.size())) {
                    assertTrue(earlier.compareTo(now) < 0, earlier + " !< " + now + " (" + last + ")");
                }
            }
        }
    }

    @Test
    void theSameClockAndRandomGiveTheSameId() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2025-06-01T12:00:00Z"), ZoneOffset.UTC);
        SecureRandom a = SecureRandom.getInstance("SHA1PRNG");
        a.setSeed(42);
        SecureRandom b = SecureRandom.getInstance("SHA1PRNG");
        b.setSeed(42);
        assertEquals(new TaskIds(clock, a).newId(), new TaskIds(clock, b).newId());
    }

    @Test
    void aKnownGoodIdIsWellFormed() {
        assertTrue(TaskIds.isWellFormed(VALID));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "0", "01jh5k3v9qz8x7w6t5s4r3p2n1m0kjhgfed", "01jh5k3v9qz8x7w6t5s4r3p2n1m0kjhgfedcc",
        "01JH5K3V9QZ8X7W6T5S4R3P2N1M0KJHGFEDC", "01jh5k3v9qz8x7w6t5s4r3p2n1m0kjhgfedC",
        "../../../../../../etc/passwd00000000", "..%2f..%2f01jh5k3v9qz8x7w6t5s4r3p2n1",
        "%2e%2e01jh5k3v9qz8x7w6t5s4r3p2n1m0kj", "01jh5k3v9qz8x7w6t5s4r3p2n1m0kjhgf/dc",
        "01jh5k3v9qz8x7w6t5s4r3p2n1m0kjhgf.dc", "01jh5k3v9qz8x7w6t5s4r3p2n1m0kjhgf dc",
        "01jh5k3v9qz8x7w6t5s4r3p2n1m0kjhgf\u00e9dc", "01jh5k3v9qz8x7w6t5s4r3p2n1m0kjhgf\uff10dc",
        "01jh5k3v9qz8x7w6t5s4r3p2n1m0kjhgf\u0000dc", "01jh5k3v9qz8x7w6t5s4r3p2n1m0kjhgfidc",
        "01jh5k3v9qz8x7w6t5s4r3p2n1m0kjhgfldc", "01jh5k3v9qz8x7w6t5s4r3p2n1m0kjhgfodc",
        "01jh5k3v9qz8x7w6t5s4r3p2n1m0kjhgfudc", "01jh5k3v9qz8x7w6t5s4r3p2n1m0kjhg\uD83D\uDE00dc"
    })
    void malformedIdsAreRejected(String id) {
        assertFalse(TaskIds.isWellFormed(id), id);
    }

    @Test
    void nullIsNotWellFormed() {
        assertFalse(TaskIds.isWellFormed(null));
    }
}
