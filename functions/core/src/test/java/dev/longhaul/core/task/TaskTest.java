package dev.longhaul.core.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class TaskTest {
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final Duration LEASE = Duration.ofMinutes(5);
    private static final Duration RETENTION = Duration.ofDays(7);

    private static Task queued() {
        return Task.create("000000000000000000000000000000000001", "alice", "demo.sleep", "nap",
                Map.of("seconds", 5L), T0);
    }

    private static Task running() {
        return queued().start("token-1", T0.plusSeconds(1), T0.plusSeconds(1).plus(LEASE));
    }

    @Test
    void createdTasksAreQueuedAtRevisionOne() {
        Task t = queued();
        assertEquals(TaskStatus.QUEUED, t.status());
        assertEquals(1, t.revision());
        assertEquals(0, t.attempts());
        assertNull(t.progress());
        assertEquals(T0, t.createdAt());
        assertEquals(T0, t.updatedAt());
        assertTrue(t.executions().isEmpty());
        assertNull(t.expiresAt());
        assertNull(t.ttlEpochSeconds());
        assertFalse(t.isTerminal());
    }

    @Test
    void startClaimsTheTask() {
        Instant now = T0.plusSeconds(1);
        Task t = queued().start("token-1", now, now.plus(LEASE));
        assertEquals(TaskStatus.RUNNING, t.status());
        assertEquals(0, t.progress());
        assertEquals(1, t.attempts());
        assertEquals("token-1", t.runToken());
        assertEquals(now.plus(LEASE), t.leaseUntil());
        assertEquals(now, t.startedAt());
        assertEquals(List.of(new Execution(1, now, null, "running", null)), t.executions());
        assertTrue(t.isLeaseLive(now));
        assertFalse(t.isLeaseLive(now.plus(LEASE)));
    }

    @Test
    void progressIsMonotonicAndClamped() {
        Instant now = T0.plusSeconds(2);
        Task t = running().progress(40, now, now.plus(LEASE));
        assertEquals(40, t.progress());
        assertEquals(40, t.progress(30, now, now.plus(LEASE)).progress());
        assertEquals(40, t.progress(-5, now, now.plus(LEASE)).progress());
        assertEquals(100, t.progress(150, now, now.plus(LEASE)).progress());
        assertEquals(0, running().progress(-1, now, now.plus(LEASE)).progress());
    }

    @Test
    void progressRenewsTheLease() {
        Instant now = T0.plusSeconds(200);
        Task t = running().progress(10, now, now.plus(LEASE));
        assertEquals(now.plus(LEASE), t.leaseUntil());
        assertEquals(now, t.updatedAt());
        assertEquals("token-1", t.runToken());
    }

    @Test
    void etaIsEstimatedFromTheRateSinceTheAttemptStarted() {
        Instant started = T0.plusSeconds(1);
        Instant now = started.plusSeconds(10);
        Task t = running().progress(25, now, now.plus(LEASE));
        assertEquals(now.plusSeconds(30), t.eta());
        assertEquals(now, t.progress(100, now, now.plus(LEASE)).eta());
        assertNull(running().progress(0, now, now.plus(LEASE)).eta());
    }

    @Test
    void succeedSetsExpiryFromRetention() {
        Instant done = T0.plusSeconds(60);
        Task t = running().succeed(new TaskResult("application/json", 17), done, RETENTION);
        assertEquals(TaskStatus.SUCCEEDED, t.status());
        assertEquals(100, t.progress());
        assertEquals(done, t.finishedAt());
        assertEquals(done.plus(RETENTION), t.expiresAt());
        assertEquals(done.plus(RETENTION).getEpochSecond(), t.ttlEpochSeconds());
        assertEquals(new TaskResult("application/json", 17), t.result());
        assertNull(t.runToken());
        assertNull(t.leaseUntil());
        assertNull(t.eta());
        assertEquals("succeeded", t.executions().get(0).outcome());
        assertEquals(done, t.executions().get(0).finishedAt());
        assertFalse(t.isExpired(done.plus(RETENTION).minusMillis(1)));
        assertTrue(t.isExpired(done.plus(RETENTION)));
    }

    @Test
    void ttlRoundsUpToTheNextSecond() {
        Instant done = T0.plusMillis(60_250);
        Task t = running().succeed(new TaskResult("text/plain", 1), done, RETENTION);
        assertEquals(done.plus(RETENTION).getEpochSecond() + 1, t.ttlEpochSeconds());
    }

    @Test
    void failRecordsTheErrorOnTheTaskAndTheAttempt() {
        Instant done = T0.plusSeconds(5);
        TaskError error = new TaskError("demo-failure", "boom");
        Task t = running().progress(30, done, done.plus(LEASE)).fail(error, done, RETENTION);
        assertEquals(TaskStatus.FAILED, t.status());
        assertEquals(error, t.error());
        assertEquals(30, t.progress());
        assertEquals(done.plus(RETENTION), t.expiresAt());
        assertEquals(new Execution(1, T0.plusSeconds(1), done, "failed", error), t.executions().get(0));
    }

    @Test
    void aQueuedTaskCanFailButNotSucceed() {
        Task t = queued().fail(new TaskError("unknown-type", "no"), T0, RETENTION);
        assertEquals(TaskStatus.FAILED, t.status());
        assertTrue(t.executions().isEmpty());
        assertThrows(IllegalTransitionException.class,
                () -> queued().succeed(new TaskResult("text/plain", 0), T0, RETENTION));
        assertThrows(IllegalTransitionException.class, () -> queued().progress(1, T0, T0));
        assertThrows(IllegalTransitionException.class, () -> queued().confirmCancelled(T0, RETENTION));
    }

    @Test
    void cancellingAQueuedTaskCancelsIt() {
        Task t = queued().requestCancel(T0.plusSeconds(3), RETENTION);
        assertEquals(TaskStatus.CANCELLED, t.status());
        assertEquals(T0.plusSeconds(3).plus(RETENTION), t.expiresAt());
        assertEquals(2, t.revision());
    }

    @Test
    void cancellingARunningTaskFlagsIt() {
        Task running = running();
        Task flagged = running.requestCancel(T0.plusSeconds(3), RETENTION);
        assertEquals(TaskStatus.RUNNING, flagged.status());
        assertTrue(flagged.cancelRequested());
        assertEquals(running.revision() + 1, flagged.revision());
        assertEquals(running.runToken(), flagged.runToken());
        assertEquals(running.leaseUntil(), flagged.leaseUntil());
        assertSame(flagged, flagged.requestCancel(T0.plusSeconds(4), RETENTION));

        Task cancelled = flagged.confirmCancelled(T0.plusSeconds(5), RETENTION);
        assertEquals(TaskStatus.CANCELLED, cancelled.status());
        assertEquals("cancelled", cancelled.executions().get(0).outcome());
    }

    @Test
    void cancellingAFinishedTaskIsRefused() {
        for (Task terminal : terminalTasks()) {
            IllegalTransitionException e = assertThrows(IllegalTransitionException.class,
                    () -> terminal.requestCancel(T0.plusSeconds(90), RETENTION));
            assertSame(terminal, e.task());
        }
    }

    @Test
    void startIsRefusedWhileTheLeaseIsLive() {
        Task running = running();
        Instant stillLive = running.leaseUntil().minusMillis(1);
        assertThrows(IllegalTransitionException.class,
                () -> running.start("token-2", stillLive, stillLive.plus(LEASE)));
    }

    @Test
    void anExpiredLeaseIsTakenOver() {
        Task running = running().progress(40, T0.plusSeconds(30), T0.plusSeconds(30).plus(LEASE));
        Instant later = running.leaseUntil();
        Task taken = running.start("token-2", later, later.plus(LEASE));
        assertEquals(TaskStatus.RUNNING, taken.status());
        assertEquals(2, taken.attempts());
        assertEquals("token-2", taken.runToken());
        assertEquals(40, taken.progress());
        assertEquals(running.startedAt(), taken.startedAt());
        assertEquals(new Execution(1, T0.plusSeconds(1), later, "abandoned", null), taken.executions().get(0));
        assertEquals(new Execution(2, later, null, "running", null), taken.executions().get(1));
    }

    @Test
    void aTaskWithCancelRequestedIsNotRestarted() {
        Task flagged = running().requestCancel(T0.plusSeconds(2), RETENTION);
        Instant later = flagged.leaseUntil().plusSeconds(1);
        assertThrows(IllegalTransitionException.class, () -> flagged.start("token-2", later, later.plus(LEASE)));
    }

    @Test
    void everyChangeIncrementsTheRevision() {
        Task t = queued();
        long revision = t.revision();
        List<Function<Task, Task>> changes = List.of(
                x -> x.start("token-1", T0.plusSeconds(1), T0.plusSeconds(1).plus(LEASE)),
                x -> x.progress(10, T0.plusSeconds(2), T0.plusSeconds(2).plus(LEASE)),
                x -> x.progress(10, T0.plusSeconds(3), T0.plusSeconds(3).plus(LEASE)),
                x -> x.requestCancel(T0.plusSeconds(4), RETENTION),
                x -> x.progress(20, T0.plusSeconds(5), T0.plusSeconds(5).plus(LEASE)),
                x -> x.confirmCancelled(T0.plusSeconds(6), RETENTION));
        for (Function<Task, Task> change : changes) {
            t = change.apply(t);
            assertEquals(++revision, t.revision());
        }
        assertEquals(TaskStatus.CANCELLED, t.status());
    }

    @Test
    void terminalTasksRefuseEveryChange() {
        Instant later = T0.plusSeconds(120);
        for (Task terminal : terminalTasks()) {
            assertTrue(terminal.isTerminal());
            List<Runnable> changes = List.of(
                    () -> terminal.start("token-9", later, later.plus(LEASE)),
                    () -> terminal.progress(50, later, later.plus(LEASE)),
                    () -> terminal.succeed(new TaskResult("text/plain", 1), later, RETENTION),
                    () -> terminal.fail(new TaskError("x", "y"), later, RETENTION),
                    () -> terminal.requestCancel(later, RETENTION),
                    () -> terminal.confirmCancelled(later, RETENTION));
            for (Runnable change : changes) {
                assertThrows(IllegalTransitionException.class, change::run, terminal.status().wire());
            }
        }
    }

    @Test
    void parametersCannotBeChangedThroughTheCallersMap() {
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("seconds", 5L);
        Task t = Task.create("id", "alice", "demo.sleep", null, parameters, T0);
        parameters.put("seconds", 900L);
        assertEquals(5L, t.parameters().get("seconds"));
        assertThrows(UnsupportedOperationException.class, () -> t.parameters().put("x", 1));
    }

    @Test
    void errorMessagesAreBoundedAndCodesRequired() {
        assertEquals(TaskError.MAX_MESSAGE_LENGTH, new TaskError("c", "x".repeat(5000)).message().length());
        assertEquals("", new TaskError("c", null).message());
        assertThrows(IllegalArgumentException.class, () -> new TaskError(" ", "m"));
        assertNotNull(new TaskError("c", "m").toJson());
    }

    private static List<Task> terminalTasks() {
        Instant done = T0.plusSeconds(60);
        return List.of(
                running().succeed(new TaskResult("text/plain", 1), done, RETENTION),
                running().fail(new TaskError("demo-failure", "boom"), done, RETENTION),
                queued().fail(new TaskError("unknown-type", "no"), done, RETENTION),
                queued().requestCancel(done, RETENTION),
                running().requestCancel(done, RETENTION).confirmCancelled(done, RETENTION));
    }
}
