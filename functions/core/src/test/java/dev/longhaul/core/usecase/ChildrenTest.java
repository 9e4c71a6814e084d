package dev.longhaul.core.usecase;

import static dev.longhaul.core.usecase.ProblemAssert.assertInvalid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.core.job.Child;
import dev.longhaul.core.job.FieldError;
import dev.longhaul.core.job.InvalidParametersException;
import dev.longhaul.core.job.JobRegistry;
import dev.longhaul.core.job.Parameter;
import dev.longhaul.core.json.Json;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskStatus;
import dev.longhaul.core.testing.Flows;
import dev.longhaul.core.testing.TestJob;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Parents and children: counts, listing, waiting with nothing running, cascades, and the batch job. */
class ChildrenTest {
    private final AtomicInteger runs = new AtomicInteger();
    private final List<List<Child>> seen = new ArrayList<>();
    private final JobRegistry jobs = JobRegistry.builtIn(true)
            .register(TestJob.of("fanout", (p, c) -> {
                runs.incrementAndGet();
                for (int i = 0; i < ((Number) p.get("n")).intValue(); i++) {
                    c.spawn("demo.sleep", Map.of("seconds", 0));
                }
                c.awaitChildren();
                seen.add(c.children());
            }).taking(Parameter.integer("n", 1, 100)));
    private final Flows flows = new Flows(jobs);

    private static Map<String, Object> batch(List<Map<String, Object>> tasks) {
        return Map.of("type", "batch", "parameters", Map.of("tasks", tasks));
    }

    private static Map<String, Object> sleepEntry() {
        return Map.of("type", "demo.sleep", "parameters", Map.of("seconds", 0));
    }

    @Test
    void aJobsChildrenRunWhileItWaitsWithNothingRunningThenItResumes() {
        Task parent = flows.create("alice", Map.of("type", "fanout", "parameters", Map.of("n", 3)));
        assertEquals(RunTask.Outcome.WAITING, flows.runNext());
        Task waiting = flows.get(parent.id());
        assertTrue(waiting.isWaitingForChildren());
        assertNull(waiting.leaseUntil(), "no lease: nothing runs it");
        assertEquals(3, waiting.relatives().children());
        assertEquals(3, waiting.relatives().openChildren());
        DescribeTasks.TaskView view = new DescribeTasks(flows.store).describe(waiting);
        assertEquals(3, view.children().get("queued"));
        assertEquals(3, view.children().get("total"));
        assertEquals(0, view.progress());
        flows.runNext();
        assertEquals(33, new DescribeTasks(flows.store).describe(flows.get(parent.id())).progress(),
                "the mean of its children's");
        flows.runQueued();
        Task done = flows.get(parent.id());
        assertEquals(TaskStatus.SUCCEEDED, done.status());
        assertEquals(2, runs.get(), "run again from the start once the last child finished");
        assertEquals(3, seen.get(0).size());
        assertTrue(seen.get(0).stream().allMatch(c -> c.status() == TaskStatus.SUCCEEDED));
        assertEquals(3, flows.store.children("alice", parent.id()).size(), "spawning again created none");
        assertEquals(0, flows.store.active("alice"));
        assertEquals(List.of("waiting", "succeeded"), done.executions().stream().map(e -> e.outcome()).toList());
        assertEquals(1, done.spentAttempts());
    }

    @Test
    void aWaitWhenEveryChildFinishedAlreadyReturnsAtOnce() {
        JobRegistry registry = JobRegistry.builtIn(true).register(TestJob.of("late", (p, c) -> {
            runs.incrementAndGet();
            c.spawn("demo.sleep", Map.of("seconds", 0));
            c.awaitChildren();
        }));
        Flows late = new Flows(registry);
        Task parent = late.create("alice", Map.of("type", "late"));
        Task child = late.get(late.create.spawn(parent, 0, "demo.sleep", Map.of("seconds", 0)).id());
        late.skipMessages();
        late.run.execute(child);
        late.settle();
        late.run.execute(late.queue.enqueued().get(0));
        assertEquals(TaskStatus.SUCCEEDED, late.get(parent.id()).status());
        assertEquals(1, runs.get());
    }

