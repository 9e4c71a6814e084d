package dev.longhaul.core.usecase;

import static dev.longhaul.core.usecase.ProblemAssert.assertInvalid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.core.job.JobFailedException;
import dev.longhaul.core.job.JobRegistry;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskError;
import dev.longhaul.core.task.TaskStatus;
import dev.longhaul.core.testing.Flows;
import dev.longhaul.core.testing.InterceptingTaskStore;
import dev.longhaul.core.testing.TestJob;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code dependsOn}: blocked until every dependency succeeded; failed, naming it, when one did not. */
class DependenciesTest {
    private final Flows flows = new Flows(JobRegistry.empty()
            .register(TestJob.of("ok", (p, c) -> { }))
            .register(TestJob.of("fail", (p, c) -> {
                throw new JobFailedException("boom", "planned");
            })));

    private Task create(String type, List<String> dependsOn) {
        return flows.create("alice", Map.of("type", type, "dependsOn", dependsOn));
    }

    @Test
    void blockedUntilEveryDependencySucceeded() {
        Task a = create("ok", List.of());
        Task b = create("ok", List.of());
        Task c = create("ok", List.of(a.id(), b.id()));
        assertEquals(TaskStatus.BLOCKED, c.status());
        assertEquals(List.of(c.id()), flows.get(a.id()).relatives().dependents(), "registered on each dependency");
        assertEquals(2, flows.store.active("alice"), "c takes no slot while blocked");
        flows.runNext(); // a
        assertEquals(List.of(b.id()), flows.get(c.id()).flow().pending());
        assertEquals(TaskStatus.BLOCKED, flows.get(c.id()).status());
        flows.runQueued(); // b, then c
        assertEquals(TaskStatus.SUCCEEDED, flows.get(c.id()).status());
        assertEquals(0, flows.store.active("alice"));
    }

    @Test
    void aFailingDependencyFailsTheTaskNamingIt() {
        Task a = create("fail", List.of());
        Task b = create("ok", List.of(a.id()));
        Task c = create("ok", List.of(b.id()));
        flows.runQueued();
        assertEquals(new TaskError("dependency-failed", "Dependency " + a.id() + " failed (boom)."), flows.get(b.id()).error());
        assertEquals(new TaskError("dependency-failed", "Dependency " + b.id() + " failed (dependency-failed)."),
                flows.get(c.id()).error(), "and in turn its own dependents");
        assertEquals(0, flows.store.active("alice"));
    }

    @Test
    void aCancelledOrDeletedDependencyFailsTheTask() {
        Task a = create("ok", List.of());
        Task b = create("ok", List.of());
        Task onA = create("ok", List.of(a.id()));
        Task onB = create("ok", List.of(b.id()));
        new CancelTask(new GetTask(flows.store, flows.clock), flows.store, flows.clock, Flows.RETENTION).execute("alice", a.id());
        new DeleteTask(flows.store, flows.results).execute("alice", b.id());
        flows.settle();
        assertEquals("Dependency " + a.id() + " was cancelled.", flows.get(onA.id()).error().message());
        assertEquals("Dependency " + b.id() + " was deleted.", flows.get(onB.id()).error().message());
    }

    @Test
    void aFinishedDependencyIsResolvedAtCreate() {
        Task ok = create("ok", List.of());
        Task bad = create("fail", List.of());
        flows.runQueued();
        Task afterOk = create("ok", List.of(ok.id()));
        assertEquals(TaskStatus.QUEUED, afterOk.status(), "queued at once");
        Task afterBad = create("ok", List.of(ok.id(), bad.id()));
        assertEquals(TaskStatus.FAILED, afterBad.status(), "failed at once");
        assertEquals("Dependency " + bad.id() + " failed (boom).", afterBad.error().message());
        assertEquals(1, flows.store.active("alice"));
        flows.clock.advance(Flows.RETENTION);
        Task afterExpired = create("ok", List.of(ok.id()));
        assertEquals("Dependency " + ok.id() + " expired.", afterExpired.error().message());
    }

    @Test
    void dependenciesMustBeTheCallersExistingTasksSoNoCycleCanForm() {
        Task bobs = flows.create("bob", Map.of("type", "ok"));
        assertEquals(List.of("dependsOn[0]"), assertInvalid(() -> create("ok", List.of(bobs.id()))));
        assertEquals(List.of("dependsOn[0]"), assertInvalid(() -> create("ok", List.of(String.format("%036d", 999)))));
        assertEquals(List.of("dependsOn[1]"), assertInvalid(() -> create("ok", List.of(bobs.id(), bobs.id()))));
    }

    @Test
    void aDependencyThatFinishesBetweenTheReadAndTheWriteIsReadAgain() {
        Task a = create("ok", List.of());
        InterceptingTaskStore racing = new InterceptingTaskStore(flows.store);
        CreateTask create = new CreateTask(racing, flows.queue, flows.jobs, flows.ids, flows.clock, 0, null,
                Flows.RETENTION);
        racing.onceAfterFindAll(flows::runQueued); // a succeeds after create read it running
        Task b = create.execute("alice", Map.of("type", "ok", "dependsOn", List.of(a.id())));
        assertEquals(TaskStatus.QUEUED, b.status(), "the store refused to register it on a finished task; read again");
        assertEquals(List.of(), flows.get(a.id()).relatives().dependents());
    }

    @Test
    void theSweepRecordsAnOutcomeTheDispatcherMissed() {
        Task a = create("ok", List.of());
        Task b = create("ok", List.of(a.id()));
        flows.run.execute(flows.queue.enqueued().get(0));
        flows.store.drainChanges(); // lost
        flows.skipMessages();
        assertEquals(TaskStatus.BLOCKED, flows.get(b.id()).status());
        flows.clock.advance(Duration.ofMinutes(5));
        flows.sweep.execute();
        assertEquals(TaskStatus.QUEUED, flows.get(b.id()).status());
        flows.runQueued();
        assertEquals(TaskStatus.SUCCEEDED, flows.get(b.id()).status());
        assertTrue(flows.store.active("alice") == 0);
    }

    @Test
    void aStillBlockedTaskIsSnoozed() {
        Task a = flows.create("alice", Map.of("type", "ok", "notBefore", flows.clock.instant().plusSeconds(3600).toString()));
        Task b = create("ok", List.of(a.id()));
        flows.clock.advance(Duration.ofMinutes(5));
        flows.sweep.execute();
        assertEquals(TaskStatus.BLOCKED, flows.get(b.id()).status());
        int calls = flows.store.calls();
        flows.clock.advance(Duration.ofMinutes(1));
        flows.sweep.execute();
        assertEquals(calls + 1, flows.store.calls(), "snoozed: only the index is read");
    }
}
