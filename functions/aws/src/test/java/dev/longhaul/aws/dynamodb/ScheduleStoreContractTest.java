package dev.longhaul.aws.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.aws.testing.TestCloud;
import dev.longhaul.core.schedule.Schedule;
import dev.longhaul.core.schedule.ScheduleLimitException;
import dev.longhaul.core.schedule.ScheduleStore;
import dev.longhaul.core.task.TaskError;
import dev.longhaul.core.task.TaskIds;
import dev.longhaul.core.testing.InMemoryScheduleStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The schedule store's contract, held by the in-memory reference and the DynamoDB adapter alike. */
class ScheduleStoreContractTest {
    private static final TestCloud CLOUD = TestCloud.get();
    private static final Instant T = Instant.parse("2026-11-25T08:00:00Z");

    static Stream<Named<Supplier<ScheduleStore>>> stores() {
        return Stream.of(
                Named.of("in memory", InMemoryScheduleStore::new),
                Named.of("DynamoDB", () -> {
                    CLOUD.reset();
                    return new DynamoDbScheduleStore(CLOUD.clients().dynamoDb(), CLOUD.tableName());
                }));
    }

    private static Schedule schedule(String owner, Instant next) {
        return new Schedule(TaskIds.create().newId(), owner, "0 3 * * *", null, "Europe/Madrid",
                Map.of("type", "demo.sleep", "parameters", Map.of("seconds", 1L)), T, next, null, null, null, 1);
    }

    @ParameterizedTest
    @MethodSource("stores")
    void addFindListAndRemoveAreTheOwnersOnly(Supplier<ScheduleStore> supplier) {
        ScheduleStore store = supplier.get();
        Schedule s = schedule("alice", T.plusSeconds(60));
        store.add(s, 25);
        assertEquals(s, store.find("alice", s.id()).orElseThrow());
        assertTrue(store.find("bob", s.id()).isEmpty());
        assertEquals(List.of(s), store.list("alice"));
        assertEquals(List.of(), store.list("bob"));
        assertFalse(store.remove("bob", s.id()));
        assertTrue(store.remove("alice", s.id()));
        assertFalse(store.remove("alice", s.id()));
        assertEquals(List.of(), store.list("alice"));
    }

    @ParameterizedTest
    @MethodSource("stores")
    void theLimitIsPerOwner(Supplier<ScheduleStore> supplier) {
        ScheduleStore store = supplier.get();
        store.add(schedule("alice", T), 2);
        store.add(schedule("alice", T), 2);
        assertThrows(ScheduleLimitException.class, () -> store.add(schedule("alice", T), 2));
        store.add(schedule("bob", T), 2);
        assertEquals(2, store.list("alice").size());
    }

    @ParameterizedTest
    @MethodSource("stores")
    void dueSchedulesAreFoundByTheirNextTickAndMovedOnConditionally(Supplier<ScheduleStore> supplier) {
        ScheduleStore store = supplier.get();
        Schedule due = schedule("alice", T);
        Schedule later = schedule("bob", T.plusSeconds(3600));
        Schedule never = schedule("carol", null);
        store.add(due, 25);
        store.add(later, 25);
        store.add(never, 25);
        assertEquals(List.of(due), store.due(T, 10));
        Schedule ticked = due.ticked(T, T.plusSeconds(86400), "01kbdzq0a0c9m3yq7v5t2w8x4rhn6p3j5k2a",
                new TaskError("concurrency-limit-exceeded", "over"));
        assertTrue(store.update(ticked));
        assertFalse(store.update(ticked), "a second writer from the same revision writes nothing");
        assertEquals(ticked, store.find("alice", due.id()).orElseThrow());
        assertEquals(List.of(), store.due(T, 10));
        assertEquals(2, store.due(T.plusSeconds(86400), 10).size());
    }

    @ParameterizedTest
    @MethodSource("stores")
    void ofConcurrentTicksFromOneRevisionExactlyOneIsWritten(Supplier<ScheduleStore> supplier) throws Exception {
        ScheduleStore store = supplier.get();
        Schedule due = schedule("alice", T);
        store.add(due, 25);
        int n = 5;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Boolean>> writes = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                String taskId = String.format("01kbdzq0a0c9m3yq7v5t2w8x4rhn6p3j5k%02d", i);
                writes.add(pool.submit(() -> {
                    go.await();
                    return store.update(due.ticked(T, T.plusSeconds(86400), taskId, null));
                }));
            }
            go.countDown();
            int won = 0;
            for (java.util.concurrent.Future<Boolean> f : writes) {
                won += f.get(60, java.util.concurrent.TimeUnit.SECONDS) ? 1 : 0;
            }
            assertEquals(1, won, "one tick written per revision");
            assertEquals(due.revision() + 1, store.find("alice", due.id()).orElseThrow().revision());
        } finally {
            pool.shutdownNow();
        }
    }
}