    @Test
    void theBatchJobFansOutAndInWithASummaryLinkingItsChildren() throws Exception {
        Task parent = flows.create("alice", batch(List.of(sleepEntry(), sleepEntry(), sleepEntry())));
        flows.runQueued();
        Task done = flows.get(parent.id());
        assertEquals(TaskStatus.SUCCEEDED, done.status());
        Map<String, Object> summary = Json.parseObject(flows.results.result(parent.id()).orElseThrow().text());
        assertEquals(3L, summary.get("succeeded"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> children = (List<Map<String, Object>>) summary.get("children");
        String first = flows.store.children("alice", parent.id()).get(0).id();
        assertEquals(first, children.get(0).get("id"));
        assertEquals(Map.of("self", "/v1/tasks/" + first, "result", "/v1/tasks/" + first + "/result"),
                children.get(0).get("links"));
    }

    @Test
    void aBatchWithAFailingChildFailsWithChildFailedNamingIt() {
        Task parent = flows.create("alice", batch(List.of(sleepEntry(),
                Map.of("type", "demo.fail", "parameters", Map.of("message", "no stock")), sleepEntry())));
        flows.runQueued();
        Task failed = flows.get(parent.id());
        String bad = flows.store.children("alice", parent.id()).get(1).id();
        assertEquals("child-failed", failed.error().code());
        assertEquals("Child task " + bad + " (demo.fail) failed: demo-failure: no stock.", failed.error().message());
    }

    @Test
    void batchEntriesAreEachValidatedAtCreate() {
        assertEquals(List.of("parameters.tasks"), assertInvalid(() -> flows.create("alice", batch(List.of()))));
        List<Map<String, Object>> tooMany = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            tooMany.add(sleepEntry());
        }
        assertEquals(List.of("parameters.tasks"), assertInvalid(() -> flows.create("alice", batch(tooMany))));
        assertEquals(List.of("parameters.tasks[1].parameters.seconds", "parameters.tasks[2].type",
                        "parameters.tasks[3].type", "parameters.tasks[4].extra"),
                assertInvalid(() -> flows.create("alice", batch(List.of(sleepEntry(),
                        Map.of("type", "demo.sleep", "parameters", Map.of("seconds", -1)),
                        Map.of("type", "nope"),
                        Map.of("type", "batch", "parameters", Map.of("tasks", List.of(sleepEntry()))),
                        Map.of("type", "demo.fail", "extra", 1))))));
        assertEquals(0, flows.store.size());
    }

    @Test
    void aBatchOfAHundredChildren() {
        List<Map<String, Object>> entries = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            entries.add(sleepEntry());
        }
        Task parent = flows.create("alice", batch(entries));
        flows.runQueued();
        assertEquals(TaskStatus.SUCCEEDED, flows.get(parent.id()).status());
        assertEquals(100, flows.store.children("alice", parent.id()).size());
        assertEquals(0, flows.store.active("alice"));
    }

    @Test
    void aChildIsCreatedUnderAnUnfinishedParentOfTheCaller() {
        Task parent = flows.create("alice", Map.of("type", "demo.sleep", "parameters", Map.of("seconds", 0)));
        Task child = flows.create("alice", Map.of("type", "demo.sleep", "parameters", Map.of("seconds", 0),
                "parent", parent.id()));
        assertEquals(parent.id(), child.options().parent());
        assertEquals(1, flows.get(parent.id()).relatives().children());
        Task bobs = flows.create("bob", Map.of("type", "demo.sleep", "parameters", Map.of("seconds", 0)));
        assertEquals(List.of("parent"), assertInvalid(() -> flows.create("alice",
                Map.of("type", "demo.fail", "parent", bobs.id()))));
        assertEquals(List.of("queue"), assertInvalid(() -> flows.create("alice",
                Map.of("type", "demo.fail", "parent", parent.id(), "queue", "q"))));
        flows.runQueued();
        assertEquals(List.of("parent"), assertInvalid(() -> flows.create("alice",
                Map.of("type", "demo.fail", "parent", parent.id()))), "finished");
    }

    @Test
    void aChildMayDependOnItsSiblingsOnly() {
        Task parent = flows.create("alice", Map.of("type", "demo.sleep", "parameters", Map.of("seconds", 0)));
        Task first = flows.create("alice", Map.of("type", "demo.fail", "parent", parent.id()));
        Task second = flows.create("alice", Map.of("type", "demo.fail", "parent", parent.id(),
                "dependsOn", List.of(first.id())));
        assertEquals(TaskStatus.BLOCKED, second.status());
        assertEquals(List.of("dependsOn[0]"), assertInvalid(() -> flows.create("alice",
                Map.of("type", "demo.fail", "parent", parent.id(), "dependsOn", List.of(parent.id())))));
    }

