package dev.longhaul.core.usecase;

import static dev.longhaul.core.usecase.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.core.job.JobRegistry;
import dev.longhaul.core.json.Json;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskStatus;
import dev.longhaul.core.testing.InMemoryResultStore;
import dev.longhaul.core.testing.InMemoryTaskStore;
import dev.longhaul.core.testing.InMemoryWorkQueue;
import dev.longhaul.core.testing.MutableClock;
import dev.longhaul.core.testing.SequenceIds;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** MAX_ACTIVE_TASKS_PER_OWNER: queued plus running tasks, a slot given back on every way out. */
class ActiveTaskLimitTest {
    private static final int LIMIT = 2;
    private static final Duration RETENTION = Duration.ofHours(1);
    private static final String SLEEP = "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":0,\"steps\":1}}";
    private static final String FAIL = "{\"type\":\"demo.fail\"}";

    private final MutableClock clock = MutableClock.at("2025-03-01T10:00:00Z");
    private final InMemoryTaskStore store = new InMemoryTaskStore(clock);
    private final InMemoryWorkQueue queue = new InMemoryWorkQueue();
    private final InMemoryResultStore results = new InMemoryResultStore();
    private final JobRegistry jobs = JobRegistry.builtIn();
    private final CreateTask createTask = new CreateTask(store, queue, jobs, new SequenceIds(), clock, LIMIT);
    private final GetTask getTask = new GetTask(store, clock);
    private final CancelTask cancelTask = new CancelTask(getTask, store, clock, RETENTION);
    private final DeleteTask deleteTask = new DeleteTask(store, results);
    private final RunTask runTask = new RunTask(store, results, new InMemoryWorkQueue(), jobs, new SequenceIds(), clock, RETENTION,
            Duration.ofMinutes(5), Duration.ofSeconds(1));

    private Task create(String owner, String body) {
        return createTask.execute(owner, Json.parseObject(body));
    }

    private void assertOverTheLimit(String owner) {
        int stored = store.size();
        int enqueued = queue.enqueued().size();
        Problem problem = assertProblem(Problem.Kind.LIMIT_EXCEEDED, "concurrency-limit-exceeded",
                () -> create(owner, SLEEP));
        assertEquals(LIMIT, problem.extensions().get("limit"));
        assertEquals((long) LIMIT, problem.extensions().get("active"));
        assertTrue(((Number) problem.extensions().get("retryAfter")).intValue() >= 1);
        assertEquals(stored, store.size(), "nothing stored");
        assertEquals(enqueued, queue.enqueued().size(), "nothing enqueued");
        assertEquals(LIMIT, store.active(owner));
    }

    @Test
    void queuedAndRunningTasksCountAndTheNextCreateIs429() {
        Task first = create("alice", SLEEP);
        create("alice", SLEEP);
        assertTrue(store.replace(first.start("token", clock.instant(), clock.instant().plusSeconds(60))));
        assertOverTheLimit("alice");
    }

    @Test
    void theLimitIsPerOwner() {
        create("alice", SLEEP);
        create("alice", SLEEP);
        assertEquals(TaskStatus.QUEUED, create("bob", SLEEP).status());
        assertEquals(1, store.active("bob"));
    }

    @Test
    void aSuccessGivesTheSlotBack() {
        Task task = create("alice", SLEEP);
        create("alice", SLEEP);
        assertEquals(RunTask.Outcome.FINISHED, runTask.execute(task));
        assertEquals(TaskStatus.SUCCEEDED, store.get(task.id()).status());
        assertEquals(1, store.active("alice"));
        create("alice", SLEEP);
        assertOverTheLimit("alice");
    }

    @Test
    void aFailureGivesTheSlotBack() {
        Task task = create("alice", FAIL);
        create("alice", SLEEP);
        assertEquals(RunTask.Outcome.FINISHED, runTask.execute(task));
        assertEquals(TaskStatus.FAILED, store.get(task.id()).status());
        assertEquals(1, store.active("alice"));
        create("alice", SLEEP);
        assertOverTheLimit("alice");
    }

    @Test
    void cancellingAQueuedTaskGivesTheSlotBack() {
        Task task = create("alice", SLEEP);
        create("alice", SLEEP);
        cancelTask.execute("alice", task.id());
        assertEquals(1, store.active("alice"));
        create("alice", SLEEP);
        assertOverTheLimit("alice");
    }

    @Test
    void aRunningTaskKeepsItsSlotUntilTheCancelIsConfirmed() {
        Task task = create("alice", SLEEP);
        create("alice", SLEEP);
        Task running = task.start("token", clock.instant(), clock.instant().plusSeconds(60));
        assertTrue(store.replace(running));
        cancelTask.execute("alice", task.id());
        assertOverTheLimit("alice");
        // the worker vanished: the redelivery after the lease confirms the cancel
        clock.advance(Duration.ofSeconds(61));
        assertEquals(RunTask.Outcome.SKIPPED, runTask.execute(running));
        assertEquals(TaskStatus.CANCELLED, store.get(task.id()).status());
        assertEquals(1, store.active("alice"));
    }

    @Test
    void deletingAnActiveTaskGivesTheSlotBack() {
        Task task = create("alice", SLEEP);
        create("alice", SLEEP);
        deleteTask.execute("alice", task.id());
        assertEquals(1, store.active("alice"));
        create("alice", SLEEP);
        assertOverTheLimit("alice");
    }

    @Test
    void aFinishedTaskIsNotCountedAgainWhenDeletedOrRedelivered() {
        Task task = create("alice", SLEEP);
        runTask.execute(task);
        runTask.execute(task);
        deleteTask.execute("alice", task.id());
        assertEquals(0, store.active("alice"));
    }

    @Test
    void anIdempotentReplayIsAnsweredAtTheLimit() {
        Task task = createTask.execute("alice", Json.parseObject(SLEEP), "key-1").task();
        create("alice", SLEEP);
        CreateTask.Created replay = createTask.execute("alice", Json.parseObject(SLEEP), "key-1");
        assertTrue(replay.replayed());
        assertEquals(task.id(), replay.task().id());
    }

    @Test
    void aFailedEnqueueGivesTheSlotBack() {
        create("alice", SLEEP);
        queue.failing(true);
        assertProblem(Problem.Kind.UNAVAILABLE, "queue-unavailable", () -> create("alice", SLEEP));
        assertEquals(1, store.active("alice"));
    }

    @Test
    void aLimitOfZeroMeansNone() {
        CreateTask unlimited = new CreateTask(store, queue, jobs, new SequenceIds(), clock, 0);
        for (int i = 0; i < 50; i++) {
            unlimited.execute("alice", Json.parseObject(SLEEP));
        }
        assertEquals(50, store.active("alice"));
    }
}
