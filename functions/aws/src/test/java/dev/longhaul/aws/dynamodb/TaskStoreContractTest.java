package dev.longhaul.aws.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.aws.testing.TestCloud;
import dev.longhaul.core.port.Admission;
import dev.longhaul.core.port.ChildTask;
import dev.longhaul.core.port.IdempotencyRecord;
import dev.longhaul.core.port.Lane;
import dev.longhaul.core.port.LaneEntry;
import dev.longhaul.core.port.RelativeChangedException;
import dev.longhaul.core.port.TaskPage;
import dev.longhaul.core.port.TaskQuery;
import dev.longhaul.core.port.TaskStore;
import dev.longhaul.core.task.Relatives;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskIds;
import dev.longhaul.core.task.TaskOptions;
import dev.longhaul.core.task.TaskResult;
import dev.longhaul.core.task.TaskStatus;
import dev.longhaul.core.testing.InMemoryTaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the task model needs of a store, run against the in-memory reference and against the
 * DynamoDB adapter on DynamoDB Local with the template's table: the same scenario, the same
 * answers. Lanes, parents' counts, dependents, grants and schedule links, listings by group,
 * snoozes, and the side attributes a task's own writes must leave alone.
 */
class TaskStoreContractTest {
    private static final Duration RETENTION = Duration.ofDays(1);
    private static final TestCloud CLOUD = TestCloud.get();

    /** A store under test, and how to read an owner's active count from it. */
    record Subject(TaskStore store, java.util.function.ToLongFunction<String> active) {
    }

    static Stream<Named<java.util.function.Supplier<Subject>>> stores() {
        return Stream.of(
                Named.of("in memory", () -> {
                    InMemoryTaskStore store = new InMemoryTaskStore();
                    return new Subject(store, store::active);
                }),
                Named.of("DynamoDB", () -> {
                    CLOUD.reset();
                    DynamoDbTaskStore store = new DynamoDbTaskStore(CLOUD.clients().dynamoDb(), CLOUD.tableName());
                    return new Subject(store, store::activeCount);
                }));
    }

