package dev.longhaul.core.usecase;

import static dev.longhaul.core.usecase.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.core.job.JobRegistry;
import dev.longhaul.core.port.ResultUpload;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskResult;
import dev.longhaul.core.testing.InMemoryWorkQueue;
import dev.longhaul.core.testing.InMemoryResultStore;
import dev.longhaul.core.testing.InMemoryTaskStore;
import dev.longhaul.core.testing.InterceptingTaskStore;
import dev.longhaul.core.testing.MutableClock;
import dev.longhaul.core.testing.SequenceIds;
import dev.longhaul.core.testing.TestJob;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeleteTaskTest {
    private static final Duration RETENTION = Duration.ofHours(1);

    private final MutableClock clock = MutableClock.at("2025-03-01T10:00:00Z");
    private final InMemoryTaskStore store = new InMemoryTaskStore(clock);
    private final InMemoryResultStore results = new InMemoryResultStore();
    private final SequenceIds ids = new SequenceIds();
    private final DeleteTask deleteTask = new DeleteTask(store, results);

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

    private Task succeededWithResult() {
        Task running = running();
        try (ResultUpload upload = results.open(running.id(), "application/json")) {
            upload.stream().write("{}".getBytes());
            upload.commit();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Task done = running.succeed(new TaskResult("application/json", 2), clock.instant(), RETENTION);
        assertTrue(store.replace(done));
        return done;
    }

    @Test
    void deletesTheRecordAndTheResult() {
        Task task = succeededWithResult();
        assertTrue(results.result(task.id()).isPresent());

        deleteTask.execute("alice", task.id());

        assertNull(store.get(task.id()));
        assertTrue(results.result(task.id()).isEmpty());
        assertEquals(0, store.active("alice"), "a finished task's slot is not given back twice");
    }

    @Test
    void deletingAQueuedTaskGivesItsSlotBack() {
        Task task = queued();
        queued();
        assertEquals(2, store.active("alice"));
        deleteTask.execute("alice", task.id());
        assertNull(store.get(task.id()));
        assertEquals(1, store.active("alice"));
    }

    @Test
    void aLaterGetIsNotFound() {
        Task task = queued();
        deleteTask.execute("alice", task.id());
        assertProblem(Problem.Kind.NOT_FOUND, "task-not-found", () -> new GetTask(store, clock).execute("alice", task.id()));
        assertProblem(Problem.Kind.NOT_FOUND, "task-not-found", () -> deleteTask.execute("alice", task.id()));
    }

    @Test
    void anotherOwnerGets404AndDeletesNothing() {
        Task task = succeededWithResult();
        assertProblem(Problem.Kind.NOT_FOUND, "task-not-found", () -> deleteTask.execute("mallory", task.id()));
        assertEquals(task, store.get(task.id()));
        assertTrue(results.result(task.id()).isPresent());
    }

    @Test
    void aMalformedIdIs404WithoutALookup() {
        int calls = store.calls();
        assertProblem(Problem.Kind.NOT_FOUND, "task-not-found", () -> deleteTask.execute("alice", "../../x"));
        assertEquals(calls, store.calls());
    }

    @Test
    void aDeleteThatRacesAnotherWriteRereadsAndDeletes() {
        Task task = queued();
        InterceptingTaskStore racing = new InterceptingTaskStore(store);
        racing.onceAfterFind(read -> assertTrue(store.replace(
                read.start("token", clock.instant(), clock.instant().plusSeconds(60)))));

        new DeleteTask(racing, results).execute("alice", task.id());

        assertNull(store.get(task.id()));
        assertEquals(0, store.active("alice"));
    }

    @Test
    void aTaskDeletedWhileRunningLeavesNoResultAndItsSlotIsGivenBackOnce() {
        Task[] task = new Task[1];
        JobRegistry jobs = JobRegistry.empty().register(TestJob.of("demo.sleep", (parameters, context) -> {
            deleteTask.execute("alice", task[0].id());
            context.output().write("{}".getBytes());
        }));
        task[0] = queued();
        RunTask runTask = new RunTask(store, results, new InMemoryWorkQueue(), jobs, new SequenceIds(), clock, RETENTION,
                Duration.ofMinutes(5), Duration.ofSeconds(1));

        assertEquals(RunTask.Outcome.SKIPPED, runTask.execute(task[0]));

        assertNull(store.get(task[0].id()));
        assertTrue(results.result(task[0].id()).isEmpty(), "the run removed what it wrote");
        assertEquals(0, store.active("alice"));
    }
}
