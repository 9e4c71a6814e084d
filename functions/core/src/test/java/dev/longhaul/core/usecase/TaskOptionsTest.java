package dev.longhaul.core.usecase;

import static dev.longhaul.core.usecase.ProblemAssert.assertInvalid;
import static dev.longhaul.core.usecase.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.core.job.JobRegistry;
import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskStatus;
import dev.longhaul.core.testing.Flows;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The create fields the task model gained: each validated with a 400 naming it, each shown back. */
class TaskOptionsTest {
    private final Flows flows = new Flows(JobRegistry.builtIn());

    private static Map<String, Object> sleep(Object... fields) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "demo.sleep");
        body.put("parameters", Map.of("seconds", 0));
        for (int i = 0; i < fields.length; i += 2) {
            body.put((String) fields[i], fields[i + 1]);
        }
        return body;
    }

    @Test
    void everyFieldIsStoredAsGiven() {
        Task task = flows.create("alice", sleep("name", "nightly import", "object", Map.of("id", "BUY-1190"),
                "queue", "imports/eu-1", "access", List.of("bob", "carol")));
        Task stored = flows.get(task.id());
        assertEquals("nightly import", stored.options().name());
        assertEquals(Map.of("id", "BUY-1190"), stored.options().object());
        assertEquals("imports/eu-1", stored.options().queue());
        assertEquals(List.of("bob", "carol"), stored.options().access());
    }

    @Test
    void eachBadFieldIsNamedAndNothingIsStored() {
        assertEquals(List.of("name"), assertInvalid(() -> flows.create("alice", sleep("name", "x".repeat(201)))));
        assertEquals(List.of("name"), assertInvalid(() -> flows.create("alice", sleep("name", 5))));
        assertEquals(List.of("object"), assertInvalid(() -> flows.create("alice", sleep("object", List.of(1)))));
        assertEquals(List.of("object"), assertInvalid(() -> flows.create("alice",
                sleep("object", Map.of("blob", "x".repeat(4090))))));
        for (String bad : List.of("", "Imports", "-a", "a".repeat(65), "a b", "a#b")) {
            assertEquals(List.of("queue"), assertInvalid(() -> flows.create("alice", sleep("queue", bad))), bad);
        }
        assertEquals(List.of("parent"), assertInvalid(() -> flows.create("alice", sleep("parent", "nope"))));
        assertEquals(List.of("dependsOn[0]"), assertInvalid(() -> flows.create("alice", sleep("dependsOn", List.of("x")))));
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            tooMany.add(String.format("%036d", i + 1));
        }
        assertEquals(List.of("dependsOn"), assertInvalid(() -> flows.create("alice", sleep("dependsOn", tooMany))));
        assertEquals(List.of("notBefore"), assertInvalid(() -> flows.create("alice", sleep("notBefore", "tomorrow"))));
        assertEquals(List.of("notBefore"), assertInvalid(() -> flows.create("alice",
                sleep("notBefore", flows.clock.instant().plus(Duration.ofDays(367)).toString()))));
        assertEquals(List.of("access[1]"), assertInvalid(() -> flows.create("alice", sleep("access", List.of("bob", "")))));
        assertEquals(List.of("access[0]"), assertInvalid(() -> flows.create("alice", sleep("access", List.of("alice")))));
        assertEquals(List.of("access[1]"), assertInvalid(() -> flows.create("alice", sleep("access", List.of("bob", "bob")))));
        assertEquals(List.of("access"), assertInvalid(() -> flows.create("alice", sleep("access", "bob"))));
        assertEquals(0, flows.store.size());
    }

    @Test
    void aNotBeforeAheadMakesItScheduledAndTheSweepQueuesItThen() {
        Task task = flows.create("alice", sleep("notBefore", flows.clock.instant().plusSeconds(30).toString()));
        assertEquals(TaskStatus.SCHEDULED, task.status());
        assertEquals(0, flows.store.active("alice"), "a scheduled task holds no slot");
        assertTrue(flows.queue.enqueued().isEmpty());
        flows.clock.advance(Duration.ofSeconds(29));
        flows.sweep.execute();
        assertEquals(TaskStatus.SCHEDULED, flows.get(task.id()).status(), "never before notBefore");
        flows.clock.advance(Duration.ofSeconds(1));
        flows.sweep.execute();
        assertEquals(TaskStatus.QUEUED, flows.get(task.id()).status());
        assertEquals(1, flows.store.active("alice"));
        flows.runQueued();
        Task done = flows.get(task.id());
        assertEquals(TaskStatus.SUCCEEDED, done.status());
        assertTrue(!done.startedAt().isBefore(done.options().notBefore()), "startedAt >= notBefore");
    }

    @Test
    void aNotBeforeWithinASecondIsQueuedWithADelayedMessage() {
        Task task = flows.create("alice", sleep("notBefore", flows.clock.instant().plusMillis(700).toString()));
        assertEquals(TaskStatus.QUEUED, task.status());
        assertEquals(List.of(Duration.ofMillis(700)), flows.queue.delays());
        // delivered early (clocks differ): handed on with what is left, never started before notBefore
        assertEquals(RunTask.Outcome.HANDED_ON, flows.runNext());
        assertEquals(TaskStatus.QUEUED, flows.get(task.id()).status());
        assertEquals(Duration.ofMillis(700), flows.queue.delays().get(1));
        flows.clock.advance(Duration.ofMillis(700));
        flows.runQueued();
        assertEquals(TaskStatus.SUCCEEDED, flows.get(task.id()).status());
    }

    @Test
    void blockedAndScheduledTasksDoNotCountAgainstTheLimit() {
        Flows limited = new Flows(JobRegistry.builtIn(), 1);
        Task first = limited.create("alice", sleep());
        limited.create("alice", sleep("notBefore", limited.clock.instant().plusSeconds(60).toString()));
        limited.create("alice", sleep("dependsOn", List.of(first.id())));
        assertProblem(Problem.Kind.LIMIT_EXCEEDED, "concurrency-limit-exceeded", () -> limited.create("alice", sleep()));
        assertEquals(1, limited.store.active("alice"));
    }

    @Test
    void aPromotedTaskTakesItsSlotEvenOverTheLimit() {
        Flows limited = new Flows(JobRegistry.builtIn(), 1);
        Task scheduled = limited.create("alice", sleep("notBefore", limited.clock.instant().plusSeconds(60).toString()));
        limited.create("alice", sleep());
        limited.clock.advance(Duration.ofSeconds(60));
        limited.sweep.execute();
        assertEquals(TaskStatus.QUEUED, limited.get(scheduled.id()).status());
        assertEquals(2, limited.store.active("alice"), "accepted at create, it runs when due");
        limited.runQueued();
        assertEquals(0, limited.store.active("alice"));
    }

    @Test
    void cancellingABlockedOrScheduledTaskGivesNoSlotBack() {
        Task first = flows.create("alice", sleep("notBefore", flows.clock.instant().plusSeconds(60).toString()));
        Task blocked = flows.create("alice", sleep("dependsOn", List.of(first.id())));
        CancelTask cancel = new CancelTask(new GetTask(flows.store, flows.clock), flows.store, flows.clock, Flows.RETENTION);
        assertEquals(TaskStatus.CANCELLED, cancel.execute("alice", blocked.id()).status());
        assertEquals(TaskStatus.CANCELLED, cancel.execute("alice", first.id()).status());
        assertEquals(0, flows.store.active("alice"));
        assertNull(flows.get(first.id()).sweepAt());
    }
}
