package dev.longhaul.core.usecase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.core.job.JobRegistry;
import dev.longhaul.core.job.builtin.SleepJob;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskError;
import dev.longhaul.core.task.TaskResult;
import dev.longhaul.core.task.TaskStatus;
import dev.longhaul.core.testing.InMemoryWorkQueue;
import dev.longhaul.core.testing.InMemoryResultStore;
import dev.longhaul.core.testing.InMemoryTaskStore;
import dev.longhaul.core.testing.MutableClock;
import dev.longhaul.core.testing.SequenceIds;
import dev.longhaul.core.testing.TestJob;
import dev.longhaul.core.usecase.RunTask.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RunTaskTest {
    private static final Duration RETENTION = Duration.ofDays(1);
    private static final Duration LEASE = Duration.ofMinutes(5);
    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(1);
    private static final String SLEPT = "{\"sleptSeconds\":0}";

    private final InMemoryTaskStore store = new InMemoryTaskStore();
    private final InMemoryResultStore results = new InMemoryResultStore();
    private final MutableClock clock = MutableClock.at("2025-03-01T10:00:00Z");
    private final SequenceIds ids = new SequenceIds();
    private final SequenceIds tokens = new SequenceIds();
    private final JobRegistry jobs = JobRegistry.builtIn();
    /** The id of the task under test, for jobs that act on the store while they run. */
    private final AtomicReference<String> taskId = new AtomicReference<>();

    private RunTask runTask() {
        return new RunTask(store, results, new InMemoryWorkQueue(), jobs, tokens, clock, RETENTION, LEASE, PROGRESS_INTERVAL);
    }

    private Task queued(String type, Map<String, Object> parameters) {
        Task task = Task.create(ids.newId(), "alice", type, null, parameters, clock.instant());
        store.create(task);
        taskId.set(task.id());
        return task;
    }

    private Task queuedSleep() {
        return queued("demo.sleep", new SleepJob().parameters().validate(Map.of("seconds", 0L)));
    }

    private Task stored() {
        return store.get(taskId.get());
    }

    /** Another worker or the API changing the task, as it would through the port. */
    private void concurrently(java.util.function.UnaryOperator<Task> change) {
        assertTrue(store.replace(change.apply(stored())), "concurrent write refused");
    }

    private List<Task> progressWrites() {
        // running states written after the claim (revision 2) are progress writes
        return store.writes().stream()
                .filter(t -> t.id().equals(taskId.get()) && t.status() == TaskStatus.RUNNING && t.revision() > 2)
                .collect(Collectors.toList());
    }

    @Test
    void aSleepOfZeroSecondsSucceedsWithItsResultCommittedOnce() {
        Task snapshot = queuedSleep();
        assertEquals(Outcome.FINISHED, runTask().execute(snapshot));
        Task done = stored();
        assertEquals(TaskStatus.SUCCEEDED, done.status());
        assertEquals(100, done.progress());
        assertEquals(new TaskResult("application/json", SLEPT.length()), done.result());
        assertEquals(1, done.attempts());
        assertEquals("succeeded", done.executions().get(0).outcome());
        assertEquals(1, done.executions().size());
        assertEquals(clock.instant().plus(RETENTION), done.expiresAt());
        assertNull(done.runToken());
        assertEquals(1, results.commits(snapshot.id()));
        assertEquals(SLEPT, results.result(snapshot.id()).orElseThrow().text());
        assertEquals("application/json", results.result(snapshot.id()).orElseThrow().contentType());
        assertEquals(0, results.openUploads());
    }

    @Test
    void aFailingJobFailsTheTaskWithItsMessageAndNoResult() {
        Task snapshot = queued("demo.fail", Map.of("message", "the printer is on fire"));
        assertEquals(Outcome.FINISHED, runTask().execute(snapshot));
        Task done = stored();
        assertEquals(TaskStatus.FAILED, done.status());
        assertEquals(new TaskError("demo-failure", "the printer is on fire"), done.error());
        assertEquals(done.error(), done.executions().get(0).error());
        assertEquals(0, results.commits(snapshot.id()));
        assertTrue(results.result(snapshot.id()).isEmpty());
        assertEquals(0, results.openUploads());
    }

    @Test
    void aRedeliveredSnapshotOfAFinishedTaskChangesNothing() {
        Task snapshot = queuedSleep();
        assertEquals(Outcome.FINISHED, runTask().execute(snapshot));
        Task done = stored();
        int writes = store.writes().size();

        assertEquals(Outcome.SKIPPED, runTask().execute(snapshot));
        assertEquals(Outcome.SKIPPED, runTask().execute(done));
        assertEquals(done, stored());
        assertEquals(writes, store.writes().size());
        assertEquals(1, results.opens());
        assertEquals(1, results.commits(snapshot.id()));
    }

    @Test
    void aDuplicateWhileAnotherAttemptHoldsTheLeaseIsRetriedLater() {
        Task snapshot = queuedSleep();
        concurrently(t -> t.start("other-worker", clock.instant(), clock.instant().plus(LEASE)));
        Task held = stored();
        clock.advance(LEASE.minusMillis(1));

        assertEquals(Outcome.RETRY, runTask().execute(snapshot));
        assertEquals(held, stored());
        assertEquals(0, results.opens());
    }

    @Test
    void aTaskWhoseWorkerVanishedIsTakenOverOnceTheLeaseExpires() {
        Task snapshot = queuedSleep();
        concurrently(t -> t.start("other-worker", clock.instant(), clock.instant().plus(LEASE)));
        Instant takeover = clock.advance(LEASE);

        assertEquals(Outcome.FINISHED, runTask().execute(snapshot));
        Task done = stored();
        assertEquals(TaskStatus.SUCCEEDED, done.status());
        assertEquals(2, done.attempts());
        assertEquals("abandoned", done.executions().get(0).outcome());
        assertEquals(takeover, done.executions().get(0).finishedAt());
        assertEquals("succeeded", done.executions().get(1).outcome());
        assertEquals(2, done.executions().get(1).attempt());
        assertEquals(1, results.commits(snapshot.id()));
    }

    @Test
    void aCancelRequestedWhileRunningStopsTheJob() {
        AtomicBoolean continued = new AtomicBoolean();
        jobs.register(TestJob.of("test.cancelled", (parameters, context) -> {
            context.output().write("partial".getBytes(StandardCharsets.UTF_8));
            context.progress(10);
            concurrently(t -> t.requestCancel(clock.instant(), RETENTION));
            clock.advance(PROGRESS_INTERVAL);
            context.progress(20);
            continued.set(true);
        }));
        Task snapshot = queued("test.cancelled", Map.of());

        assertEquals(Outcome.FINISHED, runTask().execute(snapshot));
        assertFalse(continued.get());
        Task done = stored();
        assertEquals(TaskStatus.CANCELLED, done.status());
        assertEquals("cancelled", done.executions().get(0).outcome());
        assertNull(done.result());
        assertEquals(0, results.commits(snapshot.id()));
        assertTrue(results.result(snapshot.id()).isEmpty());
        assertEquals(0, results.openUploads());
    }

    @Test
    void aCancelRequestedWhileTheWorkerWasGoneIsConfirmedOnRedelivery() {
        Task snapshot = queuedSleep();
        concurrently(t -> t.start("other-worker", clock.instant(), clock.instant().plus(LEASE)));
        concurrently(t -> t.requestCancel(clock.instant(), RETENTION));
        clock.advance(LEASE);

        assertEquals(Outcome.SKIPPED, runTask().execute(snapshot));
        assertEquals(TaskStatus.CANCELLED, stored().status());
        assertEquals(0, results.opens());
    }

    @Test
    void aStoreFailureOnTheFinalWriteIsRetriedAndCompletedByTheRedelivery() {
        Task snapshot = queuedSleep();
        store.failNextReplaces(1, Task::isTerminal);

        assertEquals(Outcome.RETRY, runTask().execute(snapshot));
        assertEquals(TaskStatus.RUNNING, stored().status());
        assertEquals(Outcome.RETRY, runTask().execute(snapshot), "lease still held by the first attempt");

        clock.advance(LEASE);
        assertEquals(Outcome.FINISHED, runTask().execute(snapshot));
        Task done = stored();
        assertEquals(TaskStatus.SUCCEEDED, done.status());
        assertEquals(2, done.attempts());
        assertEquals(List.of("abandoned", "succeeded"),
                done.executions().stream().map(e -> e.outcome()).collect(Collectors.toList()));
        assertEquals(1, results.visibleCount());
        assertEquals(SLEPT, results.result(snapshot.id()).orElseThrow().text());
        // the first attempt committed before its final write failed; the second adopted that object
        assertEquals(1, results.commits(snapshot.id()), "the result is written once");
        assertEquals(0, results.openUploads());
    }

    @Test
    void aResultStoreFailureOnCommitIsRetriedWithNothingVisible() {
        Task snapshot = queuedSleep();
        results.failOnCommit(true);
        assertEquals(Outcome.RETRY, runTask().execute(snapshot));
        Task requeued = stored();
        assertEquals(TaskStatus.QUEUED, requeued.status(), "back in the queue for the next attempt");
        assertEquals("retried", requeued.executions().get(0).outcome());
        assertEquals("temporary-failure", requeued.executions().get(0).error().code());
        assertTrue(results.result(snapshot.id()).isEmpty());
        assertEquals(0, results.openUploads());
    }

    @Test
    void aStoreFailureOnAProgressWriteIsRetried() {
        jobs.register(TestJob.of("test.flaky", (parameters, context) -> {
            clock.advance(PROGRESS_INTERVAL);
            store.failNext(1);
            context.progress(10);
        }));
        Task snapshot = queued("test.flaky", Map.of());
        assertEquals(Outcome.RETRY, runTask().execute(snapshot));
        assertEquals(TaskStatus.QUEUED, stored().status(), "given back for the next attempt");
        assertEquals(0, results.commits(snapshot.id()));
        assertEquals(0, results.openUploads());
    }

    @Test
    void aStoreFailureOnTheClaimPropagatesAndWritesNothing() {
        Task snapshot = queuedSleep();
        store.failNext(1);
        assertThrows(IllegalStateException.class, () -> runTask().execute(snapshot));
        assertEquals(snapshot, stored());
        assertEquals(0, results.opens());
    }

    @Test
    void anAttemptThatLostItsLeaseStopsWithoutAResult() {
        AtomicBoolean continued = new AtomicBoolean();
        jobs.register(TestJob.of("test.slow", (parameters, context) -> {
            Instant now = clock.advance(LEASE);
            concurrently(t -> t.start("other-worker", now, now.plus(LEASE)));
            context.progress(50);
            continued.set(true);
        }));
        Task snapshot = queued("test.slow", Map.of());

        assertEquals(Outcome.SKIPPED, runTask().execute(snapshot));
        assertFalse(continued.get());
        Task current = stored();
        assertEquals(TaskStatus.RUNNING, current.status());
        assertEquals("other-worker", current.runToken());
        assertEquals(2, current.attempts());
        assertEquals(0, results.commits(snapshot.id()));
        assertEquals(0, results.openUploads());
    }

    @Test
    void anUnexpectedJobErrorFailsTheTaskWithoutItsMessage() {
        jobs.register(TestJob.of("test.buggy", (parameters, context) -> {
            context.output().write('x');
            throw new IllegalStateException("connection to db-internal:5432 refused, password=hunter2");
        }));
        Task snapshot = queued("test.buggy", Map.of());

        assertEquals(Outcome.FINISHED, runTask().execute(snapshot));
        Task done = stored();
        assertEquals(TaskStatus.FAILED, done.status());
        assertEquals("job-error", done.error().code());
        assertFalse(done.error().message().contains("hunter2"), done.error().message());
        assertFalse(done.error().message().contains("db-internal"), done.error().message());
        assertEquals(0, results.commits(snapshot.id()));
        assertEquals(0, results.openUploads());
    }

    @Test
    void anUnknownTypeFailsTheTask() {
        Task snapshot = queued("report.retired", Map.of());
        assertEquals(Outcome.FINISHED, runTask().execute(snapshot));
        Task done = stored();
        assertEquals(TaskStatus.FAILED, done.status());
        assertEquals("unknown-type", done.error().code());
        assertEquals(1, done.attempts());
        assertEquals(0, results.opens());
    }

    @Test
    void progressWritesAreRateLimited() {
        jobs.register(TestJob.of("test.chatty", (parameters, context) -> {
            for (int i = 1; i <= 1000; i++) {
                context.progress(i / 10);
            }
        }));
        Task snapshot = queued("test.chatty", Map.of());
        assertEquals(Outcome.FINISHED, runTask().execute(snapshot));
        assertEquals(TaskStatus.SUCCEEDED, stored().status());
        assertEquals(List.of(), progressWrites());
    }

    @Test
    void eachProgressCallWritesOnceTheIntervalHasPassed() {
        jobs.register(TestJob.of("test.steady", (parameters, context) -> {
            for (int i = 1; i <= 100; i++) {
                clock.advance(PROGRESS_INTERVAL);
                context.progress(i);
            }
        }));
        Task snapshot = queued("test.steady", Map.of());
        assertEquals(Outcome.FINISHED, runTask().execute(snapshot));
        List<Task> writes = progressWrites();
        assertEquals(100, writes.size());
        for (int i = 0; i < writes.size(); i++) {
            Task write = writes.get(i);
            assertEquals(i + 1, write.progress());
            assertEquals(write.updatedAt().plus(LEASE), write.leaseUntil(), "each write renews the lease");
        }
    }

    /**
     * Progress is the heartbeat: a job that keeps calling it must keep its lease, even while its
     * percentage stands still (a long last step, a slow page), or another worker takes it over.
     */
    @Test
    void progressAtAStandstillStillRenewsTheLease() {
        AtomicReference<Instant> leaseAtEnd = new AtomicReference<>();
        AtomicReference<Instant> endedAt = new AtomicReference<>();
        jobs.register(TestJob.of("test.stalled", (parameters, context) -> {
            for (int minute = 1; minute <= 10; minute++) {
                clock.advance(Duration.ofMinutes(1));
                context.progress(50);
            }
            leaseAtEnd.set(stored().leaseUntil());
            endedAt.set(clock.instant());
        }));
        Task snapshot = queued("test.stalled", Map.of());
        runTask().execute(snapshot);
        assertTrue(leaseAtEnd.get().isAfter(endedAt.get()),
                "lease ran out at " + leaseAtEnd.get() + " while the job was still reporting at " + endedAt.get());
    }

    /** Progress is the cancellation point: a stalled percentage must not hide a cancel request. */
    @Test
    void aCancelIsNoticedWhileProgressStandsStill() {
        AtomicBoolean finishedWork = new AtomicBoolean();
        jobs.register(TestJob.of("test.stalled-cancel", (parameters, context) -> {
            clock.advance(PROGRESS_INTERVAL);
            context.progress(50);
            concurrently(t -> t.requestCancel(clock.instant(), RETENTION));
            for (int i = 0; i < 5; i++) {
                clock.advance(PROGRESS_INTERVAL);
                context.progress(50);
            }
            finishedWork.set(true);
        }));
        Task snapshot = queued("test.stalled-cancel", Map.of());
        assertEquals(Outcome.FINISHED, runTask().execute(snapshot));
        assertFalse(finishedWork.get(), "the job ran on after the cancel request");
        assertEquals(TaskStatus.CANCELLED, stored().status());
        assertEquals(0, results.commits(snapshot.id()));
    }

    @Test
    void runTokensDifferPerAttempt() {
        Task snapshot = queuedSleep();
        concurrently(t -> t.start(tokens.newId(), clock.instant(), clock.instant().plus(LEASE)));
        String first = stored().runToken();
        clock.advance(LEASE);
        store.failNextReplaces(1, Task::isTerminal);
        assertEquals(Outcome.RETRY, runTask().execute(snapshot));
        assertNotEquals(first, stored().runToken());
    }
}
