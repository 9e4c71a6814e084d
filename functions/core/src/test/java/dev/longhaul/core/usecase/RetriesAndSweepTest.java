package dev.longhaul.core.usecase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.core.job.JobFailedException;
import dev.longhaul.core.job.JobRegistry;
import dev.longhaul.core.log.Metrics;
import dev.longhaul.core.task.Execution;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskStatus;
import dev.longhaul.core.testing.InMemoryResultStore;
import dev.longhaul.core.testing.InMemoryTaskStore;
import dev.longhaul.core.testing.InMemoryWorkQueue;
import dev.longhaul.core.testing.MutableClock;
import dev.longhaul.core.testing.SequenceIds;
import dev.longhaul.core.testing.TestJob;
import dev.longhaul.core.usecase.RunTask.Outcome;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Retries with backoff, the attempt limit, heartbeats, the sweeper and the dead-letter path, on fakes. */
class RetriesAndSweepTest {
    private static final Duration RETENTION = Duration.ofHours(1);
    private static final Duration LEASE = Duration.ofSeconds(60);
    private static final RunTask.Settings SETTINGS = new RunTask.Settings(RETENTION, LEASE, Duration.ofSeconds(1), 3,
            Duration.ofSeconds(30), Duration.ofMinutes(4), Duration.ofSeconds(60));

    private final InMemoryTaskStore store = new InMemoryTaskStore();
    private final InMemoryResultStore results = new InMemoryResultStore();
    private final InMemoryWorkQueue queue = new InMemoryWorkQueue();
    private final MutableClock clock = MutableClock.at("2026-11-25T08:00:00Z");
    private final SequenceIds ids = new SequenceIds();
    private final JobRegistry jobs = JobRegistry.builtIn();
    private final ByteArrayOutputStream metricLines = new ByteArrayOutputStream();

    private RunTask runTask() {
        return new RunTask(store, results, new InMemoryWorkQueue(), jobs, new SequenceIds(), clock, SETTINGS,
                new Metrics(new PrintStream(metricLines, true, StandardCharsets.UTF_8), "worker"));
    }

    private Task queued(String type) {
        Task task = Task.create(ids.newId(), "alice", type, null, Map.of(), clock.instant());
        store.create(task);
        return task;
    }

    private List<String> outcomes(String id) {
        return store.get(id).executions().stream().map(Execution::outcome).collect(Collectors.toList());
    }

    @Test
    void backoffDoublesFromTheBaseUpToTheCap() {
        RunTask run = runTask();
        assertEquals(Duration.ofSeconds(30), run.backoff(1));
        assertEquals(Duration.ofSeconds(60), run.backoff(2));
        assertEquals(Duration.ofSeconds(120), run.backoff(3));
        assertEquals(Duration.ofMinutes(4), run.backoff(4));
        assertEquals(Duration.ofMinutes(4), run.backoff(40));
    }

    @Test
    void aRetryableFailureRequeuesWithBackoffThenFailsAfterTheLastAttempt() {
        AtomicInteger runs = new AtomicInteger();
        jobs.register(TestJob.of("test.flaky", (parameters, context) -> {
            runs.incrementAndGet();
            throw new JobFailedException("upstream-busy", "the warehouse API is busy", true);
        }));
        Task task = queued("test.flaky");

        RunTask.Run first = runTask().execute(task, RunTask.Heartbeat.NONE);
        assertEquals(Outcome.RETRY, first.outcome());
        assertEquals(Duration.ofSeconds(30), first.retryAfter());
        assertEquals(TaskStatus.QUEUED, store.get(task.id()).status());
        assertEquals(List.of("retried"), outcomes(task.id()));

        RunTask.Run second = runTask().execute(store.get(task.id()), RunTask.Heartbeat.NONE);
        assertEquals(Duration.ofSeconds(60), second.retryAfter());

        RunTask.Run third = runTask().execute(store.get(task.id()), RunTask.Heartbeat.NONE);
        assertEquals(Outcome.FINISHED, third.outcome());
        Task failed = store.get(task.id());
        assertEquals(TaskStatus.FAILED, failed.status());
        assertEquals("upstream-busy", failed.error().code());
        assertEquals(3, failed.attempts());
        assertEquals(List.of("retried", "retried", "failed"), outcomes(task.id()));
        assertEquals(3, runs.get());
        assertEquals(0, store.active("alice"), "the slot is back");
        assertTrue(metricLines.toString(StandardCharsets.UTF_8).contains("\"TasksFailed\":1"));
    }

