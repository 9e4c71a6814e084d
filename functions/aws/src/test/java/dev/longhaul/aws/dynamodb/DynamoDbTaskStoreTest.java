package dev.longhaul.aws.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.aws.testing.SampleTasks;
import dev.longhaul.aws.testing.TestCloud;
import dev.longhaul.core.port.Admission;
import dev.longhaul.core.port.IdempotencyRecord;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskError;
import dev.longhaul.core.task.TaskIds;
import dev.longhaul.core.task.TaskResult;
import dev.longhaul.core.task.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Integration tier: against DynamoDB Local with the template's table. */
class DynamoDbTaskStoreTest {
    private static final Duration RETENTION = Duration.ofHours(1);
    private final TestCloud cloud = TestCloud.get();
    private final DynamoDbTaskStore store = new DynamoDbTaskStore(cloud.clients().dynamoDb(), cloud.tableName());
    private final Instant now = Instant.now();

    @BeforeEach
    void reset() {
        cloud.reset();
    }

    private Task newTask() {
        return SampleTasks.queued(now);
    }

    @Test
    void createThenFindReturnsTheSameTask() {
        Task task = newTask();
        store.create(task);

        assertEquals(task, store.find(task.id()).orElseThrow());
        assertEquals(1, cloud.taskCount());
    }

    @Test
    void findOfAnUnknownIdIsEmpty() {
        assertTrue(store.find(TaskIds.create().newId()).isEmpty());
    }

    @Test
    void creatingTheSameIdTwiceFailsAndKeepsTheFirst() {
        Task task = newTask();
        store.create(task);
        Task clash = Task.create(task.id(), "someone-else", "other", null, Map.of(), now);

        assertThrows(TaskAlreadyExistsException.class, () -> store.create(clash));
        assertEquals(task, store.find(task.id()).orElseThrow());
        assertEquals(1, cloud.taskCount());
    }

    /** A create whose outcome the caller never learned (a timeout) is undone only as far as it landed. */
    @Test
    void undoingACreateReleasesItsSlotOnceAndOnlyIfTheTaskWasStored() {
        Task task = newTask();
        Admission admission = new Admission(5, new IdempotencyRecord(task.owner(), "key-1", "hash", task.id(),
                now.plusSeconds(3600)));
        store.undoCreate(task, admission);
        assertEquals(0, store.activeCount(task.owner()), "a create that never landed releases nothing");

        store.create(task, admission);
        assertEquals(1, store.activeCount(task.owner()));
        store.undoCreate(task, admission);
        store.undoCreate(task, admission);
        assertEquals(0, store.activeCount(task.owner()), "undone once, however often asked");
        assertTrue(store.find(task.id()).isEmpty());
        assertTrue(store.findIdempotencyKey(task.owner(), "key-1").isEmpty());
    }

    @Test
    void replaceFromTheStoredRevisionWrites() {
        Task task = newTask();
        store.create(task);
        Task running = task.start("run-1", now, now.plusSeconds(60));

        assertTrue(store.replace(running));
        assertEquals(running, store.find(task.id()).orElseThrow());
    }

    @Test
    void replaceFromAStaleRevisionWritesNothing() {
        Task task = newTask();
        store.create(task);
        Task running = task.start("run-1", now, now.plusSeconds(60));
        assertTrue(store.replace(running));

        // A duplicate delivery derives its claim from the same queued snapshot: revision 2 again.
        Task duplicate = task.start("run-2", now.plusSeconds(1), now.plusSeconds(61));
        assertFalse(store.replace(duplicate));
        // A writer two revisions behind fails as well.
        Task progressed = running.progress(10, now.plusSeconds(2), now.plusSeconds(62));
        assertTrue(store.replace(progressed));
        assertFalse(store.replace(running.progress(20, now.plusSeconds(3), now.plusSeconds(63))));

        assertEquals(progressed, store.find(task.id()).orElseThrow());
    }

