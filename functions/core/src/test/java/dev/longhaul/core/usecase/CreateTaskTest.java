package dev.longhaul.core.usecase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.core.job.JobRegistry;
import dev.longhaul.core.json.Json;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskIds;
import dev.longhaul.core.task.TaskStatus;
import dev.longhaul.core.testing.InMemoryTaskStore;
import dev.longhaul.core.testing.InMemoryWorkQueue;
import dev.longhaul.core.testing.MutableClock;
import dev.longhaul.core.testing.SequenceIds;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CreateTaskTest {
    private final InMemoryTaskStore store = new InMemoryTaskStore();
    private final InMemoryWorkQueue queue = new InMemoryWorkQueue();
    private final MutableClock clock = MutableClock.at("2025-03-01T10:00:00Z");
    private final CreateTask createTask = new CreateTask(store, queue, JobRegistry.builtIn(), new SequenceIds(), clock, 0);

    @Test
    void aValidRequestIsStoredAndEnqueuedOnce() {
        Task task = createTask.execute("alice",
                Json.parseObject("{\"type\":\"report.stock\",\"parameters\":{\"rows\":10},\"description\":\"d\"}"));
        assertTrue(TaskIds.isWellFormed(task.id()));
        assertEquals("alice", task.owner());
        assertEquals("report.stock", task.type());
        assertEquals(TaskStatus.QUEUED, task.status());
        assertEquals("d", task.description());
        assertEquals(Map.of("rows", 10L, "format", "csv", "seed", 0L), task.parameters());
        assertEquals(clock.instant(), task.createdAt());
        assertEquals(task, store.get(task.id()));
        assertEquals(1, store.size());
        assertEquals(List.of(task), queue.enqueued());
    }

    @Test
    void parametersAndDescriptionMayBeOmittedWhenTheJobAllows() {
        Task task = createTask.execute("alice", Json.parseObject("{\"type\":\"demo.fail\"}"));
        assertNull(task.description());
        assertEquals(Map.of("message", "demo failure"), task.parameters());
    }

    @Test
    void aDescriptionAtTheLimitIsAccepted() {
        String description = "x".repeat(CreateTask.MAX_DESCRIPTION_LENGTH);
        Task task = createTask.execute("alice", Map.of("type", "demo.fail", "description", description));
        assertEquals(description, task.description());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "{\"parameters\":{\"seconds\":1}}                                   | type",
        "{}                                                                  | type",
        "{\"type\":null}                                                     | type",
        "{\"type\":\"demo.nope\"}                                            | type",
        "{\"type\":7}                                                        | type",
        "{\"type\":\"demo.sleep\",\"parameters\":[1]}                        | parameters",
        "{\"type\":\"demo.sleep\",\"parameters\":\"seconds=1\"}              | parameters",
        "{\"type\":\"demo.sleep\",\"parameters\":{}}                         | parameters.seconds",
        "{\"type\":\"demo.sleep\"}                                           | parameters.seconds",
        "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":901}}          | parameters.seconds",
        "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":1,\"x\":1}}    | parameters.x",
        "{\"type\":\"report.stock\",\"parameters\":{\"rows\":1,\"format\":\"xml\"}} | parameters.format",
        "{\"type\":\"demo.fail\",\"description\":5}                          | description",
        "{\"type\":\"demo.fail\",\"description\":[\"a\"]}                    | description",
        "{\"type\":\"demo.fail\",\"priority\":1}                             | priority",
        "{\"type\":\"demo.fail\",\"Type\":\"demo.fail\"}                     | Type",
    })
    void invalidRequestsAreRefusedWithoutSideEffects(String body, String field) {
        ProblemException e = assertThrows(ProblemException.class,
                () -> createTask.execute("alice", Json.parseObject(body.trim())));
        assertInvalid(e, field);
    }

    @Test
    void aTooLongDescriptionIsRefused() {
        ProblemException e = assertThrows(ProblemException.class, () -> createTask.execute("alice",
                Map.of("type", "demo.fail", "description", "x".repeat(CreateTask.MAX_DESCRIPTION_LENGTH + 1))));
        assertInvalid(e, "description");
    }

    @Test
    void everyErrorIsReportedAtOnce() {
        ProblemException e = assertThrows(ProblemException.class, () -> createTask.execute("alice",
                Json.parseObject("{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":-1,\"steps\":0},"
                        + "\"description\":1,\"extra\":true}")));
        assertEquals(List.of("extra", "description", "parameters.seconds", "parameters.steps"), fields(e));
        assertTrue(e.problem().detail().endsWith("(and 3 more)"), e.problem().detail());
    }

    @Test
    void aQueueFailureUndoesTheWrite() {
        queue.failing(true);
        ProblemException e = assertThrows(ProblemException.class,
                () -> createTask.execute("alice", Json.parseObject("{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":1}}")));
        assertEquals(Problem.Kind.UNAVAILABLE, e.problem().kind());
        assertEquals("queue-unavailable", e.problem().code());
        assertEquals(1, store.creates());
        assertEquals(1, store.deletes());
        assertEquals(0, store.size());
        assertTrue(queue.enqueued().isEmpty());
    }

    /** Told "not created", the caller must find nothing; if the undo fails too, the task is accepted. */
    @Test
    void aQueueFailureWhoseUndoFailsTooIsAcceptedAndTheSweeperQueuesTheTask() {
        queue.failing(true);
        store.failNextUndo(new IllegalStateException("throttled past the retries"));
        Task task = createTask.execute("alice", Json.parseObject("{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":1}}"));
        assertEquals(TaskStatus.QUEUED, store.get(task.id()).status(), "stored, as the 202 says");
        assertTrue(queue.enqueued().isEmpty());

        queue.failing(false);
        clock.advance(Task.QUEUED_GRACE.plusSeconds(1));
        new SweepTasks(store, queue, clock, Duration.ofDays(1), 3, 100).execute();
        assertEquals(List.of(task.id()), queue.enqueued().stream().map(Task::id).toList(),
                "the sweeper queues the task whose message never went");
    }

    private void assertInvalid(ProblemException e, String field) {
        assertEquals(Problem.Kind.INVALID, e.problem().kind());
        assertEquals("invalid-request", e.problem().code());
        assertTrue(fields(e).contains(field), field + " not in " + fields(e));
        assertEquals(0, store.calls());
        assertEquals(0, store.size());
        assertTrue(queue.enqueued().isEmpty());
        assertFalse(e.problem().detail().isEmpty());
    }

    @SuppressWarnings("unchecked")
    private static List<String> fields(ProblemException e) {
        List<Object> errors = (List<Object>) e.problem().extensions().get("errors");
        return errors.stream().map(o -> (String) ((Map<String, Object>) o).get("field")).collect(Collectors.toList());
    }

    /** A write that timed out after it landed: the caller is told it failed, so nothing may stay behind. */
    @Test
    void aCreateWhoseWriteLandedButTimedOutIsTakenBackAndNothingIsQueued() {
        RuntimeException timeout = new IllegalStateException("the call timed out after the write landed");
        store.failAfterNextCreate(timeout);
        CreateTask create = new CreateTask(store, queue, JobRegistry.builtIn(), new SequenceIds(), clock, 5);

        RuntimeException thrown = assertThrows(RuntimeException.class, () -> create.execute("alice",
                Json.parseObject("{\"type\":\"report.stock\",\"parameters\":{\"rows\":10}}")));
        assertSame(timeout, thrown, "the failure reaches the API as it came (a 503 when transient)");
        assertEquals(0, store.size());
        assertEquals(0, store.active("alice"), "the slot is given back");
        assertEquals(List.of(), queue.enqueued());
    }
}
