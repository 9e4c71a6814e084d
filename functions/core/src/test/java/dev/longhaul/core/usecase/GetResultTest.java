package dev.longhaul.core.usecase;

import static dev.longhaul.core.usecase.GetTaskTest.ID;
import static dev.longhaul.core.usecase.GetTaskTest.assertKind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.core.job.JobRegistry;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskError;
import dev.longhaul.core.task.TaskResult;
import dev.longhaul.core.testing.InMemoryResultStore;
import dev.longhaul.core.testing.InMemoryTaskStore;
import dev.longhaul.core.testing.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GetResultTest {
    private static final Duration PRESIGN = Duration.ofMinutes(15);
    private static final Duration LEASE = Duration.ofMinutes(5);
    private final InMemoryTaskStore store = new InMemoryTaskStore();
    private final InMemoryResultStore results = new InMemoryResultStore();
    private final MutableClock clock = MutableClock.at("2025-03-01T10:00:00Z");
    private final GetResult getResult = new GetResult(new GetTask(store, clock), results, JobRegistry.builtIn(),
            clock, PRESIGN);

    private Task queued() {
        Task task = Task.create(ID, "alice", "report.stock", null,
                Map.of("rows", 10L, "format", "csv", "seed", 0L), clock.instant());
        store.put(task);
        return task;
    }

    private Task running() {
        Task task = queued().start("t", clock.instant(), clock.instant().plus(LEASE));
        store.put(task);
        return task;
    }

    private Task succeeded(Duration retention) {
        Task task = running().succeed(new TaskResult("text/csv; charset=utf-8", 99), clock.instant(), retention);
        store.put(task);
        return task;
    }

    @Test
    void aQueuedTaskHasNoResultYet() {
        queued();
        ProblemException e = assertThrows(ProblemException.class, () -> getResult.execute("alice", ID));
        assertEquals(Problem.Kind.CONFLICT, e.problem().kind());
        assertEquals("result-not-ready", e.problem().code());
        assertEquals(2L, e.problem().extensions().get("retryAfter"));
    }

    @Test
    void aRunningTaskHasNoResultYetAndARetryAfterFromItsEta() {
        Task running = running();
        Instant now = clock.advance(Duration.ofSeconds(40));
        store.put(running.progress(20, now, now.plus(LEASE)));
        // 40 s for 20 %: 160 s to go, poll in a quarter of that, capped at 30 s
        ProblemException e = assertThrows(ProblemException.class, () -> getResult.execute("alice", ID));
        assertEquals(Problem.Kind.CONFLICT, e.problem().kind());
        assertEquals("result-not-ready", e.problem().code());
        assertEquals(30L, e.problem().extensions().get("retryAfter"));

        store.put(store.get(ID).progress(80, now, now.plus(LEASE)));
        e = assertThrows(ProblemException.class, () -> getResult.execute("alice", ID));
        assertEquals(2L, e.problem().extensions().get("retryAfter"));
    }

    @Test
    void aFailedTaskReportsItsError() {
        store.put(running().fail(new TaskError("demo-failure", "it broke"), clock.instant(), Duration.ofDays(1)));
        ProblemException e = assertThrows(ProblemException.class, () -> getResult.execute("alice", ID));
        assertEquals(Problem.Kind.CONFLICT, e.problem().kind());
        assertEquals("task-failed", e.problem().code());
        assertEquals(Map.of("code", "demo-failure", "message", "it broke"), e.problem().extensions().get("error"));
        assertTrue(e.problem().detail().contains("it broke"));
    }

    @Test
    void aCancelledTaskHasNoResult() {
        store.put(queued().requestCancel(clock.instant(), Duration.ofDays(1)));
        assertKind(Problem.Kind.CONFLICT, "task-cancelled", () -> getResult.execute("alice", ID));
    }

    @Test
    void aSucceededTaskGetsALinkLivingThePresignTime() {
        succeeded(Duration.ofDays(1));
        GetResult.Download download = getResult.execute("alice", ID);
        assertEquals(PRESIGN, download.ttl());
        assertEquals(URI.create("mem://results/" + ID + "?ttl=900"), download.url());
        assertEquals(new InMemoryResultStore.Presign(ID, "text/csv; charset=utf-8", ID + ".csv", PRESIGN),
                results.lastPresign());
    }

    @Test
    void theLinkNeverOutlivesTheTask() {
        succeeded(Duration.ofMinutes(20));
        clock.advance(Duration.ofMinutes(15));
        GetResult.Download download = getResult.execute("alice", ID);
        assertEquals(Duration.ofMinutes(5), download.ttl());
        assertEquals(URI.create("mem://results/" + ID + "?ttl=300"), download.url());
    }

    @Test
    void theLinkLivesAtLeastOneSecond() {
        succeeded(Duration.ofMinutes(20));
        clock.advance(Duration.ofMinutes(20).minusMillis(300));
        assertEquals(Duration.ofSeconds(1), getResult.execute("alice", ID).ttl());
        clock.advance(Duration.ofMillis(300));
        assertKind(Problem.Kind.GONE, "task-expired", () -> getResult.execute("alice", ID));
    }

    @Test
    void anotherOwnerGetsNothing() {
        succeeded(Duration.ofDays(1));
        assertKind(Problem.Kind.NOT_FOUND, "task-not-found", () -> getResult.execute("mallory", ID));
        assertEquals(null, results.lastPresign());
    }
}
