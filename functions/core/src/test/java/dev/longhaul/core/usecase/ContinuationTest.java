package dev.longhaul.core.usecase;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.core.job.Job;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Work that goes on later goes on in a fresh message: a continuation and a task an invocation
 * has no time to start spend none of the delivered message's receives, a continuation that made
 * progress is no attempt, and one that made none is.
 */
class ContinuationTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration MARGIN = Duration.ofSeconds(10);
    private static final int PART = 20;

    private final MutableClock clock = MutableClock.at("2026-11-25T08:00:00Z");
    private final InMemoryTaskStore store = new InMemoryTaskStore();
    private final InMemoryResultStore results = new InMemoryResultStore().parts(PART);
    private final InMemoryWorkQueue queue = new InMemoryWorkQueue();
    private final SequenceIds ids = new SequenceIds();

    private RunTask runTask(Duration margin, Job... jobs) {
        JobRegistry registry = JobRegistry.empty();
        for (Job job : jobs) {
            registry.register(job);
        }
        return new RunTask(store, results, queue, registry, new SequenceIds(), clock,
                new RunTask.Settings(Duration.ofHours(1), Duration.ofMinutes(5), Duration.ZERO, 3,
                        Duration.ofSeconds(30), Duration.ofMinutes(4), margin), Metrics.NONE);
    }

    /** One invocation's time, counted down by the clock as Lambda's context counts it. */
    private RunTask.Heartbeat invocation(Duration timeout) {
        Instant deadline = clock.instant().plus(timeout);
        return new RunTask.Heartbeat() {
            @Override
            public void beat() {
            }

            @Override
            public Duration remaining() {
                return Duration.between(clock.instant(), deadline);
            }
        };
    }

    private Task queued(String type, Map<String, Object> parameters) {
        Task task = Task.create(ids.newId(), "alice", type, null, parameters, clock.instant());
        store.create(task);
        return task;
    }

    private List<String> outcomes(String id) {
        return store.get(id).executions().stream().map(Execution::outcome).collect(Collectors.toList());
    }

    private Task lastEnqueued() {
        List<Task> enqueued = queue.enqueued();
        return enqueued.get(enqueued.size() - 1);
    }

    @Test
    void aLongJobContinuesInFreshMessagesWithoutSpendingAttemptsAndEndsByteIdentical() {
        ChunkJob job = new ChunkJob(200);
        RunTask run = runTask(MARGIN, job.job());
        Task task = queued("test.chunks", Map.of());
        job.task = task.id();

        Task delivered = task;
        int invocations = 0;
        RunTask.Run outcome;
        do {
            invocations++;
            outcome = run.execute(delivered, invocation(TIMEOUT), new RunTask.Invocation());
            if (outcome.outcome() == Outcome.HANDED_ON) {
                delivered = lastEnqueued();
                assertEquals(TaskStatus.QUEUED, delivered.status(), "the fresh message carries the queued task");
                assertEquals(store.get(task.id()), delivered, "and it is the task as stored");
            }
        } while (outcome.outcome() == Outcome.HANDED_ON && invocations < 50);

        Task done = store.get(task.id());
        assertEquals(TaskStatus.SUCCEEDED, done.status(), done.toString());
        assertTrue(invocations > 5, "more continuations than the queue's maxReceiveCount: " + invocations);
        assertEquals(invocations - 1, queue.enqueued().size(), "one fresh message per continuation");
        List<String> expected = new ArrayList<>();
        for (int i = 1; i < invocations; i++) {
            expected.add(Task.CONTINUED);
        }
        expected.add("succeeded");
        assertEquals(expected, outcomes(task.id()));
        assertTrue(done.executions().stream().allMatch(e -> e.error() == null), "no continuation was a stall");
        assertEquals(1, done.spentAttempts(), "continuations that made progress are no attempts");
        assertArrayEquals(job.expected(), results.result(task.id()).orElseThrow().bytes());
        assertTrue(results.checkpoint(task.id()).isEmpty(), "the checkpoint is gone once committed");
    }

    @Test
    void aContinuationThatStoredNothingNewCountsAsAnAttemptSoAStuckJobEnds() {
        Job stuck = TestJob.of("test.stuck", (parameters, context) -> {
            for (int i = 0; i < 1000; i++) {
                clock.advance(Duration.ofSeconds(1));
                context.progress(0);
            }
        }).asResumable();
        RunTask run = runTask(MARGIN, stuck);
        Task task = queued(stuck.type(), Map.of());

        assertEquals(Outcome.HANDED_ON, run.execute(task, invocation(TIMEOUT)).outcome());
        assertEquals(List.of(Task.CONTINUED), outcomes(task.id()));
        assertEquals("no-progress", store.get(task.id()).executions().get(0).error().code());
        assertEquals(1, store.get(task.id()).spentAttempts(), "a stalled continuation is an attempt");
        assertEquals(Outcome.HANDED_ON, run.execute(lastEnqueued(), invocation(TIMEOUT)).outcome());
        assertEquals(Outcome.FINISHED, run.execute(lastEnqueued(), invocation(TIMEOUT)).outcome());

        Task failed = store.get(task.id());
        assertEquals(TaskStatus.FAILED, failed.status());
        assertEquals("no-progress", failed.error().code());
        assertEquals(List.of(Task.CONTINUED, Task.CONTINUED, "failed"), outcomes(task.id()));
        assertTrue(results.checkpoint(task.id()).isEmpty(), "the abandoned checkpoint is discarded");
        assertEquals(2, queue.enqueued().size());
    }

    @Test
    void aSlowTaskDoesNotStrandTheRestOfItsBatch() {
        Job wait = waitJob();
        RunTask run = runTask(Duration.ofSeconds(1), wait);
        List<Task> tasks = List.of(
                queued(wait.type(), Map.of("seconds", 3L)),
                queued(wait.type(), Map.of("seconds", 3L)),
                queued(wait.type(), Map.of("seconds", 3L)));
        List<Task> delivered = tasks;

        int invocations = 0;
        while (!delivered.isEmpty() && invocations < 10) {
            invocations++;
            int before = queue.enqueued().size();
            RunTask.Invocation batch = new RunTask.Invocation();
            RunTask.Heartbeat time = invocation(Duration.ofSeconds(5));
            for (Task message : delivered) {
                Outcome outcome = run.execute(message, time, batch).outcome();
                assertTrue(outcome == Outcome.FINISHED || outcome == Outcome.HANDED_ON, outcome.name());
            }
            List<Task> enqueued = queue.enqueued();
            delivered = enqueued.subList(before, enqueued.size());
        }

        assertEquals(3, invocations, "one 3 s task per 5 s invocation, the others handed on");
        for (Task task : tasks) {
            assertEquals(TaskStatus.SUCCEEDED, store.get(task.id()).status(), store.get(task.id()).toString());
            assertEquals(List.of("succeeded"), outcomes(task.id()), "a task handed on unstarted has no attempt");
        }
    }

    @Test
    void tasksThatFitTheTimeLeftRunInTheSameInvocation() {
        Job wait = waitJob();
        RunTask run = runTask(Duration.ofSeconds(1), wait);
        RunTask.Invocation batch = new RunTask.Invocation();
        RunTask.Heartbeat time = invocation(Duration.ofSeconds(5));
        for (int i = 0; i < 3; i++) {
            assertEquals(Outcome.FINISHED, run.execute(queued(wait.type(), Map.of("seconds", 1L)), time, batch).outcome());
        }
        assertTrue(queue.enqueued().isEmpty());
    }

    @Test
    void theFirstMessageOfAnInvocationAlwaysStartsAndAResumableJobNeedsMoreThanTheMargin() {
        ChunkJob job = new ChunkJob(1);
        RunTask run = runTask(MARGIN, job.job());
        RunTask.Invocation batch = new RunTask.Invocation();
        RunTask.Heartbeat time = invocation(Duration.ofSeconds(8));
        Task first = queued("test.chunks", Map.of());
        job.task = first.id();
        assertEquals(Outcome.FINISHED, run.execute(first, time, batch).outcome(), "under the margin, but first");
        Task second = queued("test.chunks", Map.of());
        assertEquals(Outcome.HANDED_ON, run.execute(second, time, batch).outcome());
        assertEquals(TaskStatus.QUEUED, store.get(second.id()).status());
        assertEquals(0, store.get(second.id()).attempts(), "not claimed");
    }

    @Test
    void whenTheQueueRefusesTheFreshMessageTheDeliveredOneComesBackAtOnce() {
        Job wait = waitJob();
        RunTask run = runTask(Duration.ofSeconds(1), wait);
        RunTask.Invocation batch = new RunTask.Invocation();
        RunTask.Heartbeat time = invocation(Duration.ofSeconds(5));
        run.execute(queued(wait.type(), Map.of("seconds", 3L)), time, batch);
        queue.failing(true);
        Task second = queued(wait.type(), Map.of("seconds", 3L));
        RunTask.Run outcome = run.execute(second, time, batch);
        assertEquals(Outcome.RETRY, outcome.outcome());
        assertEquals(Duration.ZERO, outcome.retryAfter());
        assertEquals(TaskStatus.QUEUED, store.get(second.id()).status());
        assertNull(store.get(second.id()).runToken());
    }

    /**
     * Writes {@code chunks} lines of 10 bytes, a second of work each. Lines a checkpoint already
     * holds are regenerated for free, as skipping stored output costs little next to making and
     * uploading it.
     */
    private final class ChunkJob {
        private final int chunks;
        private String task;

        ChunkJob(int chunks) {
            this.chunks = chunks;
        }

        Job job() {
            return TestJob.of("test.chunks", (parameters, context) -> {
                int stored = results.checkpoint(task).map(bytes -> bytes.length).orElse(0);
                for (int i = 0; i < chunks; i++) {
                    context.output().write(line(i));
                    if ((i + 1) * 10 > stored) {
                        clock.advance(Duration.ofSeconds(1));
                    }
                    context.progress((i + 1) * 100 / chunks);
                }
            }).asResumable();
        }

        private byte[] line(int i) {
            return String.format("chunk%04d\n", i).getBytes(StandardCharsets.US_ASCII);
        }

        byte[] expected() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; i < chunks; i++) {
                out.writeBytes(line(i));
            }
            return out.toByteArray();
        }
    }

    /** Takes {@code seconds} of the clock, and says so: not resumable. */
    private Job waitJob() {
        return TestJob.of("test.wait", (parameters, context) -> {
            clock.advance(Duration.ofSeconds((Long) parameters.get("seconds")));
            context.output().write("{}".getBytes(StandardCharsets.US_ASCII));
        }).expecting(parameters -> Duration.ofSeconds((Long) parameters.get("seconds")));
    }
}
