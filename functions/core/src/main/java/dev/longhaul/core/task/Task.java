package dev.longhaul.core.task;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A task resource and its state machine. Every change returns a new task with {@code revision}
 * one higher; stores write it only if the stored revision is still the one it was derived from,
 * so a late or duplicated update can never overwrite a newer state, terminal ones included.
 *
 * <pre>
 * queued -> running -> succeeded | failed | cancelled
 * queued -> cancelled | failed
 * running -> running (lease taken over after the previous worker vanished)
 * </pre>
 *
 * @param owner         the authenticated principal ({@code sub}) that created it
 * @param parameters    the validated job parameters, never logged
 * @param progress      null until running, then 0-100 and never decreasing
 * @param eta           estimated completion instant, from the progress rate
 * @param attempts      how many times a worker claimed it
 * @param runToken      the claim of the attempt holding the lease, null when none runs
 * @param leaseUntil    until when that claim holds without a heartbeat
 * @param expiresAt     set on the terminal transition; after it the task and its result are gone
 * @param notifications webhook delivery attempts about the task, oldest first
 */
public record Task(
        String id,
        String owner,
        String type,
        TaskStatus status,
        Integer progress,
        String description,
        Map<String, Object> parameters,
        Instant createdAt,
        Instant updatedAt,
        Instant startedAt,
        Instant finishedAt,
        Instant expiresAt,
        Instant eta,
        int attempts,
        List<Execution> executions,
        TaskError error,
        TaskResult result,
        long revision,
        boolean cancelRequested,
        String runToken,
        Instant leaseUntil,
        List<Notification> notifications) {

    public Task {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        parameters = parameters == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        executions = executions == null ? List.of() : List.copyOf(executions);
        notifications = notifications == null ? List.of() : List.copyOf(notifications);
    }

    /** A new task, queued, at revision 1. */
    public static Task create(String id, String owner, String type, String description,
                              Map<String, Object> parameters, Instant now) {
        return new Task(id, owner, type, TaskStatus.QUEUED, null, description, parameters, now, now,
                null, null, null, null, 0, List.of(), null, null, 1, false, null, null, List.of());
    }

    public boolean isTerminal() {
        return status.isTerminal();
    }

    /** True once {@code expiresAt} has passed: the task answers 410 even before TTL deletes it. */
    public boolean isExpired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /** True while a claimed attempt's lease still holds. */
    public boolean isLeaseLive(Instant now) {
        return status == TaskStatus.RUNNING && leaseUntil != null && now.isBefore(leaseUntil);
    }

    /**
     * Claims the task for an attempt: queued becomes running, or a running task whose lease
     * expired is taken over (the previous attempt is recorded as abandoned).
     */
    public Task start(String token, Instant now, Instant lease) {
        boolean takeover = status == TaskStatus.RUNNING && !isLeaseLive(now);
        if (!(status == TaskStatus.QUEUED || takeover) || cancelRequested) {
            throw new IllegalTransitionException(this, "start");
        }
        List<Execution> history = new ArrayList<>(executions.size() + 1);
        for (Execution e : executions) {
            history.add(e.isOpen() ? e.finish(now, "abandoned", null) : e);
        }
        history.add(new Execution(attempts + 1, now, null, "running", null));
        return new Task(id, owner, type, TaskStatus.RUNNING, progress == null ? 0 : progress, description,
                parameters, createdAt, now, startedAt == null ? now : startedAt, null, null, eta,
                attempts + 1, history, null, null, revision + 1, false, token, lease, notifications);
    }

    /**
     * Puts a task back in the queue for another attempt: the running attempt is recorded as
     * {@code retried} with its error (or {@code abandoned} when its worker vanished without
     * one). A task whose owner asked to cancel is cancelled instead.
     */
    public Task requeue(TaskError failure, Instant now, Duration retention) {
        if (!status.isActive()) {
            throw new IllegalTransitionException(this, "requeue");
        }
        if (cancelRequested) {
            return finish(TaskStatus.CANCELLED, progress, null, null, now, retention, "cancelled");
        }
        List<Execution> history = new ArrayList<>(executions);
        if (!history.isEmpty() && history.get(history.size() - 1).isOpen()) {
            history.set(history.size() - 1, history.get(history.size() - 1)
                    .finish(now, failure == null ? "abandoned" : "retried", failure));
        }
        return new Task(id, owner, type, TaskStatus.QUEUED, progress, description, parameters, createdAt, now,
                startedAt, null, null, null, attempts, history, null, null, revision + 1, false, null, null,
                notifications);
    }

    /**
     * Hands a running task on to a new invocation (its job checkpointed before the function's
     * time ran out): back to the queue, the attempt recorded as {@code continued}, progress kept.
     */
    public Task suspend(Instant now) {
        return suspend(now, null);
    }

    /**
     * As {@link #suspend(Instant)}, for an attempt that stored nothing new: recorded as
     * {@code continued} with {@code stall} as its error, it counts against the attempt limit, so a
     * job that cannot advance still ends.
     */
    public Task suspend(Instant now, TaskError stall) {
        requireRunning("suspend");
        List<Execution> history = new ArrayList<>(executions);
        if (!history.isEmpty() && history.get(history.size() - 1).isOpen()) {
            history.set(history.size() - 1, history.get(history.size() - 1).finish(now, CONTINUED, stall));
        }
        return new Task(id, owner, type, TaskStatus.QUEUED, progress, description, parameters, createdAt, now,
                startedAt, null, null, eta, attempts, history, null, null, revision + 1, cancelRequested, null, null,
                notifications);
    }

    /** Outcome of an attempt that handed its work on to the next invocation. */
    public static final String CONTINUED = "continued";

    /**
     * Attempts that count against the attempt limit: all but those that handed their work on
     * after making progress, an open attempt included (it is being given up when this is asked).
     */
    public int spentAttempts() {
        int spent = 0;
        for (Execution e : executions) {
            if (!CONTINUED.equals(e.outcome()) || e.error() != null) {
                spent++;
            }
        }
        return spent;
    }

    /** True when the previous attempt checkpointed and this one should resume from it. */
    public boolean resumesCheckpoint() {
        int closed = executions.size() - (status == TaskStatus.RUNNING ? 1 : 0);
        return closed > 0 && CONTINUED.equals(executions.get(closed - 1).outcome());
    }

    /** How long a queued task may wait before the sweeper assumes its message was lost. */
    public static final Duration QUEUED_GRACE = Duration.ofMinutes(5);

    /**
     * When the sweeper should look at this task: a queued one once it waited {@link #QUEUED_GRACE},
     * a running one once its lease ran out; null for finished tasks.
     */
    public Instant sweepAt() {
        if (status == TaskStatus.QUEUED) {
            return updatedAt.plus(QUEUED_GRACE);
        }
        if (status == TaskStatus.RUNNING) {
            return leaseUntil == null ? updatedAt : leaseUntil;
        }
        return null;
    }

    /** Records progress and renews the lease; progress never goes backwards. */
    public Task progress(int percent, Instant now, Instant lease) {
        requireRunning("report progress on");
        int clamped = Math.max(progress == null ? 0 : progress, Math.min(100, Math.max(0, percent)));
        return new Task(id, owner, type, status, clamped, description, parameters, createdAt, now,
                startedAt, null, null, estimateEta(clamped, now), attempts, executions, null, null,
                revision + 1, cancelRequested, runToken, lease, notifications);
    }

    /** Linear estimate from the progress made since the current attempt started. */
    private Instant estimateEta(int percent, Instant now) {
        Execution current = executions.isEmpty() ? null : executions.get(executions.size() - 1);
        Instant since = current == null ? startedAt : current.startedAt();
        if (percent <= 0 || since == null) {
            return null;
        }
        if (percent >= 100) {
            return now;
        }
        long elapsed = Duration.between(since, now).toMillis();
        return now.plusMillis(elapsed * (100 - percent) / percent);
    }

    public Task succeed(TaskResult output, Instant now, Duration retention) {
        requireRunning("complete");
        return finish(TaskStatus.SUCCEEDED, 100, null, output, now, retention, "succeeded");
    }

    /** Fails a running or queued task (a queued one fails when it can never be run). */
    public Task fail(TaskError failure, Instant now, Duration retention) {
        if (!status.isActive()) {
            throw new IllegalTransitionException(this, "fail");
        }
        return finish(TaskStatus.FAILED, progress, Objects.requireNonNull(failure), null, now, retention, "failed");
    }

    /**
     * Asks for cancellation: a queued task is cancelled at once, a running one is flagged and
     * its job stops at its next progress point. Asking twice is harmless.
     */
    public Task requestCancel(Instant now, Duration retention) {
        if (status == TaskStatus.QUEUED) {
            return finish(TaskStatus.CANCELLED, progress, null, null, now, retention, "cancelled");
        }
        if (status == TaskStatus.RUNNING) {
            if (cancelRequested) {
                return this;
            }
            return new Task(id, owner, type, status, progress, description, parameters, createdAt, now,
                    startedAt, null, null, eta, attempts, executions, null, null, revision + 1, true,
                    runToken, leaseUntil, notifications);
        }
        throw new IllegalTransitionException(this, "cancel");
    }

    /** The running job stopped because cancellation was requested. */
    public Task confirmCancelled(Instant now, Duration retention) {
        requireRunning("cancel");
        return finish(TaskStatus.CANCELLED, progress, null, null, now, retention, "cancelled");
    }

    private Task finish(TaskStatus terminal, Integer finalProgress, TaskError failure, TaskResult output,
                        Instant now, Duration retention, String outcome) {
        List<Execution> history = new ArrayList<>(executions);
        if (!history.isEmpty() && history.get(history.size() - 1).isOpen()) {
            history.set(history.size() - 1, history.get(history.size() - 1).finish(now, outcome, failure));
        }
        return new Task(id, owner, type, terminal, finalProgress, description, parameters, createdAt, now,
                startedAt, now, now.plus(retention), null, attempts, history, failure, output, revision + 1,
                cancelRequested, null, null, notifications);
    }

    private void requireRunning(String change) {
        if (status != TaskStatus.RUNNING) {
            throw new IllegalTransitionException(this, change);
        }
    }

    /** The instant stored in the table's TTL attribute: {@code expiresAt} in epoch seconds. */
    public Long ttlEpochSeconds() {
        if (expiresAt == null) {
            return null;
        }
        long seconds = expiresAt.getEpochSecond();
        return expiresAt.getNano() > 0 ? seconds + 1 : seconds;
    }
}
