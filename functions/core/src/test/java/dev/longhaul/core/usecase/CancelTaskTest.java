package dev.longhaul.core.usecase;

import static dev.longhaul.core.usecase.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.core.job.JobRegistry;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskError;
import dev.longhaul.core.task.TaskResult;
import dev.longhaul.core.task.TaskStatus;
import dev.longhaul.core.testing.InMemoryWorkQueue;
import dev.longhaul.core.testing.InMemoryResultStore;
import dev.longhaul.core.testing.InMemoryTaskStore;
import dev.longhaul.core.testing.InterceptingTaskStore;
import dev.longhaul.core.testing.MutableClock;
import dev.longhaul.core.testing.SequenceIds;
import dev.longhaul.core.testing.TestJob;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CancelTaskTest {
    private static final Duration RETENTION = Duration.ofHours(1);

    private final MutableClock clock = MutableClock.at("2025-03-01T10:00:00Z");
    private final InMemoryTaskStore store = new InMemoryTaskStore(clock);
    private final SequenceIds ids = new SequenceIds();
    private final CancelTask cancelTask = new CancelTask(new GetTask(store, clock), store, clock, RETENTION);

    private Task queued() {
        Task task = Task.create(ids.newId(), "alice", "demo.sleep", null, Map.of("seconds", 1L), clock.instant());
        store.create(task);
        return task;
    }

    private Task running() {
        Task running = queued().start("token", clock.instant(), clock.instant().plusSeconds(60));
        assertTrue(store.replace(running));
        return running;
    }

    @Test
    void aQueuedTaskIsCancelledAtOnceAndGivesItsSlotBack() {
        Task task = queued();
        assertEquals(1, store.active("alice"));
        clock.advance(Duration.ofSeconds(5));

        Task cancelled = cancelTask.execute("alice", task.id());

        assertEquals(TaskStatus.CANCELLED, cancelled.status());
        assertEquals(clock.instant(), cancelled.finishedAt());
        assertEquals(clock.instant().plus(RETENTION), cancelled.expiresAt());
        assertEquals(cancelled, store.get(task.id()));
        assertEquals(0, store.active("alice"));
    }

    @Test
    void aRunningTaskIsFlaggedAndKeepsRunningAndItsSlot() {
        Task task = running();
        Task flagged = cancelTask.execute("alice", task.id());
        assertEquals(TaskStatus.RUNNING, flagged.status());
        assertTrue(flagged.cancelRequested());
        assertEquals(task.revision() + 1, flagged.revision());
        assertEquals(task.runToken(), flagged.runToken(), "the running attempt keeps its lease");
        assertEquals(flagged, store.get(task.id()));
        assertEquals(1, store.active("alice"));
    }

    @Test
    void aFlaggedRunningTaskStopsAtItsNextProgressPointAndEndsCancelled() {
        InMemoryResultStore results = new InMemoryResultStore();
        AtomicReference<Task> answered = new AtomicReference<>();
        Task task = queued();
        JobRegistry jobs = JobRegistry.empty().register(TestJob.of("demo.sleep", (parameters, context) -> {
            context.output().write('x');
            answered.set(cancelTask.execute("alice", task.id()));
            clock.advance(Duration.ofSeconds(2));
            context.progress(50);
            context.output().write('y');
        }));
        RunTask runTask = new RunTask(store, results, new InMemoryWorkQueue(), jobs, new SequenceIds(), clock, RETENTION,
                Duration.ofMinutes(5), Duration.ofSeconds(1));

        assertEquals(RunTask.Outcome.FINISHED, runTask.execute(task));

        assertTrue(answered.get().cancelRequested());
        assertEquals(TaskStatus.RUNNING, answered.get().status());
        Task stored = store.get(task.id());
        assertEquals(TaskStatus.CANCELLED, stored.status());
        assertEquals("cancelled", stored.executions().get(0).outcome());
        assertTrue(results.result(task.id()).isEmpty(), "no result for a cancelled task");
        assertEquals(0, results.openUploads());
        assertEquals(0, store.active("alice"));
    }

    @Test
    void cancellingTwiceIsHarmless() {
        Task queued = queued();
        Task first = cancelTask.execute("alice", queued.id());
        int writes = store.writes().size();
        assertEquals(first, cancelTask.execute("alice", queued.id()));
        assertEquals(writes, store.writes().size(), "nothing written the second time");
        assertEquals(0, store.active("alice"));

        Task running = running();
        Task flagged = cancelTask.execute("alice", running.id());
        writes = store.writes().size();
        assertEquals(flagged, cancelTask.execute("alice", running.id()));
        assertEquals(writes, store.writes().size());
    }

    @Test
    void aSucceededOrFailedTaskCannotBeCancelled() {
        Task succeeded = running().succeed(new TaskResult("application/json", 2), clock.instant(), RETENTION);
        assertTrue(store.replace(succeeded));
        Task failed = running().fail(new TaskError("boom", "it failed"), clock.instant(), RETENTION);
        assertTrue(store.replace(failed));

        assertProblem(Problem.Kind.CONFLICT, "task-finished", () -> cancelTask.execute("alice", succeeded.id()));
        assertProblem(Problem.Kind.CONFLICT, "task-finished", () -> cancelTask.execute("alice", failed.id()));
        assertEquals(succeeded, store.get(succeeded.id()));
        assertEquals(failed, store.get(failed.id()));
        assertEquals(0, store.active("alice"));
    }

    @Test
    void anotherOwnersOrAnUnknownTaskIsNotFound() {
        Task task = queued();
        assertProblem(Problem.Kind.NOT_FOUND, "task-not-found", () -> cancelTask.execute("mallory", task.id()));
        assertProblem(Problem.Kind.NOT_FOUND, "task-not-found", () -> cancelTask.execute("alice", ids.newId()));
        assertProblem(Problem.Kind.NOT_FOUND, "task-not-found", () -> cancelTask.execute("alice", "../x"));
        assertEquals(TaskStatus.QUEUED, store.get(task.id()).status());
    }

    @Test
    void aCancelThatLosesARaceWithTheClaimFlagsTheRunningTask() {
        Task task = queued();
        InterceptingTaskStore racing = new InterceptingTaskStore(store);
        CancelTask cancel = new CancelTask(new GetTask(racing, clock), racing, clock, RETENTION);
        // the worker claims the task between the cancel's read and its write
        racing.onceAfterFind(read -> assertTrue(store.replace(
                read.start("token", clock.instant(), clock.instant().plusSeconds(60)))));

        Task answer = cancel.execute("alice", task.id());

        assertEquals(TaskStatus.RUNNING, answer.status());
        assertTrue(answer.cancelRequested());
        assertEquals(answer, store.get(task.id()));
        assertEquals(1, store.active("alice"));
    }

    @Test
    void aCancelThatLosesARaceWithTheCompletionIsAConflict() {
        Task task = running();
        InterceptingTaskStore racing = new InterceptingTaskStore(store);
        CancelTask cancel = new CancelTask(new GetTask(racing, clock), racing, clock, RETENTION);
        racing.onceAfterFind(read -> assertTrue(store.replace(
                read.succeed(new TaskResult("application/json", 2), clock.instant(), RETENTION))));

        assertProblem(Problem.Kind.CONFLICT, "task-finished", () -> cancel.execute("alice", task.id()));
        assertEquals(TaskStatus.SUCCEEDED, store.get(task.id()).status());
        assertEquals(0, store.active("alice"));
    }
}