    @Test
    void aNonRetryableFailureFailsAtOnce() {
        jobs.register(TestJob.of("test.bad", (parameters, context) -> {
            throw new JobFailedException("bad-input", "the export is malformed");
        }));
        Task task = queued("test.bad");
        assertEquals(Outcome.FINISHED, runTask().execute(task));
        assertEquals(TaskStatus.FAILED, store.get(task.id()).status());
        assertEquals(1, store.get(task.id()).attempts());
    }

    @Test
    void progressWritesAreHeartbeats() {
        AtomicInteger beats = new AtomicInteger();
        jobs.register(TestJob.of("test.long", (parameters, context) -> {
            for (int i = 1; i <= 5; i++) {
                clock.advance(Duration.ofSeconds(2));
                context.progress(i * 20);
            }
        }));
        Task task = queued("test.long");
        RunTask.Run run = runTask().execute(task, beats::incrementAndGet);
        assertEquals(Outcome.FINISHED, run.outcome());
        assertEquals(5, beats.get(), "each renewed lease is a heartbeat");
    }

    @Test
    void aTaskWhoseAttemptsAllVanishedFailsAtTheNextClaim() {
        Task task = queued("demo.sleep");
        Task current = store.get(task.id());
        for (int attempt = 1; attempt <= 3; attempt++) {
            Task running = current.start("run-" + attempt, clock.instant(), clock.instant().plus(LEASE));
            assertTrue(store.replace(running));
            clock.advance(LEASE.plusSeconds(1));
            current = store.get(task.id());
        }
        assertEquals(Outcome.SKIPPED, runTask().execute(current));
        Task failed = store.get(task.id());
        assertEquals(TaskStatus.FAILED, failed.status());
        assertEquals("retries-exhausted", failed.error().code());
    }

    @Test
    void sweeperRequeuesLostAndAbandonedTasksAndFailsSpentOnes() {
        SweepTasks sweep = new SweepTasks(store, queue, clock, RETENTION, 2, 100);
        Task lost = queued("demo.sleep");
        Task abandoned = queued("demo.sleep");
        assertTrue(store.replace(store.get(abandoned.id()).start("run-1", clock.instant(), clock.instant().plus(LEASE))));
        Task alive = queued("demo.sleep");

        clock.advance(Task.QUEUED_GRACE.plusSeconds(1));
        assertTrue(store.replace(store.get(alive.id()).start("run-9", clock.instant(), clock.instant().plus(LEASE))));
        SweepTasks.Report report = sweep.execute();

        assertEquals(2, report.requeued());
        assertEquals(TaskStatus.QUEUED, store.get(lost.id()).status());
        assertEquals(TaskStatus.QUEUED, store.get(abandoned.id()).status());
        assertEquals(List.of("abandoned"), outcomes(abandoned.id()));
        assertEquals(TaskStatus.RUNNING, store.get(alive.id()).status(), "a live lease is left alone");
        assertEquals(2, queue.enqueued().size());

        // the abandoned task's second attempt dies too: with 2 attempts allowed, the sweeper fails it
        assertTrue(store.replace(store.get(abandoned.id()).start("run-2", clock.instant(), clock.instant().plus(LEASE))));
        clock.advance(LEASE.plusSeconds(1));
        SweepTasks.Report second = sweep.execute();
        assertTrue(second.failed() >= 1);
        assertEquals(TaskStatus.FAILED, store.get(abandoned.id()).status());
        assertEquals("worker-lost", store.get(abandoned.id()).error().code());
    }

    @Test
    void aDeadLetteredTaskFailsUnlessAWorkerHoldsIt() {
        FailUndeliverable failUndeliverable = new FailUndeliverable(store, clock, RETENTION);
        Task queuedTask = queued("demo.sleep");
        Task held = queued("demo.sleep");
        assertTrue(store.replace(store.get(held.id()).start("run-1", clock.instant(), clock.instant().plus(LEASE))));

        assertTrue(failUndeliverable.execute(queuedTask.id()));
        assertFalse(failUndeliverable.execute(held.id()));
        assertTrue(failUndeliverable.execute("no-such-task"));

        assertEquals("undeliverable", store.get(queuedTask.id()).error().code());
        assertEquals(TaskStatus.RUNNING, store.get(held.id()).status());
    }

    @Test
    void aRequeueOfATaskWhoseCancelWasRequestedCancelsIt() {
        Task task = queued("demo.sleep");
        Task running = store.get(task.id()).start("run-1", clock.instant(), clock.instant().plus(LEASE));
        assertTrue(store.replace(running));
        assertTrue(store.replace(store.get(task.id()).requestCancel(clock.instant(), RETENTION)));
        Task requeued = store.get(task.id()).requeue(null, clock.instant(), RETENTION);
        assertEquals(TaskStatus.CANCELLED, requeued.status());
    }
}