    @Test
    void aParentHasAtMostAHundredChildren() {
        Task parent = flows.create("alice", Map.of("type", "demo.sleep", "parameters", Map.of("seconds", 0)));
        for (int i = 0; i < CreateTask.MAX_CHILDREN; i++) {
            flows.create("alice", Map.of("type", "demo.fail", "parent", parent.id()));
        }
        assertEquals(List.of("parent"), assertInvalid(() -> flows.create("alice",
                Map.of("type", "demo.fail", "parent", parent.id()))));
    }

    @Test
    void cancellingAParentCancelsItsActiveChildren() {
        Task parent = flows.create("alice", Map.of("type", "fanout", "parameters", Map.of("n", 2)));
        flows.runNext();
        new CancelTask(new GetTask(flows.store, flows.clock), flows.store, flows.clock, Flows.RETENTION)
                .execute("alice", parent.id());
        flows.settle();
        assertEquals(TaskStatus.CANCELLED, flows.get(parent.id()).status(), "waiting, so cancelled at once");
        for (var child : flows.store.children("alice", parent.id())) {
            assertEquals(TaskStatus.CANCELLED, child.status());
        }
        assertEquals(0, flows.store.active("alice"));
    }

    @Test
    void deletingAParentDeletesItsChildren() {
        Task parent = flows.create("alice", Map.of("type", "fanout", "parameters", Map.of("n", 2)));
        flows.runNext();
        List<String> children = flows.store.children("alice", parent.id()).stream().map(c -> c.id()).toList();
        new DeleteTask(flows.store, flows.results).execute("alice", parent.id());
        flows.settle();
        for (String id : children) {
            assertNull(flows.get(id));
        }
        assertEquals(0, flows.store.active("alice"));
    }

    @Test
    void aSweepResumesAParentWhoseLastChildsEndWasMissed() {
        Task parent = flows.create("alice", Map.of("type", "fanout", "parameters", Map.of("n", 1)));
        flows.runNext();
        flows.run.execute(flows.queue.enqueued().get(1));
        flows.store.drainChanges(); // lost
        assertTrue(flows.get(parent.id()).isWaitingForChildren());
        flows.skipMessages();
        flows.clock.advance(Task.RECHECK_GRACE);
        flows.sweep.execute();
        flows.runQueued();
        assertEquals(TaskStatus.SUCCEEDED, flows.get(parent.id()).status());
    }

    @Test
    void aStaleMessageOfAWaitingParentRunsNothing() {
        Task parent = flows.create("alice", Map.of("type", "fanout", "parameters", Map.of("n", 1)));
        Task message = flows.queue.enqueued().get(0);
        flows.runNext();
        assertEquals(RunTask.Outcome.SKIPPED, flows.run.execute(message));
        assertTrue(new FailUndeliverable(flows.store, flows.clock, Flows.RETENTION).execute(parent.id()));
        assertTrue(flows.get(parent.id()).isWaitingForChildren(), "a dead letter of it fails nothing");
        assertEquals(1, runs.get());
    }

    @Test
    void spawningTwiceInOneRunCreatesTwoChildrenButAReRunFindsThem() {
        Task parent = flows.create("alice", Map.of("type", "fanout", "parameters", Map.of("n", 2)));
        Task running = flows.get(parent.id()).start("t", flows.clock.instant(), flows.clock.instant().plusSeconds(60));
        flows.store.replace(running);
        Task first = flows.create.spawn(running, 0, "demo.sleep", Map.of("seconds", 0));
        Task again = flows.create.spawn(running, 0, "demo.sleep", Map.of("seconds", 0));
        assertEquals(first.id(), again.id());
        InvalidParametersException refused = org.junit.jupiter.api.Assertions.assertThrows(
                InvalidParametersException.class, () -> flows.create.spawn(running, 1, "demo.sleep", Map.of()));
        assertEquals(List.of(new FieldError("parameters.seconds", "is required")), refused.errors());
    }
}
