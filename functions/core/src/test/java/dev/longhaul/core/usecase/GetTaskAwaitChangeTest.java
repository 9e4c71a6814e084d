package dev.longhaul.core.usecase;

import static dev.longhaul.core.usecase.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskStatus;
import dev.longhaul.core.testing.InMemoryTaskStore;
import dev.longhaul.core.testing.MutableClock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code Prefer: wait}: answer as soon as the task moves past the known revision, or when the wait ends. */
class GetTaskAwaitChangeTest {
    private static final String ID = "01jh5k3v9qz8x7w6t5s4r3p2n1m0kjhgfedc";

    private final MutableClock clock = MutableClock.at("2025-03-01T10:00:00Z");
    private final InMemoryTaskStore store = new InMemoryTaskStore(clock);
    private final GetTask getTask = new GetTask(store, clock);
    private final CancelTask cancelTask = new CancelTask(getTask, store, clock, Duration.ofHours(1));

    private Task queued() {
        Task task = Task.create(ID, "alice", "demo.sleep", null, Map.of("seconds", 1L), clock.instant());
        store.create(task);
        return task;
    }

    private static long millisSince(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    @Test
    void answersAfterTheWaitWhenNothingChanges() throws Exception {
        Task task = queued();
        long start = System.nanoTime();
        Task answer = getTask.awaitChange("alice", ID, task.revision(), Duration.ofMillis(400));
        long took = millisSince(start);
        assertEquals(task, answer);
        assertTrue(took >= 400 && took < 1500, "took " + took + " ms");
    }

    @Test
    void answersAsSoonAsTheTaskChanges() throws Exception {
        Task task = queued();
        CompletableFuture<Task> cancel = CompletableFuture.supplyAsync(() -> {
            sleep(200);
            return cancelTask.execute("alice", ID);
        });
        long start = System.nanoTime();
        Task answer = getTask.awaitChange("alice", ID, task.revision(), Duration.ofSeconds(5));
        long took = millisSince(start);
        assertEquals(TaskStatus.CANCELLED, answer.status());
        assertEquals(cancel.get(), answer);
        assertTrue(took >= 150 && took < 1500, "took " + took + " ms");
    }

    @Test
    void answersAtOnceWhenTheTaskAlreadyMovedPastTheKnownRevision() throws Exception {
        Task task = queued();
        Task running = task.start("token", clock.instant(), clock.instant().plusSeconds(60));
        assertTrue(store.replace(running));
        long start = System.nanoTime();
        assertEquals(running, getTask.awaitChange("alice", ID, task.revision(), Duration.ofSeconds(5)));
        assertTrue(millisSince(start) < 200);
    }

    @Test
    void answersAtOnceForAFinishedTask() throws Exception {
        queued();
        Task cancelled = cancelTask.execute("alice", ID);
        long start = System.nanoTime();
        assertEquals(cancelled, getTask.awaitChange("alice", ID, cancelled.revision(), Duration.ofSeconds(5)));
        assertTrue(millisSince(start) < 200);
    }

    @Test
    void aZeroWaitAnswersAtOnce() throws Exception {
        Task task = queued();
        long start = System.nanoTime();
        assertEquals(task, getTask.awaitChange("alice", ID, task.revision(), Duration.ZERO));
        assertTrue(millisSince(start) < 200);
    }

    @Test
    void anotherOwnerIsNotFoundWithoutWaiting() {
        Task task = queued();
        long start = System.nanoTime();
        assertProblem(Problem.Kind.NOT_FOUND, "task-not-found",
                () -> getTask.awaitChange("mallory", ID, task.revision(), Duration.ofSeconds(5)));
        assertTrue(millisSince(start) < 200);
    }

    @Test
    void aTaskDeletedDuringTheWaitIsNotFound() {
        Task task = queued();
        CompletableFuture.runAsync(() -> {
            sleep(200);
            store.delete(store.get(ID));
        });
        assertProblem(Problem.Kind.NOT_FOUND, "task-not-found",
                () -> getTask.awaitChange("alice", ID, task.revision(), Duration.ofSeconds(5)));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
