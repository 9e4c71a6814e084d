package dev.longhaul.core.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.core.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The transitions the flows added: blocked, scheduled, held in a named queue, waiting for children, shared. */
class TaskFlowTest {
    private static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");
    private static final Duration RETENTION = Duration.ofHours(1);
    private static final String A = "00000000000000000000000000000000000a";
    private static final String B = "00000000000000000000000000000000000b";

    private static Task create(TaskOptions options, List<String> pending) {
        return Task.create("000000000000000000000000000000000001", "alice", "demo.sleep", null, Map.of(), options,
                pending, T0);
    }

    private static TaskOptions notBefore(Instant at) {
        return new TaskOptions(null, null, null, null, List.of(), at, List.of(), null, null);
    }

    private static TaskOptions queue(String name) {
        return new TaskOptions(null, null, name, null, List.of(), null, List.of(), null, null);
    }

    @Test
    void pendingDependenciesMakeItBlockedWithoutASlot() {
        Task t = create(new TaskOptions(null, null, null, null, List.of(A, B), null, List.of(), null, null), List.of(B, A));
        assertEquals(TaskStatus.BLOCKED, t.status());
        assertEquals(List.of(A, B), t.flow().pending());
        assertFalse(t.holdsSlot());
        assertEquals(T0.plus(Task.RECHECK_GRACE), t.sweepAt());
    }

    @Test
    void aNotBeforeMoreThanASecondAheadMakesItScheduled() {
        Task scheduled = create(notBefore(T0.plusMillis(1001)), List.of());
        assertEquals(TaskStatus.SCHEDULED, scheduled.status());
        assertFalse(scheduled.holdsSlot());
        assertEquals(T0.plusMillis(1001), scheduled.sweepAt());
        Task queued = create(notBefore(T0.plusSeconds(1)), List.of());
        assertEquals(TaskStatus.QUEUED, queued.status());
        assertTrue(queued.holdsSlot());
    }

    @Test
    void aDependencyLeftPendingKeepsItBlockedAndTheLastQueuesIt() {
        Task t = create(TaskOptions.NONE, List.of(A, B));
        Task one = t.dependencySucceeded(A, T0.plusSeconds(1));
        assertEquals(TaskStatus.BLOCKED, one.status());
        assertEquals(List.of(B), one.flow().pending());
        assertEquals(2, one.revision());
        Task both = one.dependencySucceeded(B, T0.plusSeconds(2));
        assertEquals(TaskStatus.QUEUED, both.status());
        assertTrue(both.holdsSlot());
        assertEquals(List.of(), both.flow().pending());
        assertSame(both, both.dependencySucceeded(B, T0.plusSeconds(3)), "a duplicate changes nothing");
    }

    @Test
    void theLastDependencyBeforeNotBeforeMakesItScheduledThenDue() {
        Task t = create(new TaskOptions(null, null, null, null, List.of(A), T0.plusSeconds(60), List.of(), null, null),
                List.of(A));
        Task scheduled = t.dependencySucceeded(A, T0.plusSeconds(10));
        assertEquals(TaskStatus.SCHEDULED, scheduled.status());
        assertThrows(IllegalTransitionException.class, () -> scheduled.due(T0.plusSeconds(59)));
        Task due = scheduled.due(T0.plusSeconds(60));
        assertEquals(TaskStatus.QUEUED, due.status());
        assertTrue(due.flow().admitted());
    }

    @Test
    void aFailedDependencyFailsItNamingTheDependency() {
        Task t = create(TaskOptions.NONE, List.of(A, B));
        Task failed = t.dependencyFailed(B, "was cancelled", T0.plusSeconds(5), RETENTION);
        assertEquals(TaskStatus.FAILED, failed.status());
        assertEquals(new TaskError("dependency-failed", "Dependency " + B + " was cancelled."), failed.error());
        assertEquals(T0.plusSeconds(5).plus(RETENTION), failed.expiresAt());
        assertFalse(failed.flow().admitted(), "it never held a slot, so it gives none back");
        assertSame(failed, failed.dependencyFailed(A, "failed", T0.plusSeconds(6), RETENTION));
        assertSame(t, t.dependencyFailed("00000000000000000000000000000000000c", "failed", T0, RETENTION),
                "a task it does not wait for changes nothing");
    }

    @Test
    void blockedAndScheduledTasksAreCancelledAtOnce() {
        Task blocked = create(TaskOptions.NONE, List.of(A));
        assertEquals(TaskStatus.CANCELLED, blocked.requestCancel(T0, RETENTION).status());
        Task scheduled = create(notBefore(T0.plusSeconds(30)), List.of());
        Task cancelled = scheduled.requestCancel(T0, RETENTION);
        assertEquals(TaskStatus.CANCELLED, cancelled.status());
        assertNull(cancelled.sweepAt());
    }

    @Test
    void aHeldTaskWaitsForItsTurnAndCannotStart() {
        Task held = create(queue("imports"), List.of()).heldInLane();
        assertTrue(held.isHeld());
        assertEquals(1, held.revision(), "held is how it is stored, not a change");
        assertFalse(held.holdsLane());
        assertThrows(IllegalTransitionException.class, () -> held.start("t", T0, T0.plusSeconds(300)));
        assertEquals(T0.plus(Task.RECHECK_GRACE), held.sweepAt());
        Task turn = held.takeTurn(T0.plusSeconds(3));
        assertFalse(turn.isHeld());
        assertTrue(turn.holdsLane());
        assertEquals(2, turn.revision());
        assertEquals(TaskStatus.RUNNING, turn.start("t", T0.plusSeconds(4), T0.plusSeconds(300)).status());
    }

