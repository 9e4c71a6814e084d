package dev.longhaul.core.usecase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.core.job.JobFailedException;
import dev.longhaul.core.job.JobRegistry;
import dev.longhaul.core.job.Parameter;
import dev.longhaul.core.port.Lane;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskStatus;
import dev.longhaul.core.testing.Flows;
import dev.longhaul.core.testing.TestJob;
import dev.longhaul.core.task.TaskResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Named queues: one task at a time per owner and queue, in creation order, whatever happens to the head. */
class NamedQueueTest {
    private static final Parameter NAME = Parameter.string("name", 20);
    private final List<String> started = new ArrayList<>();
    private final Flows flows = new Flows(JobRegistry.empty()
            .register(TestJob.of("note", (p, c) -> started.add((String) p.get("name"))).taking(NAME))
            .register(TestJob.of("fail", (p, c) -> {
                started.add((String) p.get("name"));
                throw new JobFailedException("boom", "planned");
            }).taking(NAME))
            .register(TestJob.of("retry", (p, c) -> {
                started.add((String) p.get("name"));
                if (started.stream().filter(p.get("name")::equals).count() < 3) {
                    throw new JobFailedException("busy", "try again", true);
                }
            }).taking(NAME)));

    private Task create(String type, String name, String queue) {
        return flows.create("alice", Map.of("type", type, "parameters", Map.of("name", name), "queue", queue));
    }

    @Test
    void tasksOfOneQueueRunOneAtATimeInCreationOrder() {
        Task a = create("note", "a", "imports");
        Task b = create("note", "b", "imports");
        Task c = create("note", "c", "imports");
        Task other = create("note", "x", "reports");
        assertFalse(a.isHeld());
        assertTrue(b.isHeld());
        assertTrue(c.isHeld());
        assertFalse(other.isHeld(), "another queue is independent");
        assertEquals(List.of(a.id(), other.id()), flows.queue.enqueued().stream().map(Task::id).toList(),
                "only the heads are sent to the work queue");
        DescribeTasks describe = new DescribeTasks(flows.store);
        assertEquals(1, describe.describe(a).queuePosition());
        assertEquals(2, describe.describe(flows.get(b.id())).queuePosition());
        assertEquals(3, describe.describe(flows.get(c.id())).queuePosition());
        flows.runQueued();
        assertEquals(List.of("a", "x", "b", "c"), started);
        assertEquals(Lane.FREE, flows.store.lane("alice", "imports"), "the lane is freed after the last");
        assertNull(describe.describe(flows.get(c.id())).queuePosition(), "no position once finished");
    }

    @Test
    void aFailedOrCancelledHeadLetsTheNextStart() {
        create("fail", "a", "q");
        Task b = create("note", "b", "q");
        Task c = create("note", "c", "q");
        CancelTask cancel = new CancelTask(new GetTask(flows.store, flows.clock), flows.store, flows.clock, Flows.RETENTION);
        cancel.execute("alice", b.id());
        flows.runQueued();
        assertEquals(List.of("a", "c"), started);
        assertEquals(TaskStatus.CANCELLED, flows.get(b.id()).status());
        assertEquals(0, flows.store.active("alice"));
    }

    @Test
    void aDeletedHeadLetsTheNextStart() {
        Task a = create("note", "a", "q");
        create("note", "b", "q");
        flows.skipMessages(); // a's message is lost with it
        new DeleteTask(flows.store, flows.results).execute("alice", a.id());
        flows.runQueued();
        assertEquals(List.of("b"), started);
        assertEquals(Lane.FREE, flows.store.lane("alice", "q"));
    }

    @Test
    void retriesWithBackoffKeepTheQueueUntilTheHeadEnds() {
        create("retry", "a", "q");
        create("note", "b", "q");
        flows.runQueued(); // a fails once, retried in place: its message comes back after the backoff
        assertEquals(List.of("a"), started);
        Task a = flows.store.writes().get(0);
        // the same message delivered again, twice more, as SQS would after each backoff
        flows.clock.advance(Duration.ofMinutes(5));
        flows.run.execute(flows.get(a.id()));
        flows.settle();
        assertEquals(List.of("a", "a"), started, "b still waits");
        flows.clock.advance(Duration.ofMinutes(5));
        flows.run.execute(flows.get(a.id()));
        flows.runQueued();
        assertEquals(List.of("a", "a", "a", "b"), started);
    }

    @Test
    void aHeadLostInACrashIsRequeuedBySweepAndKeepsTheQueue() {
        Task a = create("note", "a", "q");
        Task b = create("note", "b", "q");
        flows.skipMessages(); // the head's message is lost
        flows.clock.advance(Task.QUEUED_GRACE);
        flows.sweep.execute();
        assertTrue(flows.get(b.id()).isHeld(), "the sweep requeues the head, never the held one");
        flows.runQueued();
        assertEquals(List.of("a", "b"), started);
        assertEquals(TaskStatus.SUCCEEDED, flows.get(a.id()).status());
    }

    @Test
    void theSweepPassesTheTurnWhenTheHandOverWasMissed() {
        Task a = create("note", "a", "q");
        Task b = create("note", "b", "q");
        Instant now = flows.clock.instant();
        Task running = flows.get(a.id()).start("t", now, now.plusSeconds(300));
        assertTrue(flows.store.replace(running));
        assertTrue(flows.store.replace(running.succeed(new TaskResult("text/plain", 0), now, Flows.RETENTION)));
        flows.store.drainChanges(); // the dispatcher never saw a finish
        flows.skipMessages();
        assertTrue(flows.get(b.id()).isHeld());
        flows.clock.advance(Duration.ofMinutes(4));
        flows.sweep.execute();
        assertTrue(flows.get(b.id()).isHeld(), "not checked before its grace");
        flows.clock.advance(Duration.ofMinutes(1));
        flows.sweep.execute();
        assertFalse(flows.get(b.id()).isHeld());
        flows.runQueued();
        assertEquals(List.of("b"), started);
        assertEquals(Lane.FREE, flows.store.lane("alice", "q"));
    }

    @Test
    void aHealthyQueueIsCheckedLessAndLessOften() {
        create("note", "a", "q");
        Task b = create("note", "b", "q");
        flows.skipMessages();
        flows.clock.advance(Task.RECHECK_GRACE);
        flows.sweep.execute(); // a still holds the queue (queued, its message in flight): b is left alone
        assertTrue(flows.get(b.id()).isHeld());
        int calls = flows.store.calls();
        flows.clock.advance(Duration.ofMinutes(4));
        flows.sweep.execute();
        assertEquals(calls + 1, flows.store.calls(), "one index read, b not due yet");
    }
}
