package dev.longhaul.aws.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.aws.testing.TestCloud;
import dev.longhaul.aws.webhook.DynamoDbSubscriptionStore;
import dev.longhaul.core.port.ActiveTaskLimitException;
import dev.longhaul.core.port.Admission;
import dev.longhaul.core.port.IdempotencyRecord;
import dev.longhaul.core.port.TaskPage;
import dev.longhaul.core.port.TaskQuery;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskIds;
import dev.longhaul.core.webhook.Subscription;
import dev.longhaul.core.webhook.WebhookEvent;
import dev.longhaul.core.webhook.WebhookSecret;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Subjects of any length a JWT can carry, through the task and subscription stores on DynamoDB
 * Local (which enforces DynamoDB's key limits: 2,048 bytes for a partition key, 1,024 for the
 * index's sort key). A 2,043-character subject used to fail every create, a 983-character one
 * every subscription.
 */
class LongSubjectStoreTest {
    private static final Duration RETENTION = Duration.ofHours(1);
    private final TestCloud cloud = TestCloud.get();
    private final DynamoDbTaskStore tasks = new DynamoDbTaskStore(cloud.clients().dynamoDb(), cloud.tableName());
    private final DynamoDbSubscriptionStore subscriptions =
            new DynamoDbSubscriptionStore(cloud.clients().dynamoDb(), cloud.tableName(), cloud.envelope());
    private final Instant now = Instant.now();

    static Stream<String> subjects() {
        return Stream.of(
                "s".repeat(983),
                "s".repeat(2_043),
                "u".repeat(10_000),
                // 700 characters, 2,100 UTF-8 bytes
                "世".repeat(700),
                // short, but shaped like a digest key: hashed too, so it cannot pose as a long subject
                OwnerKeys.HASHED_PREFIX + "x");
    }

    @BeforeEach
    void reset() {
        cloud.reset();
    }

    private Task queued(String owner) {
        return Task.create(TaskIds.create().newId(), owner, "report.stock", "long subject", Map.of("rows", 1L), now);
    }

    @ParameterizedTest
    @MethodSource("subjects")
    void tasksOfALongSubjectAreCreatedReadListedCancelledAndDeleted(String owner) {
        Task first = queued(owner);
        tasks.create(first, new Admission(2, new IdempotencyRecord(owner, "key-1", "hash-1", first.id(),
                now.plus(Duration.ofHours(24)))));
        Task second = queued(owner);
        tasks.create(second, new Admission(2, null));

        assertEquals(first, tasks.find(first.id()).orElseThrow(), "the full subject is read back");
        assertEquals(owner, tasks.find(second.id()).orElseThrow().owner());

        // the per-owner limit holds for the long subject
        assertThrows(ActiveTaskLimitException.class, () -> tasks.create(queued(owner), new Admission(2, null)));
        assertEquals(2, tasks.activeCount(owner));

        // idempotent replay: the key is found again under the same subject only
        IdempotencyRecord stored = tasks.findIdempotencyKey(owner, "key-1").orElseThrow();
        assertEquals(first.id(), stored.taskId());
        assertTrue(tasks.findIdempotencyKey(owner + "x", "key-1").isEmpty());

        // listing, paged, through the ByOwner index
        TaskPage page1 = tasks.list(owner, new TaskQuery(null, null, null, null, 1, null));
        assertEquals(1, page1.tasks().size());
        assertEquals(owner, page1.tasks().get(0).owner());
        TaskPage page2 = tasks.list(owner, new TaskQuery(null, null, null, null, 1, page1.lastId()));
        assertEquals(1, page2.tasks().size());
        assertNotEquals(page1.tasks().get(0).id(), page2.tasks().get(0).id());
        assertNull(page2.lastId(), "no third page");
        // a subject sharing all but its last character sees none of them
        assertEquals(List.of(), tasks.list(owner.substring(0, owner.length() - 1) + "~",
                new TaskQuery(null, null, null, null, 10, null)).tasks());

        // cancel (a terminal write gives the slot back), then delete
        Task cancelled = first.requestCancel(now.plusSeconds(1), RETENTION);
        assertTrue(tasks.replace(cancelled));
        assertEquals(cancelled, tasks.find(first.id()).orElseThrow());
        assertEquals(1, tasks.activeCount(owner));
        assertTrue(tasks.delete(second));
        assertTrue(tasks.find(second.id()).isEmpty());
        assertEquals(0, tasks.activeCount(owner));

        assertKeysWithinDynamoDbLimits();
    }

    @ParameterizedTest
    @MethodSource("subjects")
    void webhooksOfALongSubjectAreSubscribedListedAndDeleted(String owner) {
        Subscription hook = new Subscription(TaskIds.create().newId(), owner, "https://hooks.example.com/x",
                EnumSet.allOf(WebhookEvent.class), WebhookSecret.generate(), now, null);
        subscriptions.add(hook, 25);

        List<Subscription> listed = subscriptions.list(owner);
        assertEquals(1, listed.size());
        assertEquals(owner, listed.get(0).owner());
        assertEquals(hook.id(), listed.get(0).id());
        assertEquals(owner, subscriptions.find(owner, hook.id()).orElseThrow().owner());
        String almost = owner.substring(0, owner.length() - 1) + "~";
        assertEquals(List.of(), subscriptions.list(almost));
        assertTrue(subscriptions.find(almost, hook.id()).isEmpty());
        assertFalse(subscriptions.remove(almost, hook.id()));

        Task task = queued(owner);
        Subscription callback = new Subscription("callback", owner, "https://hooks.example.com/cb",
                EnumSet.allOf(WebhookEvent.class), WebhookSecret.generate(), now, task.id());
        subscriptions.addCallback(callback, now.plus(Duration.ofDays(1)));
        assertEquals(owner, subscriptions.findCallback(task.id()).orElseThrow().owner());

        assertKeysWithinDynamoDbLimits();
        assertTrue(subscriptions.remove(owner, hook.id()));
        assertEquals(List.of(), subscriptions.list(owner));
    }

    @Test
    void shortSubjectsStayReadableInKeysAndLongOnesBecomeTheirDigest() {
        assertEquals("user-alice", OwnerKeys.key("user-alice"));
        String limit = "a".repeat(OwnerKeys.MAX_READABLE_BYTES);
        assertEquals(limit, OwnerKeys.key(limit));
        String over = limit + "a";
        String digest = OwnerKeys.key(over);
        assertTrue(digest.startsWith(OwnerKeys.HASHED_PREFIX), digest);
        assertEquals(OwnerKeys.HASHED_PREFIX.length() + 43, digest.length());
        assertEquals(digest, OwnerKeys.key(new String(over.toCharArray())), "stable");
        assertNotEquals(digest, OwnerKeys.key(limit + "b"));
        // a lone surrogate cannot be UTF-8: hashed over its code units, distinct from '?' and U+FFFD
        assertNotEquals(OwnerKeys.key("a\uD800"), OwnerKeys.key("a?"));
        assertNotEquals(OwnerKeys.key("a\uD800"), OwnerKeys.key("a\uFFFD"));
        assertNotEquals(OwnerKeys.key("a\uD800"), OwnerKeys.key("a\uDBFF"));
        assertTrue(OwnerKeys.key("a\uD800").startsWith(OwnerKeys.HASHED_PREFIX));
        assertThrows(IllegalArgumentException.class, () -> OwnerKeys.key(""));
    }

    /** Every item id within 1,024 bytes (the index's sort key), every owner key within 2,048. */
    private void assertKeysWithinDynamoDbLimits() {
        ScanResponse all = cloud.clients().dynamoDb().scan(scan -> scan.tableName(cloud.tableName()).consistentRead(true));
        for (Map<String, AttributeValue> item : all.items()) {
            String id = item.get("id").s();
            assertTrue(id.getBytes(StandardCharsets.UTF_8).length <= 1024, "item id of " + id.length() + " chars");
            AttributeValue owner = item.get(TaskItemMapper.OWNER);
            if (owner != null) {
                assertTrue(owner.s().getBytes(StandardCharsets.UTF_8).length <= 2048, "index key too long");
            }
        }
    }
}
