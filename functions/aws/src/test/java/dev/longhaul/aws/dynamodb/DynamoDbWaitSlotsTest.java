package dev.longhaul.aws.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.aws.testing.TestCloud;
import dev.longhaul.core.port.WaitSlots;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Wait slots on DynamoDB Local. Each {@link DynamoDbWaitSlots} stands for one API instance: the
 * cap holds across them, expired leases are reclaimed, and giving a slot back never fails.
 */
class DynamoDbWaitSlotsTest {
    private static final int MAX = 3;
    private static final String OWNER = "user-alice";
    private final TestCloud cloud = TestCloud.get();
    private final Instant now = Instant.parse("2026-12-01T10:00:00Z");
    private final ExecutorService threads = Executors.newFixedThreadPool(12);

    private DynamoDbWaitSlots instance() {
        return new DynamoDbWaitSlots(cloud.clients().dynamoDb(), cloud.tableName(), MAX);
    }

    @BeforeEach
    void reset() {
        cloud.reset();
    }

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @Test
    void theCapHoldsAcrossInstancesAndAReleasedSlotIsFreeAgain() {
        DynamoDbWaitSlots a = instance();
        DynamoDbWaitSlots b = instance();
        WaitSlots.Slot first = a.tryAcquire(OWNER, now).orElseThrow();
        b.tryAcquire(OWNER, now).orElseThrow();
        a.tryAcquire(OWNER, now).orElseThrow();
        assertTrue(b.tryAcquire(OWNER, now).isEmpty(), "a fourth wait over a cap of three");
        assertTrue(a.tryAcquire(OWNER, now.plusSeconds(1)).isEmpty());
        // another owner has a cap of its own
        assertTrue(b.tryAcquire("user-bob", now).isPresent());

        b.release(first);
        assertTrue(b.tryAcquire(OWNER, now).isPresent(), "the slot another instance gave back");
        assertEquals(MAX, a.held(OWNER).size());
    }

    @Test
    void concurrentWaitsFromManyInstancesGetExactlyTheCap() throws Exception {
        List<DynamoDbWaitSlots> instances = List.of(instance(), instance(), instance());
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Optional<WaitSlots.Slot>>> attempts = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            DynamoDbWaitSlots slots = instances.get(i % instances.size());
            Callable<Optional<WaitSlots.Slot>> attempt = () -> {
                start.await();
                return slots.tryAcquire(OWNER, now);
            };
            attempts.add(threads.submit(attempt));
        }
        start.countDown();
        int granted = 0;
        for (Future<Optional<WaitSlots.Slot>> attempt : attempts) {
            granted += attempt.get().isPresent() ? 1 : 0;
        }
        assertEquals(MAX, granted);
        assertEquals(MAX, instance().held(OWNER).size());
    }

    @Test
    void leasesLeftByACrashedInstanceAreReclaimedOnceExpired() {
        DynamoDbWaitSlots crashed = instance();
        for (int i = 0; i < MAX; i++) {
            crashed.tryAcquire(OWNER, now).orElseThrow();
        }
        DynamoDbWaitSlots other = instance();
        Instant beforeExpiry = now.plus(WaitSlots.LEASE).minusMillis(1);
        assertTrue(other.tryAcquire(OWNER, beforeExpiry).isEmpty(), "still leased");

        Instant expired = now.plus(WaitSlots.LEASE);
        WaitSlots.Slot slot = other.tryAcquire(OWNER, expired).orElseThrow();
        assertEquals(List.of(slot.id()), other.held(OWNER), "every expired lease reclaimed, the new one held");
        assertTrue(other.tryAcquire(OWNER, expired).isPresent());
        assertTrue(other.tryAcquire(OWNER, expired).isPresent());
        assertTrue(other.tryAcquire(OWNER, expired).isEmpty());
    }

    @Test
    void givingASlotBackTwiceOrAfterItWasReclaimedChangesNothingAndCreatesNoItem() {
        DynamoDbWaitSlots slots = instance();
        WaitSlots.Slot slot = slots.tryAcquire(OWNER, now).orElseThrow();
        slots.release(slot);
        slots.release(slot);
        assertEquals(List.of(), slots.held(OWNER));

        slots.release(new WaitSlots.Slot("nobody-waits", "1:x", now));
        Map<String, AttributeValue> item = cloud.clients().dynamoDb().getItem(get -> get.tableName(cloud.tableName())
                .key(Map.of("id", AttributeValue.fromS(DynamoDbWaitSlots.PREFIX + "nobody-waits")))
                .consistentRead(true)).item();
        assertTrue(item == null || item.isEmpty(), "no item for an owner who never waited: " + item);
        assertEquals(0, cloud.taskCount(), "wait items are not tasks");
    }

    @Test
    void aLongSubjectHasSlotsOfItsOwn() {
        DynamoDbWaitSlots slots = instance();
        String owner = "w".repeat(10_000);
        for (int i = 0; i < MAX; i++) {
            slots.tryAcquire(owner, now).orElseThrow();
        }
        assertTrue(slots.tryAcquire(owner, now).isEmpty());
        assertTrue(slots.tryAcquire(owner + "x", now).isPresent());
    }

    @Test
    void aCapBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new DynamoDbWaitSlots(cloud.clients().dynamoDb(), cloud.tableName(), 0));
    }

    @Test
    void theItemIsKeptOnlyAnHourPastItsLastLease() {
        DynamoDbWaitSlots slots = instance();
        WaitSlots.Slot slot = slots.tryAcquire(OWNER, now).orElseThrow();
        Map<String, AttributeValue> item = cloud.clients().dynamoDb().getItem(get -> get.tableName(cloud.tableName())
                .key(Map.of("id", AttributeValue.fromS(DynamoDbWaitSlots.PREFIX + OWNER))).consistentRead(true)).item();
        assertEquals(slot.expiresAt().plus(Duration.ofHours(1)).getEpochSecond(), Long.parseLong(item.get("ttl").n()));
    }
}
