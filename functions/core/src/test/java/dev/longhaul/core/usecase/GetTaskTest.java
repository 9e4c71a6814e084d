package dev.longhaul.core.usecase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskResult;
import dev.longhaul.core.testing.InMemoryTaskStore;
import dev.longhaul.core.testing.MutableClock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class GetTaskTest {
    static final String ID = "01jh5k3v9qz8x7w6t5s4r3p2n1m0kjhgfedc";
    private final InMemoryTaskStore store = new InMemoryTaskStore();
    private final MutableClock clock = MutableClock.at("2025-03-01T10:00:00Z");
    private final GetTask getTask = new GetTask(store, clock);

    private Task stored() {
        Task task = Task.create(ID, "alice", "demo.sleep", null, Map.of("seconds", 1L, "steps", 10L), clock.instant());
        store.put(task);
        return task;
    }

    @Test
    void theOwnerGetsTheTask() {
        Task task = stored();
        assertEquals(task, getTask.execute("alice", ID));
    }

    @Test
    void anotherOwnersTaskIsNotFound() {
        stored();
        assertKind(Problem.Kind.NOT_FOUND, "task-not-found", () -> getTask.execute("mallory", ID));
        assertKind(Problem.Kind.NOT_FOUND, "task-not-found", () -> getTask.execute("Alice", ID));
    }

    @Test
    void aMissingTaskIsNotFound() {
        assertKind(Problem.Kind.NOT_FOUND, "task-not-found", () -> getTask.execute("alice", ID));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"../../etc/passwd", "%2e%2e%2f", "01JH5K3V9QZ8X7W6T5S4R3P2N1M0KJHGFEDC",
        "01jh5k3v9qz8x7w6t5s4r3p2n1m0kjhgfed", "01jh5k3v9qz8x7w6t5s4r3p2n1m0kjhgf\u00e9dc"})
    void aMalformedIdIsNotFoundWithoutALookup(String id) {
        stored();
        assertKind(Problem.Kind.NOT_FOUND, "task-not-found", () -> getTask.execute("alice", id));
        assertEquals(0, store.calls());
    }

    @Test
    void anExpiredTaskIsGoneEvenBeforeItIsDeleted() {
        Task task = stored().start("t", clock.instant(), clock.instant().plusSeconds(60))
                .succeed(new TaskResult("application/json", 2), clock.instant(), Duration.ofHours(1));
        store.put(task);
        clock.advance(Duration.ofHours(1).minusMillis(1));
        assertEquals(task, getTask.execute("alice", ID));
        clock.advance(Duration.ofMillis(1));
        assertKind(Problem.Kind.GONE, "task-expired", () -> getTask.execute("alice", ID));
        assertKind(Problem.Kind.NOT_FOUND, "task-not-found", () -> getTask.execute("mallory", ID));
    }

    static void assertKind(Problem.Kind kind, String code, Runnable call) {
        ProblemException e = assertThrows(ProblemException.class, call::run);
        assertEquals(kind, e.problem().kind());
        assertEquals(code, e.problem().code());
    }
}