    @Test
    void itNeverStartsBeforeItsNotBefore() {
        Task t = create(notBefore(T0.plusMillis(500)), List.of());
        assertTrue(t.isBeforeNotBefore(T0));
        assertThrows(IllegalTransitionException.class, () -> t.start("t", T0, T0.plusSeconds(300)));
        Task running = t.start("t", T0.plusMillis(500), T0.plusSeconds(300));
        assertFalse(running.startedAt().isBefore(T0.plusMillis(500)));
    }

    @Test
    void aParentWaitsForItsChildrenWithoutALeaseThenGoesBackToTheQueue() {
        Task running = Task.create("000000000000000000000000000000000001", "alice", "batch", null, Map.of(), T0)
                .start("token", T0.plusSeconds(1), T0.plusSeconds(301));
        Task waiting = running.awaitChildren(T0.plusSeconds(2));
        assertTrue(waiting.isWaitingForChildren());
        assertEquals(TaskStatus.RUNNING, waiting.status());
        assertNull(waiting.runToken());
        assertNull(waiting.leaseUntil());
        assertFalse(waiting.isLeaseLive(T0.plusSeconds(3)));
        assertEquals(Task.WAITING, waiting.executions().get(0).outcome());
        assertEquals(0, waiting.spentAttempts(), "waiting spends no attempt");
        assertEquals(T0.plusSeconds(2).plus(Task.RECHECK_GRACE), waiting.sweepAt());
        assertThrows(IllegalTransitionException.class, () -> waiting.start("other", T0.plusSeconds(400), T0.plusSeconds(700)),
                "nobody takes a waiting task over");
        assertThrows(IllegalTransitionException.class, () -> waiting.progress(50, T0.plusSeconds(3), T0.plusSeconds(300)));
        assertThrows(IllegalTransitionException.class, () -> waiting.requeue(null, T0.plusSeconds(3), RETENTION));
        Task resumed = waiting.resume(T0.plusSeconds(30));
        assertEquals(TaskStatus.QUEUED, resumed.status());
        assertFalse(resumed.flow().waiting());
        assertFalse(resumed.resumesCheckpoint(), "the job starts over, it is not continued");
        Task again = resumed.start("token-2", T0.plusSeconds(31), T0.plusSeconds(331));
        assertEquals(2, again.attempts());
        assertEquals(1, again.spentAttempts());
    }

    @Test
    void aWaitingParentIsCancelledAtOnce() {
        Task waiting = Task.create("000000000000000000000000000000000001", "alice", "batch", null, Map.of(), T0)
                .start("token", T0, T0.plusSeconds(300)).awaitChildren(T0.plusSeconds(1));
        Task cancelled = waiting.requestCancel(T0.plusSeconds(2), RETENTION);
        assertEquals(TaskStatus.CANCELLED, cancelled.status());
    }

    @Test
    void accessChangesInAnyStatus() {
        Task done = Task.create("000000000000000000000000000000000001", "alice", "demo.sleep", null, Map.of(), T0)
                .start("t", T0, T0.plusSeconds(300)).succeed(new TaskResult("text/plain", 1), T0.plusSeconds(1), RETENTION);
        Task shared = done.withAccess(List.of("bob"), T0.plusSeconds(2));
        assertEquals(List.of("bob"), shared.options().access());
        assertEquals(TaskStatus.SUCCEEDED, shared.status());
        assertTrue(shared.readableBy("bob"));
        assertTrue(shared.readableBy("alice"));
        assertFalse(shared.readableBy("carol"));
        assertEquals(done.revision() + 1, shared.revision());
    }

    @Test
    void optionsFlowAndRelativesSurviveTheInternalForm() {
        Task t = Task.create("000000000000000000000000000000000001", "alice", "demo.sleep", "d", Map.of("seconds", 1L),
                new TaskOptions("nightly", Map.of("id", "BUY-1"), "imports/eu", A, List.of(B),
                        T0.plusSeconds(60), List.of("bob"), "00000000000000000000000000000000000s", 3), List.of(B), T0);
        Task read = TaskCodec.fromJson(Json.parseObject(Json.write(TaskCodec.toJson(t))));
        assertEquals(t, read);
        assertEquals(Map.of("id", "BUY-1"), read.options().object());
    }

    @Test
    void aTaskStoredBeforeFlowsHoldsItsSlotWhenActive() {
        Task legacy = TaskCodec.fromJson(Json.parseObject("{\"id\":\"000000000000000000000000000000000001\","
                + "\"owner\":\"alice\",\"type\":\"demo.sleep\",\"status\":\"running\",\"createdAt\":\"" + T0 + "\"}"));
        assertTrue(legacy.holdsSlot());
        assertEquals(TaskOptions.NONE, legacy.options());
    }

    @Test
    void everyStatusHasItsWireNameInLifecycleOrder() {
        assertEquals("blocked, scheduled, queued, running, succeeded, failed, cancelled", TaskStatus.wireNames());
        assertTrue(TaskStatus.BLOCKED.isWaiting());
        assertFalse(TaskStatus.BLOCKED.isActive());
        assertFalse(TaskStatus.SCHEDULED.isTerminal());
    }
}
