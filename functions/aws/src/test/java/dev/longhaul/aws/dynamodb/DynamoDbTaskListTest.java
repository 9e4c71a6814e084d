package dev.longhaul.aws.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.aws.testing.TestCloud;
import dev.longhaul.core.port.TaskPage;
import dev.longhaul.core.port.TaskQuery;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskIds;
import dev.longhaul.core.task.TaskStatus;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link DynamoDbTaskStore#list} on DynamoDB Local: the ByOwner index, its key range and its read budget. */
class DynamoDbTaskListTest {
    private static final Instant T = Instant.parse("2026-11-25T08:00:00Z");

    private final TestCloud cloud = TestCloud.get();
    private final DynamoDbTaskStore store = new DynamoDbTaskStore(cloud.clients().dynamoDb(), cloud.tableName());

    @BeforeEach
    void clean() {
        cloud.reset();
    }

    /** A task whose id carries {@code idTime} and whose createdAt is {@code createdAt}, as two clock reads give. */
    private Task stored(Instant idTime, Instant createdAt) {
        String id = new TaskIds(Clock.fixed(idTime, ZoneOffset.UTC), new SecureRandom()).newId();
        Task task = Task.create(id, "alice", "demo.sleep", null, Map.of(), createdAt);
        store.create(task);
        return task;
    }

    private List<String> ids(Instant after, Instant before) {
        TaskPage page = store.list("alice", new TaskQuery(null, null, after, before, 100, null));
        assertNull(page.lastId());
        return page.tasks().stream().map(Task::id).toList();
    }

    @Test
    void anUnfilteredListWorks() {
        Task task = stored(T, T);
        assertEquals(List.of(task.id()), ids(null, null));
    }

    @Test
    void createdAtDecidesEvenWhenTheIdsMillisecondIsEarlier() {
        // the id was drawn in the millisecond before createdAt was read
        Task task = stored(T.minusMillis(1), T.plusNanos(100_000));
        assertEquals(List.of(task.id()), ids(T.plusNanos(50_000), null), "created after");
        assertEquals(List.of(), ids(null, T.plusNanos(50_000)), "not created before");
        assertEquals(List.of(task.id()), ids(null, T.plusNanos(150_000)), "created before");
        assertEquals(List.of(), ids(T.plusNanos(150_000), null), "not created after");
    }

    @Test
    void boundsFinerThanAMillisecondAreExact() {
        Task early = stored(T, T.plusNanos(200_000));
        Task late = stored(T, T.plusNanos(700_000));
        assertEquals(List.of(late.id()), ids(T.plusNanos(300_000), null));
        assertEquals(List.of(early.id()), ids(null, T.plusNanos(300_000)));
        assertEquals(List.of(), ids(T.plusNanos(300_000), T.plusNanos(300_000)));
    }

    @Test
    void aSparseFilterContinuesAfterTheReadBudgetInsteadOfEndingTheListing() {
        Task old = stored(T, T);
        // expiresAt (finishedAt + retention) must lie in the future: DynamoDB Local's TTL really
        // deletes expired items, within seconds, and would take this one mid-test
        java.time.Duration retention = java.time.Duration.between(T, Instant.now()).plusDays(1);
        Task cancelled = old.requestCancel(T, retention);
        assertEquals(TaskStatus.CANCELLED, cancelled.status());
        assertTrue(store.replace(cancelled));
        for (int i = 1; i <= 30; i++) {
            stored(T.plusSeconds(i), T.plusSeconds(i));
        }
        List<String> seen = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            TaskPage page = store.list("alice", new TaskQuery(TaskStatus.CANCELLED, null, null, null, 1, after));
            page.tasks().forEach(t -> seen.add(t.id()));
            after = page.lastId();
            pages++;
        } while (after != null && pages < 40);
        assertEquals(List.of(old.id()), seen);
    }
}
