package dev.longhaul.core.task;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
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
 * blocked -> scheduled | queued (its dependencies succeeded)   blocked -> failed (one did not)
 * scheduled -> queued (notBefore passed)
 * queued -> running -> succeeded | failed | cancelled
 * blocked | scheduled | queued -> cancelled | failed
 * running -> running (lease taken over after the previous worker vanished)
 * running -> running, waiting (its job waits for its children) -> queued (the last one finished)
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
 * @param options       what it was created with besides type and parameters
 * @param flow          its way to running: slot taken, turn in its named queue, dependencies, waiting
 * @param relatives     what other tasks recorded on it (dependents, children); never written by it
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
        List<Notification> notifications,
        TaskOptions options,
        Flow flow,
        Relatives relatives) {

    /** A {@code notBefore} at most this far ahead does not make the task {@code scheduled}. */
    public static final Duration SCHEDULING_THRESHOLD = Duration.ofSeconds(1);
    /** Outcome of an attempt whose job stopped to wait for the task's children. */
    public static final String WAITING = "waiting";

    public Task {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        parameters = parameters == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        executions = executions == null ? List.of() : List.copyOf(executions);
        notifications = notifications == null ? List.of() : List.copyOf(notifications);
        options = options == null ? TaskOptions.NONE : options;
        // a task stored before flows existed holds a slot unless it waits
        flow = flow == null ? (status.isWaiting() ? Flow.NOT_ADMITTED : Flow.ADMITTED) : flow;
        relatives = relatives == null ? Relatives.NONE : relatives;
    }

    /** A task without options, flow or relatives (a plain one, as before they existed). */
    public Task(String id, String owner, String type, TaskStatus status, Integer progress, String description,
                Map<String, Object> parameters, Instant createdAt, Instant updatedAt, Instant startedAt,
                Instant finishedAt, Instant expiresAt, Instant eta, int attempts, List<Execution> executions,
                TaskError error, TaskResult result, long revision, boolean cancelRequested, String runToken,
                Instant leaseUntil, List<Notification> notifications) {
        this(id, owner, type, status, progress, description, parameters, createdAt, updatedAt, startedAt, finishedAt,
                expiresAt, eta, attempts, executions, error, result, revision, cancelRequested, runToken, leaseUntil,
                notifications, TaskOptions.NONE, null, Relatives.NONE);
    }

    /** A new task, queued, at revision 1. */
    public static Task create(String id, String owner, String type, String description,
                              Map<String, Object> parameters, Instant now) {
        return create(id, owner, type, description, parameters, TaskOptions.NONE, List.of(), now);
    }

    /**
     * A new task at revision 1: {@code blocked} while {@code pending} dependencies have not
     * succeeded, else {@code scheduled} while its {@code notBefore} is more than
     * {@link #SCHEDULING_THRESHOLD} ahead, else {@code queued} (and holding one of its owner's slots).
     */
    public static Task create(String id, String owner, String type, String description,
                              Map<String, Object> parameters, TaskOptions options, Collection<String> pending,
                              Instant now) {
        TaskStatus status = !pending.isEmpty() ? TaskStatus.BLOCKED
                : isDue(options.notBefore(), now) ? TaskStatus.QUEUED : TaskStatus.SCHEDULED;
        Flow flow = status == TaskStatus.QUEUED ? Flow.ADMITTED : new Flow(false, false, false, List.copyOf(pending));
        return new Task(id, owner, type, status, null, description, parameters, now, now, null, null, null, null, 0,
                List.of(), null, null, 1, false, null, null, List.of(), options, flow, Relatives.NONE);
    }

    private static boolean isDue(Instant notBefore, Instant now) {
        return notBefore == null || !notBefore.isAfter(now.plus(SCHEDULING_THRESHOLD));
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

    /** Running, its job stopped until its children finish (no lease, no Lambda). */
    public boolean isWaitingForChildren() {
        return status == TaskStatus.RUNNING && flow.waiting();
    }

    /** Queued in a named queue, waiting for its turn (not on the work queue yet). */
    public boolean isHeld() {
        return status == TaskStatus.QUEUED && flow.held();
    }

    /** Holds one of its owner's active slots now. */
    public boolean holdsSlot() {
        return flow.admitted() && !isTerminal();
    }

    /** Holds its named queue: admitted to it, not finished, and not waiting for its turn. */
    public boolean holdsLane() {
        return options.queue() != null && flow.admitted() && !flow.held() && !isTerminal();
    }

    /** The owner, or a subject the owner granted read access to. */
    public boolean readableBy(String subject) {
        return owner.equals(subject) || options.access().contains(subject);
    }

    /** True when the task must not start yet: its {@code notBefore} is still ahead. */
    public boolean isBeforeNotBefore(Instant now) {
        return options.notBefore() != null && now.isBefore(options.notBefore());
    }

    /**
     * Claims the task for an attempt: queued becomes running, or a running task whose lease
     * expired is taken over (the previous attempt is recorded as abandoned). Never before its
     * {@code notBefore}, never while it waits for its turn or for its children.
     */
    public Task start(String token, Instant now, Instant lease) {
        boolean takeover = status == TaskStatus.RUNNING && !isLeaseLive(now) && !flow.waiting();
        if (!(status == TaskStatus.QUEUED || takeover) || cancelRequested || flow.held() || isBeforeNotBefore(now)) {
            throw new IllegalTransitionException(this, "start");
        }
        List<Execution> history = new ArrayList<>(executions.size() + 1);
        for (Execution e : executions) {
            history.add(e.isOpen() ? e.finish(now, "abandoned", null) : e);
        }
        history.add(new Execution(attempts + 1, now, null, "running", null));
        Next n = next(now);
        n.status = TaskStatus.RUNNING;
        n.progress = progress == null ? 0 : progress;
        n.startedAt = startedAt == null ? now : startedAt;
        n.attempts = attempts + 1;
        n.executions = history;
        n.error = null;
        n.result = null;
        n.cancelRequested = false;
        n.runToken = token;
        n.leaseUntil = lease;
        return n.build();
    }

    /**
     * Puts a task back in the queue for another attempt: the running attempt is recorded as
     * {@code retried} with its error (or {@code abandoned} when its worker vanished without
     * one). A task whose owner asked to cancel is cancelled instead.
     */
    public Task requeue(TaskError failure, Instant now, Duration retention) {
        if (!status.isActive() || flow.waiting()) {
            throw new IllegalTransitionException(this, "requeue");
        }
        if (cancelRequested) {
            return finish(TaskStatus.CANCELLED, progress, null, null, now, retention, "cancelled");
        }
        Next n = next(now);
        n.closeOpenExecution(now, failure == null ? "abandoned" : "retried", failure);
        n.status = TaskStatus.QUEUED;
        n.eta = null;
        n.cancelRequested = false;
        n.runToken = null;
        n.leaseUntil = null;
        return n.build();
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
        requireLiveRun("suspend");
        Next n = next(now);
        n.closeOpenExecution(now, CONTINUED, stall);
        n.status = TaskStatus.QUEUED;
        n.runToken = null;
        n.leaseUntil = null;
        return n.build();
    }

    /**
     * The job stopped to wait for the task's children: the task stays running, without a lease
     * (nothing runs), until the last child finishes and {@link #resume} puts it back in the queue.
     * The attempt is recorded as {@code waiting}, which spends no attempt.
     */
    public Task awaitChildren(Instant now) {
        requireLiveRun("wait for the children of");
        Next n = next(now);
        n.closeOpenExecution(now, WAITING, null);
        n.flow = flow.waiting(true);
        n.eta = null;
        n.runToken = null;
        n.leaseUntil = null;
        return n.build();
    }

    /** The last child finished: the waiting task goes back to the queue, its job runs again. */
    public Task resume(Instant now) {
        if (!isWaitingForChildren()) {
            throw new IllegalTransitionException(this, "resume");
        }
        Next n = next(now);
        n.status = TaskStatus.QUEUED;
        n.flow = flow.waiting(false);
        return n.build();
    }

    /**
     * The task's turn in its named queue came: it leaves the waiting line and may be sent to the
     * work queue.
     */
    public Task takeTurn(Instant now) {
        if (!isHeld()) {
            throw new IllegalTransitionException(this, "give the turn to");
        }
        Next n = next(now);
        n.flow = flow.held(false);
        return n.build();
    }

    /** The same state, waiting for its turn in its named queue (how a store writes it when the queue is busy). */
    public Task heldInLane() {
        if (status != TaskStatus.QUEUED || options.queue() == null) {
            throw new IllegalTransitionException(this, "hold");
        }
        return new Task(id, owner, type, status, progress, description, parameters, createdAt, updatedAt, startedAt,
                finishedAt, expiresAt, eta, attempts, executions, error, result, revision, cancelRequested, runToken,
                leaseUntil, notifications, options, flow.held(true), relatives);
    }

    /**
     * A dependency succeeded: it is no longer pending. Once none is, the task is queued (or
     * scheduled, when its {@code notBefore} is still ahead). Harmless when it was not pending.
     */
    public Task dependencySucceeded(String dependency, Instant now) {
        if (status != TaskStatus.BLOCKED || !flow.pending().contains(dependency)) {
            return this;
        }
        List<String> left = new ArrayList<>(flow.pending());
        left.remove(dependency);
        Next n = next(now);
        if (!left.isEmpty()) {
            n.flow = flow.pending(left);
        } else if (isDue(options.notBefore(), now)) {
            n.status = TaskStatus.QUEUED;
            n.flow = flow.admit();
        } else {
            n.status = TaskStatus.SCHEDULED;
            n.flow = flow.pending(List.of());
        }
        return n.build();
    }

    /** Code of the failure of a task one of whose dependencies did not succeed. */
    public static final String DEPENDENCY_FAILED = "dependency-failed";

    /**
     * A pending dependency failed, was cancelled, deleted or expired: the task fails with
     * {@code dependency-failed}, naming it. Harmless when it was not pending.
     *
     * @param outcome what became of it, for the message: {@code failed}, {@code was cancelled}...
     */
    public Task dependencyFailed(String dependency, String outcome, Instant now, Duration retention) {
        if (status != TaskStatus.BLOCKED || !flow.pending().contains(dependency)) {
            return this;
        }
        return finish(TaskStatus.FAILED, progress, new TaskError(DEPENDENCY_FAILED,
                "Dependency " + dependency + " " + outcome + "."), null, now, retention, "failed");
    }

    /** Its {@code notBefore} passed: a scheduled task is queued, taking one of its owner's slots. */
    public Task due(Instant now) {
        if (status != TaskStatus.SCHEDULED || isBeforeNotBefore(now)) {
            throw new IllegalTransitionException(this, "queue");
        }
        Next n = next(now);
        n.status = TaskStatus.QUEUED;
        n.flow = flow.admit();
        return n.build();
    }

    /** The owner changed who may read the task; allowed in any status. */
    public Task withAccess(List<String> access, Instant now) {
        Next n = next(now);
        n.options = options.withAccess(access);
        return n.build();
    }

    /** Outcome of an attempt that handed its work on to the next invocation. */
    public static final String CONTINUED = "continued";

    /**
     * Attempts that count against the attempt limit: all but those that handed their work on
     * after making progress or stopped to wait for children, an open attempt included (it is
     * being given up when this is asked).
     */
    public int spentAttempts() {
        int spent = 0;
        for (Execution e : executions) {
            boolean handedOn = (CONTINUED.equals(e.outcome()) && e.error() == null) || WAITING.equals(e.outcome());
            if (!handedOn) {
                spent++;
            }
        }
        return spent;
    }

    /** True when the previous attempt checkpointed and this one should resume from it. */
    public boolean resumesCheckpoint() {
        int closed = executions.size() - (status == TaskStatus.RUNNING && !flow.waiting() ? 1 : 0);
        return closed > 0 && CONTINUED.equals(executions.get(closed - 1).outcome());
    }

    /** How long a queued task may wait before the sweeper assumes its message was lost. */
    public static final Duration QUEUED_GRACE = Duration.ofMinutes(5);
    /**
     * How long a task waiting on other tasks (for its dependencies, its turn or its children) is
     * left before the sweeper checks that nothing it waits for was missed.
     */
    public static final Duration RECHECK_GRACE = Duration.ofMinutes(5);

    /**
     * When the sweeper should look at this task: a queued one once it waited {@link #QUEUED_GRACE},
     * a running one once its lease ran out, a scheduled one at its {@code notBefore}, one waiting
     * on other tasks after {@link #RECHECK_GRACE}; null for finished tasks.
     */
    public Instant sweepAt() {
        switch (status) {
            case SCHEDULED:
                return options.notBefore();
            case BLOCKED:
                return updatedAt.plus(RECHECK_GRACE);
            case QUEUED:
                return updatedAt.plus(flow.held() ? RECHECK_GRACE : QUEUED_GRACE);
            case RUNNING:
                if (flow.waiting()) {
                    return updatedAt.plus(RECHECK_GRACE);
                }
                return leaseUntil == null ? updatedAt : leaseUntil;
            default:
                return null;
        }
    }

    /** Records progress and renews the lease; progress never goes backwards. */
    public Task progress(int percent, Instant now, Instant lease) {
        requireLiveRun("report progress on");
        int clamped = Math.max(progress == null ? 0 : progress, Math.min(100, Math.max(0, percent)));
        Next n = next(now);
        n.progress = clamped;
        n.eta = estimateEta(clamped, now);
        n.leaseUntil = lease;
        return n.build();
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
        requireLiveRun("complete");
        return finish(TaskStatus.SUCCEEDED, 100, null, output, now, retention, "succeeded");
    }

    /** Fails an unfinished task (one that has not run fails when it can never be run). */
    public Task fail(TaskError failure, Instant now, Duration retention) {
        if (isTerminal()) {
            throw new IllegalTransitionException(this, "fail");
        }
        return finish(TaskStatus.FAILED, progress, Objects.requireNonNull(failure), null, now, retention, "failed");
    }

    /**
     * Asks for cancellation: a task that is not running (blocked, scheduled, queued, or running
     * but waiting for its children, with nothing running) is cancelled at once; a running one is
     * flagged and its job stops at its next progress point. Asking twice is harmless.
     */
    public Task requestCancel(Instant now, Duration retention) {
        if (status == TaskStatus.BLOCKED || status == TaskStatus.SCHEDULED || status == TaskStatus.QUEUED
                || isWaitingForChildren()) {
            return finish(TaskStatus.CANCELLED, progress, null, null, now, retention, "cancelled");
        }
        if (status == TaskStatus.RUNNING) {
            if (cancelRequested) {
                return this;
            }
            Next n = next(now);
            n.cancelRequested = true;
            return n.build();
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
        Next n = next(now);
        n.closeOpenExecution(now, outcome, failure);
        n.status = terminal;
        n.progress = finalProgress;
        n.finishedAt = now;
        n.expiresAt = now.plus(retention);
        n.eta = null;
        n.error = failure;
        n.result = output;
        n.runToken = null;
        n.leaseUntil = null;
        return n.build();
    }

    private void requireRunning(String change) {
        if (status != TaskStatus.RUNNING) {
            throw new IllegalTransitionException(this, change);
        }
    }

    /** Running with an attempt holding it (not waiting for children). */
    private void requireLiveRun(String change) {
        if (status != TaskStatus.RUNNING || flow.waiting()) {
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

    /** The next revision of this task, changed at {@code now}, to be adjusted by a transition. */
    private Next next(Instant now) {
        return new Next(this, now);
    }

    /** The fields of the next revision, copied from the current one; one transition sets what changes. */
    private static final class Next {
        private final Task from;
        TaskStatus status;
        Integer progress;
        Instant startedAt;
        Instant finishedAt;
        Instant expiresAt;
        Instant eta;
        int attempts;
        List<Execution> executions;
        TaskError error;
        TaskResult result;
        boolean cancelRequested;
        String runToken;
        Instant leaseUntil;
        TaskOptions options;
        Flow flow;
        private final Instant now;

        Next(Task from, Instant now) {
            this.from = from;
            this.now = now;
            status = from.status;
            progress = from.progress;
            startedAt = from.startedAt;
            finishedAt = from.finishedAt;
            expiresAt = from.expiresAt;
            eta = from.eta;
            attempts = from.attempts;
            executions = from.executions;
            error = from.error;
            result = from.result;
            cancelRequested = from.cancelRequested;
            runToken = from.runToken;
            leaseUntil = from.leaseUntil;
            options = from.options;
            flow = from.flow;
        }

        void closeOpenExecution(Instant at, String outcome, TaskError failure) {
            List<Execution> history = new ArrayList<>(executions);
            if (!history.isEmpty() && history.get(history.size() - 1).isOpen()) {
                history.set(history.size() - 1, history.get(history.size() - 1).finish(at, outcome, failure));
            }
            executions = history;
        }

        Task build() {
            return new Task(from.id, from.owner, from.type, status, progress, from.description, from.parameters,
                    from.createdAt, now, startedAt, finishedAt, expiresAt, eta, attempts, executions, error, result,
                    from.revision + 1, cancelRequested, runToken, leaseUntil, from.notifications, options, flow,
                    from.relatives);
        }
    }
}