    private final Instant now = Instant.now();
    /** Ids a millisecond apart, so that newest first is one order. */
    private final TaskIds ids = new TaskIds(new java.time.Clock() {
        private final java.util.concurrent.atomic.AtomicLong millis = new java.util.concurrent.atomic.AtomicLong(
                System.currentTimeMillis());

        @Override
        public long millis() {
            return millis.incrementAndGet();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }, new java.security.SecureRandom());

    private Task queued(String owner, TaskOptions options) {
        return Task.create(ids.newId(), owner, "demo.sleep", null, Map.of("seconds", 0L), options, List.of(), now);
    }

    private static TaskOptions inQueue(String queue) {
        return new TaskOptions(null, null, queue, null, List.of(), null, List.of(), null, null);
    }

    private static TaskOptions child(String parent, Integer index) {
        return new TaskOptions(null, null, null, parent, List.of(), null, List.of(), null, index);
    }

    private Task finish(TaskStore store, Task task) {
        Task running = task.start("t", now, now.plusSeconds(60));
        assertTrue(store.replace(running));
        Task done = running.succeed(new TaskResult("text/plain", 1), now, RETENTION);
        assertTrue(store.replace(done));
        return done;
    }

    @ParameterizedTest
    @MethodSource("stores")
    void aNamedQueueHasOneHolderAndALineBehindIt(java.util.function.Supplier<Subject> subject) {
        TaskStore store = subject.get().store();
        Task a = store.create(queued("alice", inQueue("imports")));
        Task b = store.create(queued("alice", inQueue("imports")));
        Task c = store.create(queued("alice", inQueue("imports")));
        assertFalse(a.isHeld());
        assertTrue(b.isHeld());
        assertTrue(c.isHeld());
        assertEquals(new Lane(a.id(), 2), store.lane("alice", "imports"));
        assertEquals(Lane.FREE, store.lane("bob", "imports"), "lanes are per owner");
        assertEquals(List.of(new LaneEntry(a.id(), false), new LaneEntry(b.id(), true), new LaneEntry(c.id(), true)),
                store.queuedInLane("alice", "imports"));

        assertFalse(store.passTurn("alice", "imports", b.id(), b.takeTurn(now)), "only the holder passes it");
        assertFalse(store.freeLane("alice", "imports", a.id()), "not with tasks waiting");
        Task turned = b.takeTurn(now);
        assertTrue(store.passTurn("alice", "imports", a.id(), turned));
        assertFalse(store.find(b.id()).orElseThrow().isHeld());
        assertEquals(new Lane(b.id(), 1), store.lane("alice", "imports"));
        assertFalse(store.passTurn("alice", "imports", a.id(), c.takeTurn(now)), "a duplicate hand-over does nothing");

        // the held one is cancelled: its place in line goes with it
        assertTrue(store.replace(c.requestCancel(now, RETENTION)));
        assertEquals(new Lane(b.id(), 0), store.lane("alice", "imports"));
        assertTrue(store.freeLane("alice", "imports", b.id()));
        assertEquals(Lane.FREE, store.lane("alice", "imports"));
    }

    @ParameterizedTest
    @MethodSource("stores")
    void concurrentCreatesInOneQueueLeaveExactlyOneHolder(java.util.function.Supplier<Subject> subject)
            throws Exception {
        TaskStore store = subject.get().store();
        int n = 6;
        List<Task> tasks = java.util.stream.IntStream.range(0, n).mapToObj(i -> queued("alice", inQueue("imports")))
                .toList();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Task>> created = new java.util.ArrayList<>();
            for (Task task : tasks) {
                created.add(pool.submit(() -> {
                    go.await();
                    return store.create(task);
                }));
            }
            go.countDown();
            List<Task> stored = new java.util.ArrayList<>();
            for (java.util.concurrent.Future<Task> f : created) {
                stored.add(f.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
            List<Task> holders = stored.stream().filter(t -> !t.isHeld()).toList();
            assertEquals(1, holders.size(), "one task holds the lane, whatever the interleaving");
            assertEquals(new Lane(holders.get(0).id(), n - 1), store.lane("alice", "imports"));
            assertEquals(n, store.queuedInLane("alice", "imports").size());
            assertEquals(1, store.queuedInLane("alice", "imports").stream().filter(e -> !e.held()).count());
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void slotsAreTakenByQueuedTasksAndByPromotionsAndGivenBackOnce(java.util.function.Supplier<Subject> supplier) {
        Subject subject = supplier.get();
        TaskStore store = subject.store();
        Task blocked = Task.create(ids.newId(), "alice", "demo.sleep", null, Map.of(), TaskOptions.NONE,
                List.of(ids.newId()), now);
        Task waitingFor = Task.create(blocked.flow().pending().get(0), "alice", "demo.sleep", null, Map.of(), now);
        store.create(waitingFor);
        store.create(blocked, new Admission(1, null));
        assertEquals(1, subject.active().applyAsLong("alice"), "a blocked task takes no slot, even at the limit");
        Task promoted = blocked.dependencySucceeded(waitingFor.id(), now);
        assertEquals(TaskStatus.QUEUED, store.admit(promoted).orElseThrow().status());
        assertEquals(2, subject.active().applyAsLong("alice"), "a promotion takes its slot over the limit");
        assertTrue(store.admit(promoted).isEmpty(), "a stale promotion writes nothing");
        assertTrue(store.replace(promoted.requestCancel(now, RETENTION)));
        assertEquals(1, subject.active().applyAsLong("alice"));
        Task cancelledBlocked = Task.create(ids.newId(), "alice", "demo.sleep", null, Map.of(), TaskOptions.NONE,
                List.of(waitingFor.id()), now);
        store.create(cancelledBlocked);
        assertTrue(store.replace(cancelledBlocked.requestCancel(now, RETENTION)));
        assertEquals(1, subject.active().applyAsLong("alice"), "a task that held no slot gives none back");
    }

    @ParameterizedTest
    @MethodSource("stores")
    void aParentCountsItsChildrenAndTheirWritesLeaveItsOwnAlone(java.util.function.Supplier<Subject> supplier) {
        TaskStore store = supplier.get().store();
        Task parent = store.create(queued("alice", TaskOptions.NONE));
        Task first = store.create(queued("alice", child(parent.id(), 0)));
        Task second = store.create(queued("alice", child(parent.id(), 1)));
        assertEquals(new Relatives(List.of(), 2, 2), store.find(parent.id()).orElseThrow().relatives());
        // the parent's own writes keep what its children recorded
        Task running = parent.start("t", now, now.plusSeconds(60));
        assertTrue(store.replace(running));
        assertTrue(store.replace(running.progress(10, now, now.plusSeconds(60))));
        assertEquals(new Relatives(List.of(), 2, 2), store.find(parent.id()).orElseThrow().relatives());
        assertEquals(List.of(new ChildTask(first.id(), "demo.sleep", TaskStatus.QUEUED, null, 0),
                new ChildTask(second.id(), "demo.sleep", TaskStatus.QUEUED, null, 1)), store.children("alice", parent.id()));

        finish(store, first);
        assertEquals(new Relatives(List.of(), 2, 1), store.find(parent.id()).orElseThrow().relatives());
        assertTrue(store.delete(store.find(second.id()).orElseThrow()));
        assertEquals(new Relatives(List.of(), 1, 0), store.find(parent.id()).orElseThrow().relatives());

        Task waiting = store.find(parent.id()).orElseThrow().awaitChildren(now);
        assertFalse(store.awaitChildren(waiting), "no unfinished child: nothing to wait for");
    }

    @ParameterizedTest
    @MethodSource("stores")
    void aChildNeedsAnUnfinishedParentThatIsNotBeingCancelledNorFull(java.util.function.Supplier<Subject> supplier) {
        TaskStore store = supplier.get().store();
        Task parent = store.create(queued("alice", TaskOptions.NONE));
        Task running = parent.start("t", now, now.plusSeconds(60));
        assertTrue(store.replace(running));
        Task cancelling = running.requestCancel(now, RETENTION);
        assertTrue(store.replace(cancelling));
        assertThrows(RelativeChangedException.class, () -> store.create(queued("alice", child(parent.id(), null))));
        Task other = store.create(queued("alice", TaskOptions.NONE));
        finish(store, other);
        RelativeChangedException e = assertThrows(RelativeChangedException.class,
                () -> store.create(queued("alice", child(other.id(), null))));
        assertEquals(other.id(), e.taskId());
        Task bobs = store.create(queued("bob", TaskOptions.NONE));
        if (store instanceof DynamoDbTaskStore) {
            assertThrows(RelativeChangedException.class, () -> store.create(queued("alice", child(bobs.id(), null))),
                    "another owner's task is no parent");
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void aWaitIsWrittenOnlyWhileAChildIsUnfinished(java.util.function.Supplier<Subject> supplier) {
        TaskStore store = supplier.get().store();
        Task parent = store.create(queued("alice", TaskOptions.NONE));
        Task running = parent.start("t", now, now.plusSeconds(60));
        assertTrue(store.replace(running));
        Task kid = store.create(queued("alice", child(parent.id(), 0)));
        Task waiting = running.awaitChildren(now);
        assertTrue(store.awaitChildren(waiting));
        assertTrue(store.find(parent.id()).orElseThrow().isWaitingForChildren());
        finish(store, kid);
        Task parentNow = store.find(parent.id()).orElseThrow();
        assertEquals(0, parentNow.relatives().openChildren());
        assertTrue(store.replace(parentNow.resume(now)));
        Task again = store.find(parent.id()).orElseThrow().start("t2", now, now.plusSeconds(60));
        assertTrue(store.replace(again));
        assertFalse(store.awaitChildren(again.awaitChildren(now)), "every child finished");
    }

    @ParameterizedTest
    @MethodSource("stores")
    void aBlockedTaskIsRecordedOnItsDependenciesWhileTheyAreUnfinished(java.util.function.Supplier<Subject> supplier) {
        TaskStore store = supplier.get().store();
        Task dependency = store.create(queued("alice", TaskOptions.NONE));
        Task blocked = Task.create(ids.newId(), "alice", "demo.sleep", null, Map.of(), TaskOptions.NONE,
                List.of(dependency.id()), now);
        store.create(blocked);
        assertEquals(List.of(blocked.id()), store.find(dependency.id()).orElseThrow().relatives().dependents());
        Task done = finish(store, dependency);
        assertEquals(List.of(blocked.id()), store.find(done.id()).orElseThrow().relatives().dependents(),
                "kept through the dependency's own writes");
        Task late = Task.create(ids.newId(), "alice", "demo.sleep", null, Map.of(), TaskOptions.NONE,
                List.of(dependency.id()), now);
        assertThrows(RelativeChangedException.class, () -> store.create(late));
        assertTrue(store.find(late.id()).isEmpty(), "nothing stored");
    }

    @ParameterizedTest
    @MethodSource("stores")
    void listingsByQueueParentScheduleAndGrantsAreNewestFirstAndPaged(java.util.function.Supplier<Subject> supplier) {
        TaskStore store = supplier.get().store();
        Task parent = store.create(queued("alice", TaskOptions.NONE));
        Task k1 = store.create(queued("alice", child(parent.id(), null)));
        Task k2 = store.create(queued("alice", child(parent.id(), null)));
        Task q1 = store.create(queued("alice", inQueue("q")));
        Task scheduled = store.create(queued("alice", inQueue("q").withSchedule("000000000000000000000000000000000s01")));
        Task shared = store.create(queued("alice", new TaskOptions(null, null, null, null, List.of(), null,
                List.of("bob", "carol"), null, null)));
        assertEquals(List.of(k2.id(), k1.id()), ids(store.list("alice", scope(null, parent.id(), null, false, null, 10))));
        TaskPage first = store.list("alice", scope(null, parent.id(), null, false, null, 1));
        assertEquals(List.of(k2.id()), ids(first));
        assertEquals(List.of(k1.id()), ids(store.list("alice", scope(null, parent.id(), null, false, first.lastId(), 1))));
        assertEquals(List.of(scheduled.id(), q1.id()), ids(store.list("alice", scope("q", null, null, false, null, 10))));
        assertEquals(List.of(scheduled.id()),
                ids(store.list("alice", scope(null, null, "000000000000000000000000000000000s01", false, null, 10))));
        assertEquals(List.of(shared.id()), ids(store.list("bob", scope(null, null, null, true, null, 10))));
        assertEquals(List.of(), ids(store.list("dave", scope(null, null, null, true, null, 10))));
        assertEquals(List.of(), ids(store.list("bob", scope("q", null, null, false, null, 10))), "alice's queue, not bob's");
        assertEquals(List.of(), ids(store.list("bob", scope(null, parent.id(), null, false, null, 10))));

        Task regranted = shared.withAccess(List.of("dave"), now);
        assertFalse(store.changeAccess(regranted, regranted), "from a stale revision: nothing");
        assertTrue(store.changeAccess(shared, regranted));
        assertEquals(List.of(), ids(store.list("bob", scope(null, null, null, true, null, 10))));
        assertEquals(List.of(shared.id()), ids(store.list("dave", scope(null, null, null, true, null, 10))));
        assertTrue(store.delete(regranted));
        store.removeLinks(regranted);
        assertEquals(List.of(), ids(store.list("dave", scope(null, null, null, true, null, 10))));
    }

    @ParameterizedTest
    @MethodSource("stores")
    void aSnoozedTaskIsNotDueUntilThen(java.util.function.Supplier<Subject> supplier) {
        TaskStore store = supplier.get().store();
        Task held = store.create(queued("alice", inQueue("q")));
        Task waiting = store.create(queued("alice", inQueue("q")));
        Instant due = waiting.sweepAt();
        assertTrue(ids(store.dueForSweep(due, 100)).contains(waiting.id()));
        store.snooze(waiting, due.plusSeconds(600));
        assertFalse(ids(store.dueForSweep(due, 100)).contains(waiting.id()));
        assertTrue(ids(store.dueForSweep(due.plusSeconds(600), 100)).contains(waiting.id()));
        assertEquals(held.id(), store.lane("alice", "q").holder());
    }

    @ParameterizedTest
    @MethodSource("stores")
    void undoingAChildsCreateGivesEverythingBack(java.util.function.Supplier<Subject> supplier) {
        Subject subject = supplier.get();
        TaskStore store = subject.store();
        Task parent = store.create(queued("alice", TaskOptions.NONE));
        Task kid = queued("alice", child(parent.id(), 0));
        Admission admission = new Admission(0, new IdempotencyRecord("alice", "spawn x 0", "spawn", kid.id(),
                now.plusSeconds(3600)));
        store.create(kid, admission);
        assertEquals(2, subject.active().applyAsLong("alice"));
        store.undoCreate(kid, admission);
        assertTrue(store.find(kid.id()).isEmpty());
        assertTrue(store.findIdempotencyKey("alice", "spawn x 0").isEmpty());
        assertEquals(new Relatives(List.of(), 0, 0), store.find(parent.id()).orElseThrow().relatives());
        assertEquals(1, subject.active().applyAsLong("alice"));
    }

    @ParameterizedTest
    @MethodSource("stores")
    void aChildOutlivesItsDeletedParent(java.util.function.Supplier<Subject> supplier) {
        Subject subject = supplier.get();
        TaskStore store = subject.store();
        Task parent = store.create(queued("alice", TaskOptions.NONE));
        Task kid = store.create(queued("alice", child(parent.id(), 0)));
        assertTrue(store.delete(store.find(parent.id()).orElseThrow()));
        finish(store, kid);
        assertTrue(store.find(parent.id()).isEmpty(), "finishing the child did not bring back its parent");
        assertEquals(0, subject.active().applyAsLong("alice"));
    }

    private static TaskQuery scope(String queue, String parent, String schedule, boolean shared, String after, int size) {
        return new TaskQuery(null, null, null, null, size, after, queue, parent, schedule, shared);
    }

    private static List<String> ids(TaskPage page) {
        return ids(page.tasks());
    }

    private static List<String> ids(List<Task> tasks) {
        return tasks.stream().map(Task::id).toList();
    }
}
