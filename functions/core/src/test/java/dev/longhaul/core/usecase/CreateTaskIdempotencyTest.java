package dev.longhaul.core.usecase;

import static dev.longhaul.core.usecase.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.core.job.JobRegistry;
import dev.longhaul.core.json.Json;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.testing.InMemoryResultStore;
import dev.longhaul.core.testing.InMemoryTaskStore;
import dev.longhaul.core.testing.InMemoryWorkQueue;
import dev.longhaul.core.testing.InterceptingTaskStore;
import dev.longhaul.core.testing.MutableClock;
import dev.longhaul.core.testing.SequenceIds;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CreateTaskIdempotencyTest {
    private static final String BODY = "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":1}}";
    private static final String KEY = "8e03978e-40d5-43e8-bc93-6894a57f9324";

    private final MutableClock clock = MutableClock.at("2025-03-01T10:00:00Z");
    private final InMemoryTaskStore store = new InMemoryTaskStore(clock);
    private final InMemoryWorkQueue queue = new InMemoryWorkQueue();
    private final SequenceIds ids = new SequenceIds();
    private final CreateTask createTask = create(store);

    private CreateTask create(dev.longhaul.core.port.TaskStore taskStore) {
        return new CreateTask(taskStore, queue, JobRegistry.builtIn(), ids, clock, 0);
    }

    private CreateTask.Created create(String owner, String body, String key) {
        return createTask.execute(owner, Json.parseObject(body), key);
    }

    @Test
    void theSameKeyAndBodyReplayTheOriginalTask() {
        CreateTask.Created first = create("alice", BODY, KEY);
        clock.advance(Duration.ofMinutes(5));
        CreateTask.Created again = create("alice", BODY, KEY);

        assertFalse(first.replayed());
        assertTrue(again.replayed());
        assertEquals(first.task(), again.task());
        assertEquals(1, store.size());
        assertEquals(List.of(first.task()), queue.enqueued(), "enqueued once");
    }

    @Test
    void theReplayShowsTheTasksCurrentState() {
        Task task = create("alice", BODY, KEY).task();
        Task running = task.start("token", clock.instant(), clock.instant().plusSeconds(60));
        assertTrue(store.replace(running));
        assertEquals(running, create("alice", BODY, KEY).task());
    }

    @Test
    void insignificantWhiteSpaceIsTheSameBody() {
        Task task = create("alice", BODY, KEY).task();
        CreateTask.Created again = create("alice",
                "{ \"type\" : \"demo.sleep\",\n  \"parameters\" : { \"seconds\" : 1 } }", KEY);
        assertTrue(again.replayed());
        assertEquals(task.id(), again.task().id());
    }

    @Test
    void keysInAnotherOrderAndNumbersWrittenAnotherWayAreTheSameBody() {
        String body = "{\"type\":\"report.stock\",\"parameters\":{\"rows\":100,\"format\":\"csv\",\"seed\":7},"
                + "\"description\":\"d\"}";
        Task task = create("alice", body, KEY).task();
        for (String same : List.of(
                "{\"description\":\"d\",\"parameters\":{\"seed\":7,\"format\":\"csv\",\"rows\":100},\"type\":\"report.stock\"}",
                "{\"parameters\":{\"format\":\"csv\",\"rows\":1e2,\"seed\":7.0},\"type\":\"report.stock\",\"description\":\"d\"}",
                "{\"type\":\"report.stock\",\"parameters\":{\"rows\":100.00,\"format\":\"csv\",\"seed\":70E-1},\"description\":\"d\"}")) {
            CreateTask.Created again = create("alice", same, KEY);
            assertTrue(again.replayed(), same);
            assertEquals(task.id(), again.task().id(), same);
        }
        assertEquals(1, store.size());
        assertEquals(1, queue.enqueued().size());
        assertProblem(Problem.Kind.UNPROCESSABLE, "idempotency-key-reused", () -> create("alice",
                "{\"parameters\":{\"format\":\"csv\",\"rows\":101,\"seed\":7},\"type\":\"report.stock\",\"description\":\"d\"}",
                KEY));
    }

    @Test
    void theSameKeyWithAnotherBodyIs422AndStoresNothing() {
        create("alice", BODY, KEY);
        assertProblem(Problem.Kind.UNPROCESSABLE, "idempotency-key-reused",
                () -> create("alice", "{\"type\":\"demo.sleep\",\"parameters\":{\"seconds\":2}}", KEY));
        assertEquals(1, store.size());
        assertEquals(1, queue.enqueued().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "has space", "tab\there", "caf\u00e9", "line\nbreak", "\u0000"})
    void aMalformedKeyIs400AndStoresNothing(String key) {
        Problem problem = assertProblem(Problem.Kind.INVALID, "invalid-idempotency-key", () -> create("alice", BODY, key));
        assertTrue(problem.extensions().containsKey("errors"));
        assertEquals(0, store.size());
        assertEquals(0, queue.enqueued().size());
    }

    @Test
    void keysAreAtMost255Characters() {
        assertFalse(create("alice", BODY, "k".repeat(CreateTask.MAX_KEY_LENGTH)).replayed());
        assertProblem(Problem.Kind.INVALID, "invalid-idempotency-key",
                () -> create("alice", BODY, "k".repeat(CreateTask.MAX_KEY_LENGTH + 1)));
        assertEquals(1, store.size());
    }

    @Test
    void anInvalidBodyIs400EvenWithAKnownKey() {
        create("alice", BODY, KEY);
        assertThrows(ProblemException.class, () -> create("alice", "{\"type\":\"demo.nope\"}", KEY));
        assertEquals(1, store.size());
    }

    @Test
    void keysAreScopedPerOwner() {
        Task alices = create("alice", BODY, KEY).task();
        CreateTask.Created bobs = create("bob", BODY, KEY);
        assertFalse(bobs.replayed());
        assertNotEquals(alices.id(), bobs.task().id());
        assertEquals("bob", bobs.task().owner());
        assertEquals(2, store.size());
        assertEquals(alices.id(), create("alice", BODY, KEY).task().id());
        assertEquals(bobs.task().id(), create("bob", BODY, KEY).task().id());
    }

    @Test
    void aKeyIsRememberedFor24Hours() {
        Task task = create("alice", BODY, KEY).task();
        clock.advance(CreateTask.KEY_RETENTION.minusSeconds(1));
        assertEquals(task.id(), create("alice", BODY, KEY).task().id());
    }

    @Test
    void anExpiredKeyCreatesANewTask() {
        Task task = create("alice", BODY, KEY).task();
        clock.advance(CreateTask.KEY_RETENTION.plusSeconds(1));
        CreateTask.Created again = create("alice", BODY, KEY);
        assertFalse(again.replayed());
        assertNotEquals(task.id(), again.task().id());
        assertEquals(2, store.size());
        assertEquals(2, queue.enqueued().size());
        // and the key now points at the new task
        assertEquals(again.task().id(), create("alice", BODY, KEY).task().id());
    }

    @Test
    void anExpiredKeyMayCarryAnotherBody() {
        create("alice", BODY, KEY);
        clock.advance(CreateTask.KEY_RETENTION.plusSeconds(1));
        assertFalse(create("alice", "{\"type\":\"demo.fail\"}", KEY).replayed());
    }

    @Test
    void aKeyWhoseTaskWasDeletedIsAConflict() {
        Task task = create("alice", BODY, KEY).task();
        new DeleteTask(store, new InMemoryResultStore()).execute("alice", task.id());
        assertProblem(Problem.Kind.CONFLICT, "idempotency-key-used", () -> create("alice", BODY, KEY));
        assertEquals(0, store.size());
    }

    @Test
    void aConcurrentDuplicateIs409AndStoresNothing() {
        create("alice", BODY, KEY);
        InterceptingTaskStore racing = new InterceptingTaskStore(store);
        // the duplicate looked before the first request stored the key
        racing.hideIdempotencyKeys(true);
        Problem problem = assertProblem(Problem.Kind.CONFLICT, "idempotency-key-in-use",
                () -> create(racing).execute("alice", Json.parseObject(BODY), KEY));
        assertEquals(1, problem.extensions().get("retryAfter"));
        assertEquals(1, store.size());
        assertEquals(1, store.active("alice"), "the refused request took no slot");
        assertEquals(1, queue.enqueued().size());
    }

    @Test
    void aCreateWhoseEnqueueFailedFreesItsKey() {
        queue.failing(true);
        assertProblem(Problem.Kind.UNAVAILABLE, "queue-unavailable", () -> create("alice", BODY, KEY));
        assertEquals(0, store.size());
        assertEquals(0, store.active("alice"));
        queue.failing(false);
        CreateTask.Created retried = create("alice", BODY, KEY);
        assertFalse(retried.replayed());
        assertEquals(1, store.size());
    }

    @Test
    void withoutAKeyEveryRequestCreatesATask() {
        Task first = createTask.execute("alice", Json.parseObject(BODY));
        Task second = createTask.execute("alice", Json.parseObject(BODY));
        assertNotEquals(first.id(), second.id());
        assertEquals(Map.of("seconds", 1L, "steps", 10L), second.parameters());
    }
}