    @Test
    void replaceOfAnAbsentTaskWritesNothing() {
        Task task = newTask();
        assertFalse(store.replace(task.start("run-1", now, now.plusSeconds(60))));
        assertEquals(0, cloud.itemCount());
    }

    @Test
    void aTerminalTaskIsNeverOverwritten() {
        Task task = newTask();
        store.create(task);
        Task running = task.start("run-1", now, now.plusSeconds(60));
        assertTrue(store.replace(running));
        Task succeeded = running.succeed(new TaskResult("text/plain", 3), now.plusSeconds(5), RETENTION);
        assertTrue(store.replace(succeeded));

        // Even a writer holding the terminal revision (which passes the revision check) is refused.
        Task sameRevisionRewrite = new Task(succeeded.id(), succeeded.owner(), succeeded.type(),
                TaskStatus.FAILED, succeeded.progress(), succeeded.description(),
                succeeded.parameters(), succeeded.createdAt(), now.plusSeconds(6), succeeded.startedAt(),
                now.plusSeconds(6), succeeded.expiresAt(), null, succeeded.attempts(), succeeded.executions(),
                new TaskError("late", "late failure"), null, succeeded.revision() + 1, false, null, null, List.of());
        assertFalse(store.replace(sameRevisionRewrite));
        assertFalse(store.replace(running.fail(new TaskError("late", "late"), now.plusSeconds(7), RETENTION)));

        assertEquals(succeeded, store.find(task.id()).orElseThrow());
    }

    @Test
    void ttlAttributeIsExpiresAtInEpochSeconds() {
        Task task = newTask();
        store.create(task);
        Task cancelled = task.requestCancel(now.plusSeconds(1), RETENTION);
        assertTrue(store.replace(cancelled));

        Map<String, AttributeValue> item = cloud.clients().dynamoDb().getItem(get -> get
                .tableName(cloud.tableName()).key(Map.of("id", AttributeValue.fromS(task.id())))
                .consistentRead(true)).item();
        long ttl = Long.parseLong(item.get("ttl").n());
        Instant expiresAt = Instant.parse(item.get("expiresAt").s());
        assertEquals(cancelled.ttlEpochSeconds(), ttl);
        assertEquals(cancelled.expiresAt(), expiresAt);
        // Whole seconds, rounded up, so DynamoDB never deletes the task before it expires.
        assertEquals(expiresAt.plusNanos(999_999_999).getEpochSecond(), ttl);
    }

    @Test
    void deleteRemovesTheTaskOnceAndGivesItsSlotBack() {
        Task task = newTask();
        store.create(task);
        assertEquals(1, store.activeCount(task.owner()));

        assertTrue(store.delete(task));
        assertFalse(store.delete(task), "already gone");

        assertTrue(store.find(task.id()).isEmpty());
        assertEquals(0, cloud.taskCount());
        assertEquals(0, store.activeCount(task.owner()));
    }

    /**
     * DynamoDB Local TTL-deletes only items that are in every GSI (and then stalls TTL for the
     * table): a finished task, whatever group it is in or not, must have every index key.
     */
    @Test
    void everyFinishedTaskHasEveryIndexKey() {
        Task plain = newTask();
        store.create(plain);
        Task done = plain.requestCancel(now, RETENTION);
        assertTrue(store.replace(done));
        var table = cloud.clients().dynamoDb().describeTable(d -> d.tableName(cloud.tableName())).table();
        Map<String, AttributeValue> item = cloud.clients().dynamoDb().getItem(g -> g.tableName(cloud.tableName())
                .key(Map.of("id", AttributeValue.fromS(done.id()))).consistentRead(true)).item();
        assertTrue(item.containsKey("ttl"));
        for (var index : table.globalSecondaryIndexes()) {
            for (var key : index.keySchema()) {
                assertTrue(item.containsKey(key.attributeName()), index.indexName() + " misses " + key.attributeName());
            }
        }
    }
}
